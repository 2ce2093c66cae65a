import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../shared/ratelimit/limiter.ts';
import { RateLimits, type WindowLimit } from '../../../shared/ratelimit/limits.ts';
import { MemoryRateLimitStore } from '../../../shared/ratelimit/memory-store.ts';
import { maxInWindow, VirtualClock } from './virtual-clock.ts';

/**
 * Many workers with random think times, random wait limits and random storage latency (which
 * reorders their conditional writes) share one key; every window must hold at every instant.
 */
async function simulate(params: {
  windows: WindowLimit[];
  workers: number;
  permitsPerWorker: number;
  seed: number;
  maxLatencyMs: number;
}): Promise<{ slots: number[]; requests: number; granted: number }> {
  const clock = new VirtualClock();
  const rng = mulberry32(params.seed);
  const store = new MemoryRateLimitStore({
    delay: () => clock.sleep(Math.floor(rng() * params.maxLatencyMs)),
  });
  const limits = RateLimits.from({
    margin: 0,
    minMarginMs: 0,
    tenants: { t: { limits: { zpa: { write: params.windows } } } },
  });
  const slots: number[] = [];
  const worker = async () => {
    // Each worker is its own process: its own limiter and cache, sharing only the store.
    const limiter = new RateLimiter({ store, limits, clock, random: rng });
    for (let i = 0; i < params.permitsPerWorker; ) {
      await clock.sleep(Math.floor(rng() * 3 * params.windows[0]!.windowMs));
      const maxWaitMs = rng() < 0.3 ? 0 : Math.floor(rng() * 5 * params.windows[0]!.windowMs);
      const r = await limiter.acquire('t/zpa/write', { maxWaitMs });
      if (r.ok) {
        expect(r.waitMs).toBeLessThanOrEqual(maxWaitMs);
        slots.push(r.slotAt);
        i++;
      } else {
        await clock.sleep(Math.max(0, r.notBefore - clock.now()));
      }
    }
  };
  await clock.run(Promise.all(Array.from({ length: params.workers }, worker)));
  return { slots, requests: store.requests, granted: slots.length };
}

const windowArb = fc
  .record({ limit: fc.integer({ min: 1, max: 8 }), windowMs: fc.integer({ min: 200, max: 5000 }) })
  .chain((w) =>
    fc.record({
      limit: fc.constant(w.limit),
      windowMs: fc.constant(w.windowMs),
      burst: fc.integer({ min: 1, max: w.limit }),
    }),
  );

describe('RateLimiter under concurrency (property)', () => {
  it('never admits more than any window allows, single window', async () => {
    await fc.assert(
      fc.asyncProperty(
        windowArb,
        fc.integer({ min: 2, max: 25 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 0, max: 50 }),
        async (w, workers, seed, maxLatencyMs) => {
          const r = await simulate({ windows: [w], workers, permitsPerWorker: 3, seed, maxLatencyMs });
          expect(r.granted).toBe(workers * 3);
          expect(maxInWindow(r.slots, w.windowMs)).toBeLessThanOrEqual(w.limit);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never admits more than any window allows, two windows in one item', async () => {
    await fc.assert(
      fc.asyncProperty(
        windowArb,
        windowArb,
        fc.integer({ min: 2, max: 20 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 0, max: 50 }),
        async (a, b, workers, seed, maxLatencyMs) => {
          fc.pre(a.windowMs !== b.windowMs);
          const [short, long] = a.windowMs < b.windowMs ? [a, b] : [b, a];
          const r = await simulate({
            windows: [short, long],
            workers,
            permitsPerWorker: 3,
            seed,
            maxLatencyMs,
          });
          expect(maxInWindow(r.slots, short.windowMs)).toBeLessThanOrEqual(short.limit);
          expect(maxInWindow(r.slots, long.windowMs)).toBeLessThanOrEqual(long.limit);
        },
      ),
      { numRuns: 60 },
    );
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
