import { describe, expect, it } from 'vitest';
import { PauseSwitch } from '../../../shared/guardrails/pause-switch.ts';
import type { OutcomeListener } from '../../../shared/jobs/outcome-listener.ts';
import type { RequestRecord } from '../../../shared/requests/request-record.ts';
import { UnprocessableMessageError } from '../../../shared/worker/errors.ts';
import { acquireLease } from '../../../shared/worker/lease.ts';
import { RetryLaterError } from '../../../shared/zscaler/errors.ts';
import { memoryWorker, START, scriptedJob } from './memory-worker.ts';

// The request's state transitions through the run loop over the in-memory stores (manual clock).

describe('a run settles its request', () => {
  it('QUEUED → RUNNING → SUCCEEDED: one attempt, the trail in order, listeners told, nothing re-queued', async () => {
    const told: RequestRecord[] = [];
    const w = memoryWorker(scriptedJob());
    w.deps.listeners = [{ settled: async (r) => void told.push(r) }];
    const { record, body } = await w.submit({ connectorId: '42' });
    expect(await w.deliver(body)).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    const after = await w.get(record.requestId);
    expect(after).toMatchObject({
      state: 'SUCCEEDED',
      stateReason: 'succeeded',
      attempts: 1,
      deferrals: 0,
      result: { deleted: '42' },
    });
    expect(w.trail(record.requestId)).toEqual(['state', 'planned', 'guardrail', 'succeeded']);
    expect(w.audit.events[0]?.detail).toEqual({ from: 'QUEUED', to: 'RUNNING', attempt: 1, deferrals: 0 });
    expect(told.map((r) => r.state)).toEqual(['SUCCEEDED']);
    expect(w.queue.messages).toHaveLength(0);
    // The run's lease was released.
    expect(await w.control.get(`run:${record.requestId}`)).toBeUndefined();
  });

  it('RECEIVED (intake crashed before marking QUEUED) is queued by the message, then run', async () => {
    const w = memoryWorker(scriptedJob());
    const { record, body } = await w.submit({ state: 'RECEIVED' });
    expect(await w.deliver(body)).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect((await w.get(record.requestId)).attempts).toBe(1);
    expect(w.audit.events[0]?.detail).toMatchObject({ from: 'QUEUED', to: 'RUNNING' });
  });

  it('a plan that ends the job settles without guardrails or execute', async () => {
    let executed = false;
    const w = memoryWorker(
      scriptedJob({
        plan: () => ({
          calls: [],
          resources: [],
          outcome: { status: 'succeeded', result: { alreadyGone: true } },
        }),
        execute: () => {
          executed = true;
          return { status: 'succeeded', result: {} };
        },
      }),
    );
    const { record, body } = await w.submit();
    expect(await w.deliver(body)).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(executed).toBe(false);
    expect(w.trail(record.requestId)).toEqual(['state', 'planned', 'succeeded']);
    expect(w.audit.events[1]?.detail).toMatchObject({ calls: [], outcome: 'succeeded' });
  });

  it('a job outcome "failed" ends FAILED with its code and result', async () => {
    const w = memoryWorker(
      scriptedJob({
        execute: () => ({ status: 'failed', reason: 'half done', code: 'partial', result: { sent: 1 } }),
      }),
    );
    const { record, body } = await w.submit();
    expect(await w.deliver(body)).toEqual({ kind: 'settled', state: 'FAILED' });
    expect(await w.get(record.requestId)).toMatchObject({
      stateReason: 'partial',
      error: { message: 'half done', code: 'partial' },
      result: { sent: 1 },
    });
  });

  it('a job outcome "failed" without a code ends FAILED with reason "failed"', async () => {
    const w = memoryWorker(scriptedJob({ execute: () => ({ status: 'failed', reason: 'no' }) }));
    const { record, body } = await w.submit();
    await w.deliver(body);
    const after = await w.get(record.requestId);
    expect(after).toMatchObject({ stateReason: 'failed', error: { message: 'no' } });
    expect(after.error?.code).toBeUndefined();
  });

  it('an action without a job, or a tenant not configured, ends FAILED naming it', async () => {
    const w = memoryWorker(scriptedJob());
    w.deps.jobs = {};
    const a = await w.submit();
    expect(await w.deliver(a.body)).toEqual({ kind: 'settled', state: 'FAILED' });
    expect((await w.get(a.record.requestId)).error).toEqual({
      code: 'no-job',
      message: 'no job is registered for action appConnector.delete',
    });
    const v = memoryWorker(scriptedJob(), {
      config: { tenants: [{ name: 'globex', secretName: 's', zpa: { customerId: '1' } }] },
    });
    const b = await v.submit();
    expect(await v.deliver(b.body)).toEqual({ kind: 'settled', state: 'FAILED' });
    expect((await v.get(b.record.requestId)).error).toEqual({
      code: 'no-tenant',
      message: 'tenant acme is not configured',
    });
  });
});

describe('deferred and back', () => {
  it('RUNNING → DEFERRED → RUNNING → SUCCEEDED: deferrals counted, the message comes back with its delay', async () => {
    const w = memoryWorker(
      scriptedJob({
        execute: (ctx, run) =>
          run === 1
            ? ctx.defer(START + 120_000, 'waiting: activation', { step: 1 })
            : { status: 'succeeded', result: {} },
      }),
    );
    const { record, body } = await w.submit();
    expect(await w.deliver(body)).toEqual({
      kind: 'deferred',
      notBefore: START + 120_000,
      delaySeconds: 120,
    });
    expect(await w.get(record.requestId)).toMatchObject({
      state: 'DEFERRED',
      stateReason: 'waiting: activation',
      notBefore: new Date(START + 120_000).toISOString(),
      deferrals: 1,
      result: { step: 1 },
    });
    const sent = w.lastSent();
    expect(sent).toMatchObject({ delaySeconds: 120, message: { deferrals: 1 } });
    // The deferral's message is sent after the lease is released.
    expect(await w.control.get(`run:${record.requestId}`)).toBeUndefined();
    w.clock.advance(120_000);
    expect(await w.deliver(sent.body)).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(await w.get(record.requestId)).toMatchObject({ attempts: 2, deferrals: 1 });
    expect(w.audit.events.filter((e) => e.type === 'state').map((e) => e.detail)).toEqual([
      { from: 'QUEUED', to: 'RUNNING', attempt: 1, deferrals: 0 },
      { from: 'DEFERRED', to: 'RUNNING', attempt: 2, deferrals: 1 },
    ]);
  });

  it('a message early for its DEFERRED request is sent on for the rest of the wait, the request untouched', async () => {
    const w = memoryWorker(
      scriptedJob({ execute: () => ({ status: 'deferred', notBefore: START + 3_600_000, reason: 'later' }) }),
    );
    const { record, body } = await w.submit();
    await w.deliver(body);
    const before = await w.get(record.requestId);
    const events = w.audit.events.length;
    // A copy delivered at once (e.g. a duplicate): the hour is still ahead.
    expect(await w.deliver(w.lastSent().body)).toEqual({
      kind: 'deferred',
      notBefore: START + 3_600_000,
      delaySeconds: 900,
    });
    expect(await w.get(record.requestId)).toEqual(before);
    expect(w.audit.events).toHaveLength(events);
    // Hops are not deferrals: the message's count stays.
    expect(w.lastSent()).toMatchObject({ delaySeconds: 900, message: { deferrals: 1 } });
  });

  it('a paused tenant defers for worker.pollIntervalSeconds without planning', async () => {
    const w = memoryWorker(scriptedJob());
    await new PauseSwitch(w.control).pause('acme', { reason: 'freeze', by: 'ops', nowMs: START });
    const { record, body } = await w.submit();
    expect(await w.deliver(body)).toEqual({ kind: 'deferred', notBefore: START + 60_000, delaySeconds: 60 });
    expect((await w.get(record.requestId)).stateReason).toBe('tenant acme is paused (freeze, by ops)');
    expect(w.trail(record.requestId)).toEqual(['state', 'guardrail', 'deferred']);
  });

  it('a deferral past the maximum age (measured from creation) ends FAILED max-age', async () => {
    const w = memoryWorker(
      scriptedJob({
        execute: () => {
          throw new RetryLaterError('x', START + 1_000, 'rate-limit');
        },
      }),
      {
        worker: { maxAgeHours: 1 },
      },
    );
    const { record, body } = await w.submit();
    w.clock.advance(3_600_000);
    expect(await w.deliver(body)).toEqual({ kind: 'settled', state: 'FAILED' });
    expect((await w.get(record.requestId)).error?.message).toBe(
      'gave up after 60 minutes (maximum age 1 h): rate-limit: x',
    );
  });
});

describe('guardrails', () => {
  it('a protected name refuses the request: REJECTED with the rule as its code, nothing executed', async () => {
    let executed = false;
    const w = memoryWorker(
      scriptedJob({
        plan: () => ({
          calls: [
            {
              api: 'zpa',
              method: 'DELETE',
              path: '/connector/1',
              operation: 'appConnector.delete',
              write: true,
            },
          ],
          resources: [
            { kind: 'appConnector', id: '1', name: 'Do Not Delete me', effect: 'delete', connected: false },
          ],
        }),
        execute: () => {
          executed = true;
          return { status: 'succeeded', result: {} };
        },
      }),
    );
    const { record, body } = await w.submit();
    expect(await w.deliver(body)).toEqual({ kind: 'settled', state: 'REJECTED' });
    expect(executed).toBe(false);
    expect(await w.get(record.requestId)).toMatchObject({
      state: 'REJECTED',
      stateReason: 'guardrail:protected-name',
      error: { code: 'guardrail:protected-name' },
    });
    expect(w.trail(record.requestId).at(-1)).toBe('rejected');
  });

  it('a deletion past the hourly cap is HELD; a dry-run reports the hold and succeeds', async () => {
    const w = memoryWorker(scriptedJob(), { config: { guardrails: { deletionsPerHour: 0 } } });
    const held = await w.submit();
    expect(await w.deliver(held.body)).toEqual({ kind: 'settled', state: 'HELD' });
    expect(w.trail(held.record.requestId).at(-1)).toBe('held');
    // A HELD request's message is skipped: it waits for an operator.
    expect(await w.deliver(held.body)).toEqual({ kind: 'skipped', reason: 'request is HELD' });
    const dry = await w.submit({ fields: { dryRun: true } });
    expect(await w.deliver(dry.body)).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect((await w.get(dry.record.requestId)).result).toMatchObject({
      dryRun: true,
      wouldHold: expect.any(String),
    });
  });

  it('a dry-run plans and audits, never executes', async () => {
    let executed = false;
    const w = memoryWorker(
      scriptedJob({
        execute: () => {
          executed = true;
          return { status: 'succeeded', result: {} };
        },
      }),
    );
    const { record, body } = await w.submit({ fields: { dryRun: true } });
    expect(await w.deliver(body)).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(executed).toBe(false);
    expect((await w.get(record.requestId)).result).toMatchObject({
      dryRun: true,
      plannedCalls: [{ method: 'DELETE' }],
    });
  });
});

describe('idempotency: what a message finds', () => {
  it('a final request is skipped; its missing outcome event is written (recovered) and listeners told', async () => {
    const told: string[] = [];
    const w = memoryWorker(scriptedJob());
    w.deps.listeners = [{ settled: async (r) => void told.push(r.state) }];
    const { record, body } = await w.submit();
    // As if a worker had died between the state write and its outcome event.
    await w.store.transition(record.requestId, 'RUNNING', { from: 'QUEUED' });
    await w.store.transition(record.requestId, 'SUCCEEDED', {
      from: 'RUNNING',
      patch: { result: { done: 1 } },
    });
    expect(await w.deliver(body)).toEqual({ kind: 'skipped', reason: 'request is SUCCEEDED' });
    expect(w.audit.events.map((e) => [e.type, e.detail])).toEqual([
      ['succeeded', { result: { done: 1 }, recovered: true }],
    ]);
    expect(told).toEqual(['SUCCEEDED']);
    // Once recorded, a further copy changes nothing.
    expect(await w.deliver(body)).toEqual({ kind: 'skipped', reason: 'request is SUCCEEDED' });
    expect(w.audit.events).toHaveLength(1);
  });

  it('a listener not yet told (its own trail shows no action) is told on the redelivery', async () => {
    const told: string[] = [];
    const listener: OutcomeListener = {
      settled: async (r) => void told.push(r.requestId),
      alreadyTold: (_r, trail) => trail.some((e) => e.type === 'callback'),
    };
    const w = memoryWorker(scriptedJob());
    const { record, body } = await w.submit();
    await w.deliver(body);
    w.deps.listeners = [listener];
    expect(await w.deliver(body)).toMatchObject({ kind: 'skipped' });
    expect(told).toEqual([record.requestId]);
  });

  it('a run held by another worker is skipped and handed back for when its lease ends', async () => {
    const w = memoryWorker(scriptedJob());
    const { record, body } = await w.submit();
    const other = await acquireLease(w.control, `run:${record.requestId}`, 'other', 60_000, START);
    expect(other.held).toBe(true);
    const out = await w.deliver(body);
    expect(out).toMatchObject({ kind: 'skipped' });
    expect((out as { reason: string }).reason).toMatch(/being run by another worker until/);
    expect((await w.get(record.requestId)).state).toBe('QUEUED');
    expect(w.lastSent()).toMatchObject({ delaySeconds: 60, message: { deferrals: 0 } });
    w.clock.advance(60_001);
    expect(await w.deliver(w.lastSent().body)).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
  });

  it('a run whose worker died (request RUNNING, lease expired) is resumed', async () => {
    const w = memoryWorker(scriptedJob());
    const { record, body } = await w.submit();
    await w.store.transition(record.requestId, 'RUNNING', {
      from: 'QUEUED',
      patch: { incrementAttempts: true },
    });
    expect(await w.deliver(body)).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(await w.get(record.requestId)).toMatchObject({ attempts: 2 });
    expect(w.audit.events[0]?.detail).toMatchObject({ from: 'RUNNING', to: 'RUNNING' });
  });
});

describe('messages that cannot be processed', () => {
  it('a body that is no job message: unprocessable, retried, dead-lettered (code dead-lettered) on the last receive', async () => {
    const w = memoryWorker(scriptedJob(), { worker: { maxReceiveCount: 2 } });
    const { record } = await w.submit();
    const bad = JSON.stringify({ requestId: record.requestId, v: 99 });
    expect(await w.deliver(bad, 1)).toBeInstanceOf(UnprocessableMessageError);
    expect((await w.get(record.requestId)).state).toBe('QUEUED');
    expect(await w.deliver(bad, 2)).toBeInstanceOf(UnprocessableMessageError);
    expect(await w.get(record.requestId)).toMatchObject({
      state: 'DEAD_LETTERED',
      error: { code: 'dead-lettered' },
    });
    expect(w.trail(record.requestId)).toEqual(['dead-lettered']);
  });

  it('a message for a request that does not exist is unprocessable', async () => {
    const w = memoryWorker(scriptedJob(), { worker: { maxReceiveCount: 1 } });
    const { record, body } = await w.submit();
    w.store.requests.delete(record.requestId);
    const out = await w.deliver(body, 1);
    expect(out).toBeInstanceOf(UnprocessableMessageError);
    expect((out as UnprocessableMessageError).requestId).toBe(record.requestId);
    expect(w.audit.events).toHaveLength(0);
  });
});
