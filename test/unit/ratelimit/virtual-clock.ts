import type { Clock } from '../../../shared/core/clock.ts';

/**
 * A discrete-event clock for tests: `sleep` registers a timer, `run` jumps time to the next timer
 * once every pending promise has settled. Many workers then interleave deterministically, without
 * real waiting and without timing flakiness.
 */
export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];

  constructor(start = 1_700_000_000_000) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve });
    });
  }

  /** Advances time until `work` settles. */
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const guarded = work.finally(() => {
      done = true;
    });
    // Observed here so a rejection is not reported as unhandled before the caller awaits it.
    guarded.catch(() => {});
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (done) return guarded;
      if (this.timers.length === 0) continue;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift()!;
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
  }
}

/** Largest number of times within any half-open window `[t, t + windowMs)`. */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
