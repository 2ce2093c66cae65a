import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/events/handler.ts';
import { MemoryLifecycleCompleter } from '../../../shared/intake/lifecycle-completer.ts';
import { parseJobMessage } from '../../../shared/requests/job-message.ts';
import { fixture } from '../../fixtures/events/index.ts';
import { INTAKE_START, quietObservability, testConfig } from '../../fixtures/events/intake-setup.ts';
import { type LoopbackStack, startLoopbackStack } from '../../fixtures/events/stack.ts';
import { manualClock } from '../../fixtures/manual-clock.ts';

const clock = manualClock(INTAKE_START);
let stack: LoopbackStack;
beforeAll(async () => {
  stack = await startLoopbackStack(clock);
});
afterAll(() => stack.stop());

describe('events function on dynalite + fauxqs', () => {
  it('lifecycle and schedule events become queued requests with an audit trail; duplicates do not', async () => {
    const completer = new MemoryLifecycleCompleter();
    const handler = createHandler({
      config: testConfig(),
      store: stack.store,
      audit: stack.audit,
      queue: stack.queue,
      clock,
      completer,
      ...quietObservability(),
    });
    const teardown = await handler(fixture('eventbridge-terminate-lifecycle.json'));
    const snapshot = await handler(fixture('scheduler-snapshot.json'));
    expect(teardown).toMatchObject({ outcome: 'accepted', state: 'QUEUED' });
    expect(snapshot).toMatchObject({ outcome: 'accepted', state: 'QUEUED' });
    expect((await handler(fixture('eventbridge-terminate-lifecycle.json'))).outcome).toBe('duplicate');
    expect((await handler(fixture('scheduler-snapshot.json'))).outcome).toBe('duplicate');

    const bad = fixture<{ detail: Record<string, string> }>('eventbridge-terminate-lifecycle.json');
    bad.detail.EC2InstanceId = 'i-0fffffffffffffff0';
    bad.detail.NotificationMetadata = '{"tenant":"acme","groupId":"999"}';
    const rejected = await handler(bad);
    expect(rejected).toMatchObject({ outcome: 'rejected', lifecycleCompleted: true });
    expect(completer.completed).toEqual([
      {
        result: 'CONTINUE',
        action: {
          asgName: 'zpa-connectors-a',
          hookName: 'zcops-teardown',
          token: '87654321-4321-4321-4321-210987654321',
          instanceId: 'i-0fffffffffffffff0',
        },
      },
    ]);

    const messages = (await stack.drain()).map(parseJobMessage);
    expect(messages.map((m) => m.requestId).sort()).toEqual([teardown.requestId, snapshot.requestId].sort());
    expect((await stack.audit.byTicket('i-0a1b2c3d4e5f67890')).map((e) => e.type)).toEqual([
      'received',
      'validated',
      'queued',
      'duplicate',
    ]);
    expect((await stack.audit.byResource('acme:instance/i-0a1b2c3d4e5f67890')).length).toBeGreaterThanOrEqual(
      3,
    );
    expect((await stack.audit.byRequest(rejected.requestId!)).map((e) => e.type)).toEqual([
      'received',
      'rejected',
      'lifecycle.completed',
    ]);
  });
});
