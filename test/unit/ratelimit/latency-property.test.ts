import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jitteryLatency, LatentRateLimitStore } from '../../../bench/lib/latent-store.ts';
import type { Clock } from '../../../shared/core/clock.ts';
import { createRateLimitHooks } from '../../../shared/ratelimit/hooks.ts';
import { type RateLimitKey, toKey } from '../../../shared/ratelimit/key.ts';
import { RateLimiter } from '../../../shared/ratelimit/limiter.ts';
import { RateLimits, type WindowLimit } from '../../../shared/ratelimit/limits.ts';
import { MemoryRateLimitStore } from '../../../shared/ratelimit/memory-store.ts';
import { RetryLaterError } from '../../../shared/zscaler/errors.ts';
import type { RateClass } from '../../../shared/zscaler/hooks.ts';
import { maxInWindow, VirtualClock } from './virtual-clock.ts';

const KEYS = ['t/zpa/read', 't/zpa/write', 't/ztw/read', 't/ztw/write', 't/ztw/delete'] as const;

/**
 * Workers (each its own process: own limiter and cache) take permits for random keys through a
 * store whose answers take 0–200 ms, with occasional 2 s stalls, as the rate-limit hooks do: sleep
 * until the slot, then call; the call reaches Zscaler up to the jitter margin later. The production
 * limits and margins apply, through the rate-limit hooks of a process whose own sleeps now and then
 * overrun by up to 2 s. Returns every call's arrival time per key and every refusal's reason.
 */
async function simulate(seed: number, workers: number, permitsPerWorker: number, stallChance: number) {
  const clock = new VirtualClock();
  const rng = mulberry32(seed);
  const store = new LatentRateLimitStore(
    new MemoryRateLimitStore(),
    clock,
    jitteryLatency(rng, { stallChance }),
  );
  const limits = RateLimits.from();
  const calls = new Map<string, number[]>(KEYS.map((k) => [k, []]));
  const refusals: string[] = [];
  // The worker's own process stalls too: now and then a sleep ends up to 2 s late (event loop, GC).
  const stalling: Clock = {
    now: () => clock.now(),
    sleep: (ms) => clock.sleep(ms + (rng() < stallChance ? Math.floor(rng() * 2_000) : 0)),
  };
  const worker = async () => {
    const limiter = new RateLimiter({ store, limits, clock, random: rng });
    const hooks = createRateLimitHooks(limiter, { clock: stalling, maxSleepMs: 10_000 });
    for (let i = 0; i < permitsPerWorker; ) {
      const key = KEYS[Math.floor(rng() * KEYS.length)]!;
      await clock.sleep(Math.floor(rng() * 500));
      const k = toKey(key);
      try {
        await hooks.before!({
          tenant: k.tenant,
          api: k.api,
          method: 'GET',
          path: '/x',
          operation: 'x',
          rateClass: k.rateClass as RateClass,
          idempotent: true,
          attempt: 1,
        });
      } catch (err) {
        if (!(err instanceof RetryLaterError)) throw err;
        refusals.push(/: (\w+),? /.exec(err.message)?.[1] ?? err.message);
        await clock.sleep(Math.max(0, err.notBefore - clock.now()));
        continue;
      }
      // The call's own way to Zscaler, within the margin kept for jitter.
      const w = limits.windowsFor(toKey(key) as RateLimitKey);
      const jitter = w === 'unlimited' ? 0 : Math.min(...w.map((x) => x.jitterMs));
      calls.get(key)!.push(clock.now() + Math.floor(rng() * jitter));
      i++;
    }
  };
  await clock.run(Promise.all(Array.from({ length: workers }, worker)));
  return { calls, refusals, stalls: store.stalls, requests: store.requests };
}

describe('RateLimiter under a slow store (property)', () => {
  it('0–200 ms answers with 2 s stalls: no give-ups, never more calls than any documented window allows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 2, max: 12 }),
        fc.double({ min: 0.01, max: 0.1, noNaN: true }),
        async (seed, workers, stallChance) => {
          const r = await simulate(seed, workers, 8, stallChance);
          // Refusals are only "not before T" for budgets beyond the wait; never contention or lateness.
          expect(r.refusals.filter((x) => x !== 'budget')).toEqual([]);
          for (const key of KEYS) {
            const k = toKey(key);
            const documented = RateLimits.from().limitsFor(k) as WindowLimit[];
            for (const w of documented) {
              expect(
                maxInWindow(r.calls.get(key)!, w.windowMs),
                `${key} ${w.limit}/${w.windowMs}`,
              ).toBeLessThanOrEqual(w.limit);
            }
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('stalls do happen in the simulation (the property is not vacuous)', async () => {
    const r = await simulate(7, 8, 8, 0.1);
    expect(r.stalls).toBeGreaterThan(0);
    expect([...r.calls.values()].reduce((n, c) => n + c.length, 0)).toBe(64);
  });
});

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
