import { describe, expect, it } from 'vitest';
import { LatentRateLimitStore } from '../../../bench/lib/latent-store.ts';
import { RateLimiter } from '../../../shared/ratelimit/limiter.ts';
import { RateLimits } from '../../../shared/ratelimit/limits.ts';
import { MemoryRateLimitStore } from '../../../shared/ratelimit/memory-store.ts';
import { maxInWindow, VirtualClock } from './virtual-clock.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

function setup(config: Parameters<typeof RateLimits.from>[0] = { margin: 0.03 }) {
  const clock = new VirtualClock();
  const store = new MemoryRateLimitStore();
  const limits = RateLimits.from(config);
  const make = () => new RateLimiter({ store, limits, clock, random: () => 0.5 });
  return { clock, store, limits, limiter: make(), make };
}

describe('RateLimiter.acquire', () => {
  it('answers go now, then spaced slots, one storage write per permit', async () => {
    const { limiter, store, clock } = setup();
    const t0 = clock.now();
    const a = await limiter.acquire('acme/zpa/write');
    const b = await limiter.acquire('acme/zpa/write');
    const c = await limiter.acquire('acme/zpa/write');
    expect(a).toMatchObject({ ok: true, slotAt: t0, waitMs: 0, requests: 1 });
    expect(b).toMatchObject({ ok: true, slotAt: t0 + 1035, waitMs: 1035, requests: 1 });
    expect(c).toMatchObject({ ok: true, slotAt: t0 + 2070 });
    expect(store.requests).toBe(3);
  });

  it('workers with their own caches share the budget through the store', async () => {
    const { make, store, clock } = setup();
    const workers = [make(), make(), make()];
    const slots: number[] = [];
    for (let round = 0; round < 4; round++) {
      for (const w of workers) {
        const r = await w.acquire('acme/zpa/write', { maxWaitMs: 60_000 });
        if (!r.ok) throw new Error('expected a permit');
        slots.push(r.slotAt - clock.now());
      }
    }
    expect(slots).toEqual(Array.from({ length: 12 }, (_, i) => i * 1035));
    // Only the very first permit found the key missing; every worker's first try was the add form.
    expect(store.requests).toBe(12);
  });

  it('re-anchors an idle window (the schedule does not bank unused time)', async () => {
    const { limiter, clock, store } = setup();
    await limiter.acquire('acme/zpa/write');
    await clock.run(clock.sleep(60_000));
    const r = await limiter.acquire('acme/zpa/write');
    expect(r).toMatchObject({ ok: true, waitMs: 0, requests: 1 });
    const next = await limiter.acquire('acme/zpa/write');
    expect(next).toMatchObject({ ok: true, waitMs: 1035 });
    expect(store.requests).toBe(3);
  });

  it('learns the state from a failed write and retries once when its cache is stale', async () => {
    const { make, clock } = setup();
    const a = make();
    const b = make();
    await a.acquire('acme/zpa/write');
    await b.acquire('acme/zpa/write');
    await clock.run(clock.sleep(5_000));
    await a.acquire('acme/zpa/write'); // a re-anchors: the window went idle
    // b's cache says idle too, but a just re-anchored: b's anchor fails, it learns and adds.
    const r = await b.acquire('acme/zpa/write');
    expect(r).toMatchObject({ ok: true, waitMs: 1035, requests: 2 });
  });

  it('answers "not before T" for long waits, without reserving, with jitter', async () => {
    const { limiter, clock, store } = setup();
    const t0 = clock.now();
    for (let i = 0; i < 5; i++) await limiter.acquire('acme/zpa/write', { maxWaitMs: 10_000 });
    const r = await limiter.acquire('acme/zpa/write', { maxWaitMs: 2_000 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe('budget');
    // Next slot is t0 + 5 * 1035; jitter adds at most 20% of the wait (random 0.5 -> 10%).
    expect(r.notBefore).toBe(Math.ceil(t0 + 5175 + 0.5 * 0.2 * 5175));
    // Nothing was reserved: the next caller willing to wait gets the same slot.
    const next = await limiter.acquire('acme/zpa/write', { maxWaitMs: 10_000 });
    expect(next).toMatchObject({ ok: true, slotAt: t0 + 5175 });
    expect(store.requests).toBe(7);
  });

  it('maxWaitMs 0 means go now or not at all', async () => {
    const { limiter } = setup();
    expect((await limiter.acquire('acme/zpa/read', { maxWaitMs: 0 })).ok).toBe(true);
    expect((await limiter.acquire('acme/zpa/read', { maxWaitMs: 0 })).ok).toBe(false);
  });

  it('ZPA delete and write share one budget', async () => {
    const { limiter, clock } = setup();
    await limiter.acquire({ tenant: 'acme', api: 'zpa', rateClass: 'write' });
    const r = await limiter.acquire({ tenant: 'acme', api: 'zpa', rateClass: 'delete' });
    expect(r).toMatchObject({ ok: true, slotAt: clock.now() + 1035 });
    expect((await limiter.listKeys('acme')).map((k) => k.key)).toEqual(['acme/zpa/write']);
  });

  it('unlimited classes never touch the store', async () => {
    const { limiter, store } = setup({ defaults: { ztw: { read: 'unlimited' } } });
    expect(await limiter.acquire('acme/ztw/read')).toMatchObject({ ok: true, waitMs: 0, requests: 0 });
    expect(store.requests).toBe(0);
  });

  it('keeps tenants apart', async () => {
    const { limiter } = setup();
    await limiter.acquire('acme/zpa/write');
    expect(await limiter.acquire('other/zpa/write')).toMatchObject({ ok: true, waitMs: 0 });
  });
});

describe('multi-window keys: ZTW DELETE 1/min and 4/h', () => {
  it('takes both windows atomically and never exceeds either', async () => {
    const { make, clock } = setup();
    const workers = [make(), make(), make()];
    const used: number[] = [];
    const worker = async (limiter: RateLimiter) => {
      while (used.length < 12) {
        const r = await limiter.acquire('acme/ztw/delete', { maxWaitMs: 30_000 });
        if (r.ok) {
          await clock.sleep(r.waitMs);
          used.push(clock.now());
        } else {
          await clock.sleep(r.notBefore - clock.now());
        }
      }
    };
    await clock.run(Promise.all(workers.map(worker)));
    const t0 = Math.min(...used);
    expect(maxInWindow(used, MIN)).toBe(1);
    expect(maxInWindow(used, HOUR)).toBeLessThanOrEqual(4);
    // A burst of two about a minute apart (deferred callers come back with jitter), then the hourly
    // schedule: 20.6 min between permits.
    const offsets = used.slice(0, 4).map((t) => Math.round((t - t0) / 1000));
    expect(offsets[1]).toBeGreaterThanOrEqual(62);
    expect(offsets[1]).toBeLessThan(80);
    expect(offsets[2]).toBeGreaterThanOrEqual(1236);
    expect(offsets[3]! - offsets[2]!).toBeGreaterThanOrEqual(1236);
  });

  it('reserves nothing in any window when one window refuses', async () => {
    const { limiter, clock, store } = setup();
    const t0 = clock.now();
    await limiter.acquire('acme/ztw/delete');
    const r = await limiter.acquire('acme/ztw/delete', { maxWaitMs: 1000 });
    expect(r).toMatchObject({ ok: false, reason: 'budget' });
    const state = await store.read('acme/ztw/delete');
    expect(state?.granted).toBe(1);
    expect(state?.tats).toEqual({ w60000: t0 + 61_850, w3600000: t0 + 1_236_017 });
  });

  it('clamps the wait of multi-window keys to the slack of their burst windows', async () => {
    // 4/h with burst 2 keeps 108 s of slack: a permit held back longer by the 1/min window could
    // land in the hourly window later than the schedule counted it, so such waits are deferred.
    const { limiter } = setup();
    await limiter.acquire('acme/ztw/delete');
    await limiter.acquire('acme/ztw/delete', { maxWaitMs: 100_000 });
    const third = await limiter.acquire('acme/ztw/delete', { maxWaitMs: 10 * HOUR });
    expect(third).toMatchObject({ ok: false, reason: 'budget' });
  });
});

describe('RateLimiter.block (a 429 from Zscaler)', () => {
  it('blocks the key for every worker until Retry-After, then resumes', async () => {
    const { make, clock } = setup();
    const a = make();
    const b = make();
    await a.acquire('acme/zpa/write');
    const until = clock.now() + 13_000;
    expect(await a.block('acme/zpa/write', until)).toBe(true);
    const r = await b.acquire('acme/zpa/write', { maxWaitMs: 60_000 });
    expect(r).toMatchObject({ ok: false, reason: 'blocked' });
    if (r.ok) return;
    expect(r.notBefore).toBeGreaterThanOrEqual(until);
    // The blocked worker now answers from its cache without a request.
    expect(await b.acquire('acme/zpa/write')).toMatchObject({ ok: false, reason: 'blocked', requests: 0 });
    await clock.run(clock.sleep(13_001));
    expect(await b.acquire('acme/zpa/write')).toMatchObject({ ok: true, waitMs: 0 });
  });

  it('only ever extends the block', async () => {
    const { limiter, store, clock } = setup();
    const t = clock.now();
    expect(await limiter.block('acme/zpa/write', t + 20_000)).toBe(true);
    expect(await limiter.block('acme/zpa/write', t + 5_000)).toBe(false);
    expect((await store.read('acme/zpa/write'))?.blockedUntil).toBe(t + 20_000);
    expect(await limiter.block('acme/zpa/write', t + 30_000)).toBe(true);
    const s = await limiter.state('acme/zpa/write');
    expect(s).toMatchObject({ blocked: true, blockedUntil: t + 30_000, blocks: 2, nextSlotAt: t + 30_000 });
  });
});

describe('RateLimiter.state and listKeys', () => {
  it('describes windows, backlog and counters', async () => {
    const { limiter, clock } = setup();
    const t0 = clock.now();
    for (let i = 0; i < 3; i++) await limiter.acquire('acme/zpa/write');
    await limiter.acquire('acme/ztw/delete');
    await limiter.acquire('zeta/zpa/read');
    const s = await limiter.state('acme/zpa/write');
    expect(s).toEqual({
      key: 'acme/zpa/write',
      windows: [
        { id: 'w10000', limit: 10, windowMs: 10_000, intervalMs: 1035, tat: t0 + 3105, backlogMs: 3105 },
      ],
      nextSlotAt: t0 + 3105,
      blocked: false,
      granted: 3,
      blocks: 0,
      updatedAt: t0,
    });
    expect(await limiter.state('nobody/zpa/write')).toBeUndefined();
    expect((await limiter.listKeys('acme')).map((k) => k.key)).toEqual(['acme/zpa/write', 'acme/ztw/delete']);
    expect((await limiter.listKeys()).length).toBe(3);
  });
});

describe('late answers', () => {
  /** A store whose answers come back after the given delays (one per operation, then none). */
  function lateStore(clock: VirtualClock, backDelays: number[]) {
    const inner = new MemoryRateLimitStore();
    const delays = [...backDelays];
    const store = new LatentRateLimitStore(inner, clock, () => ({
      toStoreMs: 0,
      toCallerMs: delays.shift() ?? 0,
    }));
    return { inner, store };
  }

  it('moves a late permit to now when nobody reserved after it: one permit, no give-up', async () => {
    const clock = new VirtualClock();
    // The answer takes 400 ms; ZPA's 10 s window lets an answer be 150 ms late (half its 3% slack).
    const { inner, store } = lateStore(clock, [400]);
    const limiter = new RateLimiter({ store, limits: RateLimits.from(), clock });
    const t0 = clock.now();
    const r = await clock.run(limiter.acquire('acme/zpa/write'));
    expect(r).toMatchObject({ ok: true, slotAt: t0 + 400, waitMs: 0, requests: 2 });
    const state = await inner.read('acme/zpa/write');
    expect(state?.granted).toBe(1);
    // Counted as if taken at t0 + 400: the next permit is one interval after that.
    expect(state?.tats.w10000).toBe(t0 + 400 + 1035);
  });

  it('uses a late answer as is while it is within the slack the schedule keeps for it', async () => {
    const clock = new VirtualClock();
    const { store } = lateStore(clock, [150]);
    const limiter = new RateLimiter({ store, limits: RateLimits.from(), clock });
    const t0 = clock.now();
    expect(await clock.run(limiter.acquire('acme/zpa/write'))).toMatchObject({
      ok: true,
      slotAt: t0,
      requests: 1,
    });
  });

  it('leaves a late permit unused when others reserved after it, and takes the next', async () => {
    const clock = new VirtualClock();
    const { inner, store } = lateStore(clock, [2_000]);
    const slow = new RateLimiter({ store, limits: RateLimits.from(), clock });
    const other = new RateLimiter({ store: inner, limits: RateLimits.from(), clock });
    const t0 = clock.now();
    const pending = slow.acquire('acme/zpa/write', { maxWaitMs: 10_000 });
    // While the slow answer travels, another worker takes the next slot.
    await clock.run(clock.sleep(10));
    expect(await other.acquire('acme/zpa/write')).toMatchObject({ ok: true, slotAt: t0 + 1035 });
    const r = await clock.run(pending);
    expect(r).toMatchObject({ ok: true, slotAt: t0 + 2070, requests: 3 });
    expect((await inner.read('acme/zpa/write'))?.granted).toBe(3);
  });

  it('a store that stays slow gets slots as far ahead as its answers take; only contention gives up', async () => {
    const clock = new VirtualClock();
    const { store } = lateStore(clock, [2_000, 2_000, 2_000, 2_000]);
    const limiter = new RateLimiter({ store, limits: RateLimits.from(), clock });
    const r = await clock.run(limiter.acquire('acme/zpa/write'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // Reserve and first move (asking for now) both 2 s late; the second move asked for a slot 2 s
    // ahead, and its 2 s answer arrived in time for it.
    expect(r.requests).toBe(3);
    expect(r.slotAt).toBe(clock.now());
  });

  it('answers "late" (not contention) when the store is late more often than maxLateRounds', async () => {
    const clock = new VirtualClock();
    let n = 0;
    const store = new LatentRateLimitStore(new MemoryRateLimitStore(), clock, () => ({
      toStoreMs: 0,
      toCallerMs: 1_000 * ++n,
    }));
    const limiter = new RateLimiter({ store, limits: RateLimits.from(), clock, maxLateRounds: 3 });
    expect(await clock.run(limiter.acquire('acme/zpa/write'))).toMatchObject({ ok: false, reason: 'late' });
  });
});
