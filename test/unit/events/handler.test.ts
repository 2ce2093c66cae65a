import type { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/events/handler.ts';
import { fixture } from '../../fixtures/events/index.ts';
import { memoryDeps, quietObservability } from '../../fixtures/events/intake-setup.ts';

/** Metrics that record what was counted and when it was published. */
function recordingMetrics() {
  const counted: string[] = [];
  let published = 0;
  const metrics = {
    addMetric: (name: string) => void counted.push(name),
    publishStoredMetrics: () => {
      published += 1;
    },
  } as unknown as Metrics;
  return { metrics, counted, published: () => published };
}

// The rules themselves are the intake service's (test/unit/intake/event-intake.test.ts).
describe('events function', () => {
  it("answers each event with the service's outcome and counts it, publishing once per invocation", async () => {
    const deps = memoryDeps();
    const m = recordingMetrics();
    const handler = createHandler({ ...deps, logger: quietObservability().logger, metrics: m.metrics });
    const r = await handler(fixture('eventbridge-terminate-lifecycle.json'));
    expect(r).toMatchObject({ outcome: 'accepted', state: 'QUEUED' });
    expect((await handler(fixture('eventbridge-terminate-lifecycle.json'))).outcome).toBe('duplicate');
    expect((await handler({ 'detail-type': 'Something Else' })).outcome).toBe('ignored');
    const bad = fixture<{ detail: Record<string, string> }>('eventbridge-terminate-lifecycle.json');
    bad.detail.NotificationMetadata = 'tenant=acme';
    expect(await handler(bad)).toMatchObject({ outcome: 'rejected', lifecycleCompleted: true });
    expect(m.counted).toEqual(['EventsAccepted', 'EventsDuplicate', 'EventsIgnored', 'EventsRejected']);
    expect(m.published()).toBe(4);
  });

  it('throws on infrastructure failures so Lambda retries the event', async () => {
    const deps = memoryDeps();
    const m = recordingMetrics();
    const handler = createHandler({ ...deps, logger: quietObservability().logger, metrics: m.metrics });
    deps.queue.failNext = 1;
    await expect(handler(fixture('scheduler-snapshot.json'))).rejects.toThrow(/jobs queue/);
    expect((await handler(fixture('scheduler-snapshot.json'))).outcome).toBe('accepted');
    expect(m.counted).toEqual(['EventsFailed', 'EventsAccepted']);
    expect(m.published()).toBe(2);
  });
});
