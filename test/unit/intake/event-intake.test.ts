import { describe, expect, it } from 'vitest';
import type { AuditLog } from '../../../shared/audit/audit-log.ts';
import { EventIntake } from '../../../shared/intake/event-intake.ts';
import type { LifecycleCompleter } from '../../../shared/intake/lifecycle-completer.ts';
import { fixture } from '../../fixtures/events/index.ts';
import { memoryDeps } from '../../fixtures/events/intake-setup.ts';

/** The events function's rules, on the intake service with in-memory stores. */
function setup() {
  const deps = memoryDeps();
  const errors: string[] = [];
  const logger = { warn() {}, error: (message: string) => void errors.push(message) };
  return { deps, errors, intake: new EventIntake({ ...deps, logger }) };
}
type Lifecycle = { detail: Record<string, string> };

describe('event intake: terminate lifecycle actions', () => {
  it('turns a terminate lifecycle action into a teardown request, once', async () => {
    const s = setup();
    const r = await s.intake.take(fixture('eventbridge-terminate-lifecycle.json'));
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
    const again = await s.intake.take(fixture('eventbridge-terminate-lifecycle.json'));
    expect(again).toMatchObject({ outcome: 'duplicate', requestId: r.requestId });
    expect(s.deps.queue.messages).toHaveLength(1);
    // The token is never written to the audit trail; an accepted event completes no action.
    expect(JSON.stringify(s.deps.audit.events)).not.toContain('87654321-4321-4321-4321-210987654321');
    expect(s.deps.completer.completed).toEqual([]);
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
      const r = await s.intake.take(event);
      expect(r.outcome).toBe('rejected');
      expect(r.reason).toMatch(reason);
      expect(r.lifecycleCompleted).toBe(true);
      // Each completion is audited under the rejected request.
      const trail = s.deps.audit.events.filter((e) => e.requestId === r.requestId).map((e) => e.type);
      expect(trail).toContain('rejected');
      expect(trail.at(-1)).toBe('lifecycle.completed');
    }
    expect(s.deps.completer.completed).toHaveLength(cases.length);
    expect(s.deps.completer.completed.every((c) => c.result === 'CONTINUE')).toBe(true);
    expect(s.deps.completer.completed[0]?.action).toEqual({
      asgName: 'zpa-connectors-a',
      hookName: 'zcops-teardown',
      token: '87654321-4321-4321-4321-210987654321',
      instanceId: 'i-0a1b2c3d4e5f67890',
    });
    expect(s.deps.queue.messages).toHaveLength(0);
    const invalid = await s.intake.take({
      ...fixture<Record<string, unknown>>('eventbridge-terminate-lifecycle.json'),
      detail: { EC2InstanceId: 5 },
    });
    expect(invalid).toMatchObject({ outcome: 'rejected', reason: 'malformed lifecycle event' });
  });

  it('a rejection for want of a source is audited by the service with the event it read', async () => {
    const s = setup();
    const event = fixture<Lifecycle>('eventbridge-terminate-lifecycle.json');
    event.detail.NotificationMetadata = '{"tenant":"acme","groupId":"1","source":"nobody"}';
    const r = await s.intake.take(event);
    const [rejected, completed] = s.deps.audit.events;
    expect(rejected).toMatchObject({
      requestId: r.requestId,
      type: 'rejected',
      tenant: 'acme',
      ticket: 'i-0a1b2c3d4e5f67890',
      action: 'appConnector.teardown',
      detail: {
        reason: 'no autoscaling source named nobody',
        asg: 'zpa-connectors-a',
        hook: 'zcops-teardown',
      },
    });
    expect(completed).toMatchObject({
      requestId: r.requestId,
      type: 'lifecycle.completed',
      detail: { result: 'CONTINUE', why: 'request rejected' },
    });
    expect(s.deps.audit.events).toHaveLength(2);
  });

  it('never leaves an instance waiting: completes even when the audit fails, and a failed completion is only logged', async () => {
    const s = setup();
    const brokenAudit: AuditLog = {
      ...s.deps.audit,
      append: async () => {
        throw new Error('audit table down');
      },
      byRequest: async () => [],
      byTicket: async () => [],
      byResource: async () => [],
    };
    const quiet = new EventIntake({ ...s.deps, audit: brokenAudit, logger: { warn() {}, error() {} } });
    const event = fixture<Lifecycle>('eventbridge-terminate-lifecycle.json');
    event.detail.NotificationMetadata = '{"tenant":"acme","groupId":"1","source":"nobody"}';
    expect(await quiet.take(event)).toMatchObject({ outcome: 'rejected', lifecycleCompleted: true });
    expect(s.deps.completer.completed).toHaveLength(1);

    const refusing: LifecycleCompleter = {
      complete: async () => {
        throw new Error('Auto Scaling said no');
      },
    };
    const failing = new EventIntake({
      ...s.deps,
      completer: refusing,
      logger: { warn() {}, error: (m) => void s.errors.push(m) },
    });
    const r = await failing.take(event);
    expect(r).toMatchObject({ outcome: 'rejected', lifecycleCompleted: true });
    expect(s.errors).toEqual(['lifecycle action could not be completed']);
  });

  it('uses the unbound autoscaling source for other groups and ignores other transitions', async () => {
    const s = setup();
    const event = fixture<Lifecycle>('eventbridge-terminate-lifecycle.json');
    event.detail.AutoScalingGroupName = 'other-asg';
    const r = await s.intake.take(event);
    expect(r.outcome).toBe('accepted');
    expect((await s.deps.store.get(r.requestId!))?.sourceName).toBe('generic-scaling');
    const launch = fixture<Lifecycle>('eventbridge-terminate-lifecycle.json');
    launch.detail.LifecycleTransition = 'autoscaling:EC2_INSTANCE_LAUNCHING';
    expect((await s.intake.take(launch)).outcome).toBe('ignored');
    expect((await s.intake.take({ 'detail-type': 'Something Else' })).outcome).toBe('ignored');
    expect((await s.intake.take(null)).outcome).toBe('ignored');
    expect(s.deps.completer.completed).toEqual([]);
  });
});

describe('event intake: schedules', () => {
  it('turns Scheduler and EventBridge rule schedules into snapshot requests, one per run', async () => {
    const s = setup();
    const r = await s.intake.take(fixture('scheduler-snapshot.json'));
    expect(r).toMatchObject({ outcome: 'accepted', state: 'QUEUED' });
    expect((await s.deps.store.get(r.requestId!))?.request).toMatchObject({
      action: 'inventory.snapshot',
      tenant: 'acme',
      source: { kind: 'schedule', name: 'scheduler', ref: 'zcops-snapshot-acme@2026-11-21T02:00:00Z' },
    });
    expect((await s.intake.take(fixture('scheduler-snapshot.json'))).outcome).toBe('duplicate');
    expect((await s.intake.take(fixture('eventbridge-scheduled-rule.json'))).outcome).toBe('accepted');
    const unknown = await s.intake.take({
      ...fixture<Record<string, unknown>>('scheduler-snapshot.json'),
      id: 'x2',
      detail: { tenant: 'initech' },
    });
    expect(unknown).toMatchObject({ outcome: 'rejected', reason: 'invalid' });
    const noTenant = await s.intake.take({
      ...fixture<Record<string, unknown>>('scheduler-snapshot.json'),
      detail: {},
    });
    expect(noTenant).toMatchObject({ outcome: 'rejected', reason: 'malformed schedule event' });
    expect(s.deps.queue.messages).toHaveLength(2);
  });

  it('audits a schedule no source takes as rejected', async () => {
    const s = setup();
    const event = fixture<{ id: string; detail: Record<string, string> }>('scheduler-snapshot.json');
    event.detail.source = 'nobody';
    const r = await s.intake.take(event);
    expect(r).toMatchObject({
      outcome: 'rejected',
      reason: 'no schedule source is configured for this event',
    });
    expect(s.deps.audit.events).toEqual([
      expect.objectContaining({
        requestId: r.requestId,
        type: 'rejected',
        tenant: 'acme',
        action: 'inventory.snapshot',
        detail: { reason: 'no-source', eventId: event.id },
      }),
    ]);
    expect(s.deps.queue.messages).toHaveLength(0);
  });

  it('throws on infrastructure failures so Lambda retries the event', async () => {
    const s = setup();
    s.deps.queue.failNext = 1;
    await expect(s.intake.take(fixture('scheduler-snapshot.json'))).rejects.toThrow(/jobs queue/);
    expect((await s.intake.take(fixture('scheduler-snapshot.json'))).outcome).toBe('accepted');
  });
});
