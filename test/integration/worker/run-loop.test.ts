import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../shared/ratelimit/limiter.ts';
import { RateLimits } from '../../../shared/ratelimit/limits.ts';
import { MemoryRateLimitStore } from '../../../shared/ratelimit/memory-store.ts';
import { runJobMessage } from '../../../shared/worker/run-job.ts';
import { type Harness, itsm, startHarness } from './harness.ts';

let h: Harness;
let groupId: string;
const down = { controlChannelStatus: 'ZPN_STATUS_DISCONNECTED' as const };

beforeAll(async () => {
  h = await startHarness({ config: { worker: { maxAgeHours: 2, maxReceiveCount: 3 } } });
  [groupId] = [...h.sim.state.appConnectorGroups.keys()] as [string];
});
afterAll(async () => h?.stop());

describe('the run loop: deferral, maximum age, redelivery, leases (simulator + dynalite)', () => {
  it('a limiter "not before T" beyond the short threshold defers: new delayed message, message acknowledged', async () => {
    // A budget of one ZPA write per 10 minutes, already spent by another worker.
    const slow = new RateLimiter({
      store: new MemoryRateLimitStore(),
      limits: RateLimits.from({ defaults: { zpa: { write: [{ limit: 1, windowMs: 600_000 }] } } }),
      clock: h.clock,
    });
    await slow.acquire('sim/zpa/write');
    const deps = { ...h.deps, limiter: slow };
    const c = h.sim.state.addConnector({ groupId, name: 'limited', ...down });
    h.sim.reset();
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }));
    const m1 = h.takeNext();
    const out = await runJobMessage(deps, { body: m1.body, receiveCount: 1 });
    expect(out).toMatchObject({ kind: 'deferred' });
    const rec = await h.store.get(r.requestId);
    expect(rec).toMatchObject({ state: 'DEFERRED', deferrals: 1 });
    expect(rec?.stateReason).toMatch(/^rate-limit: /);
    expect(h.writes()).toEqual([]);
    const sent = h.queue.messages.at(-1)!;
    expect(JSON.parse(sent.body)).toMatchObject({ requestId: r.requestId, deferrals: 1 });
    expect(sent.delaySeconds).toBeGreaterThan(500);
    expect(sent.delaySeconds).toBeLessThanOrEqual(900);
    // Delivered when due, with the budget back: it runs and deletes.
    const m2 = h.takeNext();
    expect(await runJobMessage(deps, { body: m2.body, receiveCount: 1 })).toEqual({
      kind: 'settled',
      state: 'SUCCEEDED',
    });
    expect(h.sim.state.connectors.has(c.id)).toBe(false);
  });

  it('a 429 from Zscaler defers past its Retry-After and blocks the tenant key for every worker', async () => {
    const c = h.sim.state.addConnector({ groupId, name: 'throttled', ...down });
    h.sim.reset();
    h.sim.setFaults({ tooManyRequests: 1, methods: ['DELETE'], maxCount: 1 });
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }));
    expect(await h.deliverNext()).toMatchObject({ kind: 'deferred' });
    h.sim.setFaults({});
    const rec = await h.store.get(r.requestId);
    expect(rec?.state).toBe('DEFERRED');
    expect(Date.parse(rec!.notBefore!) - h.clock.now()).toBeGreaterThanOrEqual(10_000);
    expect((await h.deps.limiter.state('sim/zpa/write'))?.blocked).toBe(true);
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(h.sim.callLog.filter((e) => e.method === 'DELETE').map((e) => e.status)).toEqual([429, 204]);
  });

  it('an edit lock (409) defers; a long wait is chained in steps of at most 900 s without touching the request', async () => {
    const c = h.sim.state.addConnector({ groupId, name: 'locked', ...down });
    h.sim.setFaults({ editLock: 1, methods: ['DELETE'], maxCount: 1 });
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }));
    expect(await h.deliverNext()).toMatchObject({ kind: 'deferred', delaySeconds: 30 });
    h.sim.setFaults({});
    // ZPA's 409 is api.concurrent.access.error: a "busy" answer of its own kind.
    expect((await h.store.get(r.requestId))?.stateReason).toMatch(/^busy:concurrent-access: /);
    // As if the deferral had been an hour long (a far "not before"): the message hops ≤ 900 s at a time.
    const farAt = h.clock.now() + 3_600_000;
    await h.store.transition(r.requestId, 'RUNNING', { from: 'DEFERRED' });
    await h.store.transition(r.requestId, 'DEFERRED', {
      from: 'RUNNING',
      patch: { notBefore: new Date(farAt).toISOString() },
    });
    const hops: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      const out = await h.deliverNext();
      hops.push(out);
      if (!(out instanceof Error) && out.kind === 'settled') break;
    }
    // The 30 s message arrives first; then 900 + 900 + 900 + 870 s reach the hour.
    expect(hops).toEqual([
      { kind: 'deferred', notBefore: farAt, delaySeconds: 900 },
      { kind: 'deferred', notBefore: farAt, delaySeconds: 900 },
      { kind: 'deferred', notBefore: farAt, delaySeconds: 900 },
      { kind: 'deferred', notBefore: farAt, delaySeconds: 870 },
      { kind: 'settled', state: 'SUCCEEDED' },
    ]);
    expect(h.clock.now()).toBeGreaterThanOrEqual(farAt);
    // Hops are not deferrals: the request was deferred once (the edit lock).
    expect((await h.store.get(r.requestId))?.deferrals).toBe(1);
  });

  it('past the maximum age a deferral ends FAILED with the reason', async () => {
    const c = h.sim.state.addConnector({ groupId, name: 'too-old', ...down });
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }));
    h.clock.advance(2 * 3_600_000 + 1);
    h.sim.setFaults({ editLock: 1, methods: ['DELETE'], maxCount: 1 });
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'FAILED' });
    h.sim.setFaults({});
    const rec = await h.store.get(r.requestId);
    expect(rec?.error).toMatchObject({ code: 'max-age' });
    expect(rec?.error?.message).toMatch(
      /gave up after 120 minutes \(maximum age 2 h\): busy:concurrent-access/,
    );
  });

  it('a message for a request still RECEIVED (intake crashed before marking QUEUED) runs it', async () => {
    const c = h.sim.state.addConnector({ groupId, name: 'received', ...down });
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }), {
      state: 'RECEIVED',
    });
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect((await h.store.get(r.requestId))?.attempts).toBe(1);
  });

  it('a duplicate delivered while a run holds the lease is skipped; an expired lease is resumed', async () => {
    const c = h.sim.state.addConnector({ groupId, name: 'leased', ...down });
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }));
    const { acquireLease } = await import('../../../shared/worker/lease.ts');
    const other = await acquireLease(h.control, `run:${r.requestId}`, 'other-worker', 60_000, h.clock.now());
    expect(other.held).toBe(true);
    const m = h.takeNext();
    const out = await runJobMessage(h.deps, { body: m.body, receiveCount: 1 });
    expect(out).toMatchObject({ kind: 'skipped' });
    expect(h.sim.state.connectors.has(c.id)).toBe(true);
    // The skipped message was handed back for when the lease ends (the holder may have crashed).
    const skippedAt = h.clock.now();
    const copy = h.takeNext();
    expect(copy.dueAt).toBeGreaterThanOrEqual(skippedAt + 60_000);
    h.clock.advance(1);
    expect(await runJobMessage(h.deps, { body: copy.body, receiveCount: 1 })).toEqual({
      kind: 'settled',
      state: 'SUCCEEDED',
    });
  });

  it('a final receive of a crashing job marks the request DEAD_LETTERED before the record fails', async () => {
    const crashing = {
      action: 'appConnector.delete' as const,
      async plan(): Promise<never> {
        throw new TypeError('bug in a job');
      },
      async execute(): Promise<never> {
        throw new Error('unreachable');
      },
    };
    const deps = { ...h.deps, jobs: { 'appConnector.delete': crashing } };
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: '1234' } }));
    const m = h.takeNext();
    await expect(runJobMessage(deps, { body: m.body, receiveCount: 1 })).rejects.toThrow('bug in a job');
    expect((await h.store.get(r.requestId))?.state).toBe('RUNNING');
    h.clock.advance(h.config.worker.leaseSeconds * 1000 + 1);
    await expect(runJobMessage(deps, { body: m.body, receiveCount: 3 })).rejects.toThrow('bug in a job');
    const rec = await h.store.get(r.requestId);
    expect(rec).toMatchObject({ state: 'DEAD_LETTERED', error: { code: 'unexpected' } });
    expect(rec?.error?.message).toMatch(/could not be processed after 3 receives: TypeError: bug in a job/);
    expect((await h.trail(r.requestId)).some((e) => e.type === 'dead-lettered')).toBe(true);
  });
});
