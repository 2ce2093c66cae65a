import { describe, expect, it } from 'vitest';
import {
  IdempotencyConflictError,
  IntakeUnavailableError,
  PolicyDeniedError,
  RequestValidationError,
  SubmissionInProgressError,
} from '../../../shared/requests/errors.ts';
import { parseJobMessage } from '../../../shared/requests/job-message.ts';
import { type SubmitDeps, submit } from '../../../shared/requests/submit.ts';
import { memoryDeps } from '../../fixtures/events/intake-setup.ts';

function setup() {
  const m = memoryDeps();
  const deps: SubmitDeps = {
    store: m.store,
    audit: m.audit,
    queue: m.queue,
    clock: m.clock,
    tenants: new Set(['acme', 'globex']),
    inProgressLeaseMs: 60_000,
  };
  const policy = (name: string) => m.config.sources.find((s) => s.name === name)!;
  return {
    ...m,
    deps,
    api: { policy: policy('api') },
    sn: { policy: policy('servicenow') },
    asg: { policy: policy('asg-hooks') },
  };
}

const del = (extra: Record<string, unknown> = {}) => ({
  action: 'appConnector.delete',
  tenant: 'acme',
  reason: 'decommission',
  connector: { id: '72057615512764537' },
  ...extra,
});

describe('submit', () => {
  it('records, audits and enqueues a valid request, taking source kind and name from the source', async () => {
    const s = setup();
    const r = await submit({ ...del(), source: { kind: 'itsm', name: 'evil', ref: 'CHG1' } }, s.api, s.deps);
    expect(r).toMatchObject({ outcome: 'accepted', state: 'QUEUED' });
    expect(r.request.source).toEqual({ kind: 'api', name: 'api', ref: 'CHG1' });
    const record = await s.store.get(r.requestId);
    expect(record).toMatchObject({
      state: 'QUEUED',
      target: 'appConnector/72057615512764537',
      ticket: 'CHG1',
      attempts: 0,
    });
    expect(s.queue.messages).toHaveLength(1);
    expect(parseJobMessage(s.queue.messages[0]!.body)).toMatchObject({
      requestId: r.requestId,
      tenant: 'acme',
      deferrals: 0,
    });
    expect(s.audit.events.map((e) => e.type)).toEqual(['received', 'validated', 'queued']);
    expect(s.audit.events[0]).toMatchObject({
      ticket: 'CHG1',
      resource: 'acme:appConnector/72057615512764537',
    });
  });

  it('rejects invalid input with every issue, audits it, and never enqueues', async () => {
    const s = setup();
    const err = await submit(
      { action: 'appConnector.delete', tenant: 'nope', connector: { id: '../x' } },
      s.api,
      s.deps,
    ).catch((e) => e);
    expect(err).toBeInstanceOf(RequestValidationError);
    expect((err as RequestValidationError).issues.map((i) => i.path).sort()).toEqual([
      'connector.id',
      'reason',
    ]);
    const unknownTenant = await submit(del({ tenant: 'initech' }), s.api, s.deps).catch((e) => e);
    expect((unknownTenant as RequestValidationError).issues).toEqual([
      { path: 'tenant', message: 'tenant "initech" is not configured' },
    ]);
    expect(s.queue.messages).toHaveLength(0);
    expect(s.store.requests.size).toBe(0);
    expect(s.audit.events.filter((e) => e.type === 'rejected')).toHaveLength(2);
  });

  it('denies by policy: action, tenant, force, groups, creation by non-ITSM', async () => {
    const s = setup();
    const cases: [unknown, typeof s.api, string][] = [
      [del({ tenant: 'globex' }), s.api, 'tenant'],
      [
        {
          action: 'pccGroup.create',
          tenant: 'acme',
          reason: 'r',
          group: { name: 'p', countryCode: 'US', latitude: 1, longitude: 1, location: 'l' },
        },
        s.api,
        'action',
      ],
      [del({ force: true }), s.sn, 'force'],
      [del(), s.asg, 'action'],
      [
        { action: 'appConnector.teardown', tenant: 'acme', reason: 'r', instanceId: 'i-1', groupId: '999' },
        s.asg,
        'group',
      ],
    ];
    for (const [input, source, rule] of cases) {
      const err = await submit(input, source, s.deps).catch((e) => e);
      expect(err, rule).toBeInstanceOf(PolicyDeniedError);
      expect((err as PolicyDeniedError).rule).toBe(rule);
    }
    expect(s.queue.messages).toHaveLength(0);
  });

  it('answers duplicates (same key, or same ticket + action + target) with the original request', async () => {
    const s = setup();
    const first = await submit(del({ idempotencyKey: 'k-1' }), s.api, s.deps);
    const again = await submit(del({ idempotencyKey: 'k-1' }), s.api, s.deps);
    expect(again).toMatchObject({ outcome: 'duplicate', requestId: first.requestId, state: 'QUEUED' });
    const t1 = await submit({ ...del(), source: { ref: 'CHG9' } }, s.sn, s.deps);
    const t2 = await submit({ ...del({ reason: 'other words' }), source: { ref: 'CHG9' } }, s.sn, s.deps);
    expect(t2).toMatchObject({ outcome: 'duplicate', requestId: t1.requestId });
    const other = await submit({ ...del({ connector: { id: '1' } }), source: { ref: 'CHG9' } }, s.sn, s.deps);
    expect(other.outcome).toBe('accepted');
    expect(s.queue.messages).toHaveLength(3);
    expect(s.audit.events.filter((e) => e.type === 'duplicate').map((e) => e.requestId)).toEqual([
      first.requestId,
      t1.requestId,
    ]);
  });

  it('refuses an idempotency key reused with another body', async () => {
    const s = setup();
    const first = await submit(del({ idempotencyKey: 'k-2' }), s.api, s.deps);
    const err = await submit(del({ idempotencyKey: 'k-2', connector: { id: '5' } }), s.api, s.deps).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(IdempotencyConflictError);
    expect((err as IdempotencyConflictError).originalRequestId).toBe(first.requestId);
  });

  it('an enqueue failure answers unavailable, leaves the request not accepted, and a retry with the same key works', async () => {
    const s = setup();
    s.queue.failNext = 1;
    const err = await submit(del({ idempotencyKey: 'k-3' }), s.api, s.deps).catch((e) => e);
    expect(err).toBeInstanceOf(IntakeUnavailableError);
    const failed = await s.store.get((err as IntakeUnavailableError).requestId!);
    expect(failed).toMatchObject({ state: 'REJECTED', stateReason: 'intake-failed' });
    const retry = await submit(del({ idempotencyKey: 'k-3' }), s.api, s.deps);
    expect(retry.outcome).toBe('accepted');
    expect(retry.requestId).not.toBe(failed!.requestId);
    expect(s.queue.messages).toHaveLength(1);
  });

  it('a retry works even when the failed attempt could not give its key back', async () => {
    const s = setup();
    s.queue.failNext = 1;
    const release = s.store.releaseKey.bind(s.store);
    s.store.releaseKey = async () => {
      throw new Error('table down');
    };
    await submit(del({ idempotencyKey: 'k-4' }), s.api, s.deps).catch(() => undefined);
    s.store.releaseKey = release;
    const retry = await submit(del({ idempotencyKey: 'k-4' }), s.api, s.deps);
    expect(retry.outcome).toBe('accepted');
  });

  it('a crashed intake (claim, request RECEIVED, no message) is in progress within the lease and resumed after it', async () => {
    const s = setup();
    const send = s.queue.send.bind(s.queue);
    // Simulate a crash right after recording: the send never happens and nothing is cleaned up.
    let reachedSend!: () => void;
    const sending = new Promise<void>((resolve) => {
      reachedSend = resolve;
    });
    s.queue.send = () => {
      reachedSend();
      return new Promise(() => {});
    };
    void submit(del({ idempotencyKey: 'k-5' }), s.api, s.deps);
    await sending;
    s.queue.send = send;
    const [orphan] = [...s.store.requests.values()];
    expect(orphan?.state).toBe('RECEIVED');
    const early = await submit(del({ idempotencyKey: 'k-5' }), s.api, s.deps).catch((e) => e);
    expect(early).toBeInstanceOf(SubmissionInProgressError);
    s.clock.advance(61_000);
    const late = await submit(del({ idempotencyKey: 'k-5' }), s.api, s.deps);
    expect(late).toMatchObject({ outcome: 'duplicate', requestId: orphan!.requestId, state: 'QUEUED' });
    expect(s.queue.messages).toHaveLength(1);
    expect(parseJobMessage(s.queue.messages[0]!.body).requestId).toBe(orphan!.requestId);
  });

  it('a failure to record answers unavailable and gives the key back', async () => {
    const s = setup();
    s.store.create = async () => {
      throw new Error('table down');
    };
    const err = await submit(del({ idempotencyKey: 'k-6' }), s.api, s.deps).catch((e) => e);
    expect(err).toBeInstanceOf(IntakeUnavailableError);
    expect(s.store.keys.size).toBe(0);
    expect(s.queue.messages).toHaveLength(0);
  });
});
