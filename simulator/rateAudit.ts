import { windowsOf } from './ratelimit.ts';
import type { CallLogEntry, RateLimitTable, RateWindow, SimApi, SimRateClass } from './types.ts';

/** One sliding window that held more calls than its limit. */
export interface RateViolation {
  api: SimApi;
  tenant: string;
  rateClass: SimRateClass;
  window: RateWindow;
  /** Calls seen inside the window. */
  count: number;
  /** Times (simulator clock) of the first and last call of the overflowing window. */
  from: number;
  to: number;
}

export interface RateAuditOptions {
  /**
   * Which calls count. Default `sent`: every call the client sent in a limited class (429s
   * included), the strictest reading of "never exceeded the budget". `admitted`: only calls the
   * simulator counted.
   */
  count?: 'sent' | 'admitted';
}

/**
 * Audits a call log with *sliding* windows per (api, tenant, class): stricter than the server's
 * fixed windows, so a client that passes never overran Zscaler's budget however its windows
 * happened to align. Returns one violation per overflowing stretch (empty when clean).
 *
 * @example
 * expect(findRateViolations(sim.callLog, sim.effectiveLimits())).toEqual([]);
 */
export function findRateViolations(
  callLog: readonly CallLogEntry[],
  limits: RateLimitTable,
  options: RateAuditOptions = {},
): RateViolation[] {
  const groups = new Map<string, { api: SimApi; tenant: string; rateClass: SimRateClass; times: number[] }>();
  for (const e of callLog) {
    if (e.rateClass === 'none' || e.api === 'auth') continue;
    if (options.count === 'admitted' && !e.counted) continue;
    const tenant = e.tenant ?? '?';
    const key = `${e.api}\u0000${tenant}\u0000${e.rateClass}`;
    let g = groups.get(key);
    if (!g) {
      g = { api: e.api, tenant, rateClass: e.rateClass, times: [] };
      groups.set(key, g);
    }
    g.times.push(e.at);
  }
  const out: RateViolation[] = [];
  for (const g of groups.values()) {
    const times = g.times.sort((a, b) => a - b);
    for (const w of windowsOf(limits, g.api, g.rateClass)) {
      let j = 0;
      let open: RateViolation | undefined;
      for (let i = 0; i < times.length; i++) {
        const t = times[i] ?? 0;
        while ((times[j] ?? 0) <= t - w.windowMs) j++;
        const count = i - j + 1;
        if (count > w.limit) {
          if (open && (times[j] ?? 0) <= open.to) {
            open.to = t;
            open.count = Math.max(open.count, count);
          } else {
            open = {
              api: g.api,
              tenant: g.tenant,
              rateClass: g.rateClass,
              window: w,
              count,
              from: times[j] ?? t,
              to: t,
            };
            out.push(open);
          }
        }
      }
    }
  }
  return out;
}
