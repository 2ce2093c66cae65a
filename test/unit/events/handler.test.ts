import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/events/handler.ts';
import { fixture } from '../../fixtures/events/index.ts';
import { memoryDeps, quietObservability } from '../../fixtures/events/intake-setup.ts';

function setup() {
  const deps = memoryDeps();
  return { deps, handler: createHandler({ ...deps, ...quietObservability() }) };
}
type Lifecycle = { detail: Record<string, string> };

describe('events function', () => {
  it('turns a terminate lifecycle action into a teardown request, once', async () => {
    const s = setup();
    const event = fixture('eventbridge-terminate-lifecycle.json');
    const r = await s.handler(event);
    expect(r).toMatchObject({ outcome: 'accepted', state: 'QUEUED' });
    const record = await s.deps.store.get(r.requestId!);
    expect(record).toMatchObject({
      sourceName: 'asg-hooks',
      sourceKind: 'autoscaling',
      ticket: 'i-0a1b2c3d4e5f67890',
    });
    expect(record?.request).toMatchObject({
      action: 'appConnector.teardown',
      tenant: 'acme',
      instanceId: 'i-0a1b2c3d4e5f67890',
      groupId: '72057615512764441',
      connectorName: 'aws-i-0a1b2c3d4e5f67890',
      lifecycle: {
        asgName: 'zpa-connectors-a',
        hookName: 'zcops-teardown',
        token: '87654321-4321-4321-4321-210987654321',
        instanceId: 'i-0a1b2c3d4e5f67890',
      },
    });
    // EventBridge delivering the same event again: the original request, nothing new queued.
    const again = await s.handler(fixture('eventbridge-terminate-lifecycle.json'));
    expect(again).toMatchObject({ outcome: 'duplicate', requestId: r.requestId });
    expect(s.deps.queue.messages).toHaveLength(1);
    // The token is never written to the audit trail.
    expect(JSON.stringify(s.deps.audit.events)).not.toContain('87654321-4321-4321-4321-210987654321');
  });

  it('rejects bad metadata, unknown groups and unknown sources, completing the lifecycle action', async () => {
    const s = setup();
    const cases: [(e: Lifecycle) => void, RegExp | string][] = [
      [(e) => (e.detail.NotificationMetadata = 'tenant=acme'), 'invalid'],
      [(e) => (e.detail.NotificationMetadata = '{"tenant":"acme"}'), 'invalid'],
      [
        (e) => (e.detail.NotificationMetadata = '{"tenant":"acme","groupId":"1"}'),
        /may not delete in group 1/,
      ],
      [
        (e) => (e.detail.NotificationMetadata = '{"tenant":"acme","groupId":"1","source":"nobody"}'),
        /no autoscaling source/,
      ],
      [(e) => (e.detail.NotificationMetadata = '{"tenant":"acme","groupId":"../1"}'), 'invalid'],
    ];
    for (const [mutate, reason] of cases) {
      const event = fixture<Lifecycle>('eventbridge-terminate-lifecycle.json');
      mutate(event);
      const r = await s.handler(event);
      expect(r.outcome).toBe('rejected');
      expect(r.reason).toMatch(reason);
      expect(r.lifecycleCompleted).toBe(true);
    }
    expect(s.deps.completer.completed).toHaveLength(cases.length);
    expect(s.deps.completer.completed.every((c) => c.result === 'CONTINUE')).toBe(true);
    expect(s.deps.queue.messages).toHaveLength(0);
    const invalid = await s.handler({
      ...fixture<Record<string, unknown>>('eventbridge-terminate-lifecycle.json'),
      detail: { EC2InstanceId: 5 },
    });
    expect(invalid).toMatchObject({ outcome: 'rejected', reason: 'malformed lifecycle event' });
  });

  it('uses the unbound autoscaling source for other groups and ignores other transitions', async () => {
    const s = setup();
    const event = fixture<Lifecycle>('eventbridge-terminate-lifecycle.json');
    event.detail.AutoScalingGroupName = 'other-asg';
    const r = await s.handler(event);
    expect(r.outcome).toBe('accepted');
    expect((await s.deps.store.get(r.requestId!))?.sourceName).toBe('generic-scaling');
    const launch = fixture<Lifecycle>('eventbridge-terminate-lifecycle.json');
    launch.detail.LifecycleTransition = 'autoscaling:EC2_INSTANCE_LAUNCHING';
    expect((await s.handler(launch)).outcome).toBe('ignored');
    expect((await s.handler({ 'detail-type': 'Something Else' })).outcome).toBe('ignored');
    expect((await s.handler(null)).outcome).toBe('ignored');
  });

  it('turns Scheduler and EventBridge rule schedules into snapshot requests, one per run', async () => {
    const s = setup();
    const r = await s.handler(fixture('scheduler-snapshot.json'));
    expect(r).toMatchObject({ outcome: 'accepted', state: 'QUEUED' });
    expect((await s.deps.store.get(r.requestId!))?.request).toMatchObject({
      action: 'inventory.snapshot',
      tenant: 'acme',
      source: { kind: 'schedule', name: 'scheduler', ref: 'zcops-snapshot-acme@2026-11-21T02:00:00Z' },
    });
    expect((await s.handler(fixture('scheduler-snapshot.json'))).outcome).toBe('duplicate');
    expect((await s.handler(fixture('eventbridge-scheduled-rule.json'))).outcome).toBe('accepted');
    const unknown = await s.handler({
      ...fixture<Record<string, unknown>>('scheduler-snapshot.json'),
      id: 'x2',
      detail: { tenant: 'initech' },
    });
    expect(unknown).toMatchObject({ outcome: 'rejected', reason: 'invalid' });
    const noTenant = await s.handler({
      ...fixture<Record<string, unknown>>('scheduler-snapshot.json'),
      detail: {},
    });
    expect(noTenant).toMatchObject({ outcome: 'rejected', reason: 'malformed schedule event' });
    expect(s.deps.queue.messages).toHaveLength(2);
  });

  it('throws on infrastructure failures so Lambda retries the event', async () => {
    const s = setup();
    s.deps.queue.failNext = 1;
    await expect(s.handler(fixture('scheduler-snapshot.json'))).rejects.toThrow(/jobs queue/);
    expect((await s.handler(fixture('scheduler-snapshot.json'))).outcome).toBe('accepted');
  });
});
