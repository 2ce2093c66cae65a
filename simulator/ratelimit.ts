import type { RateLimitOverrides, RateLimitTable, RateWindow, SimApi, SimRateClass } from './types.ts';
import { ztwClassOf } from './ztw/rate-families.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

function perSecondAndHour(perSecond: number, perHour: number): RateWindow[] {
  return [
    { limit: perSecond, windowMs: SECOND },
    { limit: perHour, windowMs: HOUR },
  ];
}

/** The documented limits (facts page), unscaled. */
export const DEFAULT_RATE_LIMITS: RateLimitTable = {
  zpa: {
    read: [{ limit: 20, windowMs: 10 * SECOND }],
    write: [{ limit: 10, windowMs: 10 * SECOND }],
  },
  ztw: {
    // The API Rate Limit Summary, per endpoint family and method.
    'ecgroup.get': perSecondAndHour(5, 3000),
    'ecgroup.post': perSecondAndHour(5, 3000),
    'ecgroup.put': perSecondAndHour(1, 400),
    'ecgroup.delete': perSecondAndHour(1, 400),
    'ecgroupLite.get': perSecondAndHour(5, 3000),
    'ecVm.get': perSecondAndHour(5, 3000),
    'ecVm.post': perSecondAndHour(1, 400),
    'ecVm.put': perSecondAndHour(1, 400),
    'ecVm.delete': perSecondAndHour(1, 400),
    'ecVmUuid.get': perSecondAndHour(5, 3000),
    'ecVmUuid.delete': perSecondAndHour(1, 400),
    'ecInstanceLite.get': perSecondAndHour(2, 1000),
    'ecAdminActivateStatus.get': perSecondAndHour(10, 5000),
    'ecAdminActivateStatusActivate.put': perSecondAndHour(1, 400),
    // The generic weight table, for endpoints the summary does not list.
    read: perSecondAndHour(2, 1000),
    write: perSecondAndHour(1, 400),
    delete: [
      { limit: 1, windowMs: MINUTE },
      { limit: 4, windowMs: HOUR },
    ],
  },
};

/** Applies overrides then divides every window by `timeScale`. */
export function effectiveLimits(overrides: boolean | RateLimitOverrides, timeScale: number): RateLimitTable {
  const o = typeof overrides === 'object' ? overrides : {};
  const scale = (ws: RateWindow[]) => ws.map((w) => ({ limit: w.limit, windowMs: w.windowMs / timeScale }));
  const zpa = { ...DEFAULT_RATE_LIMITS.zpa, ...o.zpa };
  const ztw = { ...DEFAULT_RATE_LIMITS.ztw, ...o.ztw };
  return {
    zpa: { read: scale(zpa.read), write: scale(zpa.write) },
    ztw: Object.fromEntries(Object.entries(ztw).map(([k, ws]) => [k, scale(ws ?? [])])),
  };
}

/**
 * The budget a call spends. `path` is relative to the API's mount point (`/connector/1`,
 * `/ecgroup`). Auth endpoints are `none`.
 */
export function rateClassOf(api: SimApi, method: string, path: string): SimRateClass {
  if (api === 'auth') return 'none';
  if (api === 'zpa') return method === 'GET' ? 'read' : 'write';
  return ztwClassOf(method, path);
}

/** The windows of a class, or none when it is not limited. */
export function windowsOf(table: RateLimitTable, api: SimApi, rateClass: SimRateClass): RateWindow[] {
  if (api === 'auth' || rateClass === 'none') return [];
  if (api === 'zpa') return rateClass === 'read' || rateClass === 'write' ? table.zpa[rateClass] : [];
  return table.ztw[rateClass] ?? [];
}

export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number; window: RateWindow };

/**
 * Fixed windows that open at the first call ("the window starts at the first call"): each window
 * admits `limit` calls until `windowMs` after it opened; the next call after that opens a new one.
 * All windows of a class are taken together, and a refused call counts against none of them.
 *
 * @example
 * const lim = new FixedWindowLimiter();
 * lim.take('zpa/123/read', [{ limit: 20, windowMs: 10_000 }], Date.now());
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }[]>();

  take(key: string, windows: RateWindow[], now: number): RateDecision {
    if (windows.length === 0) return { ok: true };
    let state = this.windows.get(key);
    if (!state || state.length !== windows.length) {
      state = windows.map(() => ({ start: Number.NEGATIVE_INFINITY, count: 0 }));
      this.windows.set(key, state);
    }
    let worst: { retryAfterMs: number; window: RateWindow } | undefined;
    windows.forEach((w, i) => {
      const s = state[i];
      if (!s || now >= s.start + w.windowMs) return;
      if (s.count >= w.limit) {
        const wait = s.start + w.windowMs - now;
        if (!worst || wait > worst.retryAfterMs) worst = { retryAfterMs: wait, window: w };
      }
    });
    if (worst) return { ok: false, ...worst };
    windows.forEach((w, i) => {
      const s = state[i];
      if (!s) return;
      if (now >= s.start + w.windowMs) {
        s.start = now;
        s.count = 1;
      } else s.count += 1;
    });
    return { ok: true };
  }

  /** Time until the first open window of `key` closes (used for injected 429s). */
  remainingMs(key: string, windows: RateWindow[], now: number): number {
    const state = this.windows.get(key);
    const first = windows[0];
    const s = state?.[0];
    if (!first || !s || now >= s.start + first.windowMs) return first?.windowMs ?? 1000;
    return s.start + first.windowMs - now;
  }

  clear(): void {
    this.windows.clear();
  }
}

/**
 * Seconds for a Retry-After value: whole seconds rounded up at scale 1; with a time scale the
 * scaled seconds rounded up to a tenth (`1.3`).
 */
export function retryAfterSeconds(ms: number, timeScale: number): string {
  if (timeScale === 1) return String(Math.max(1, Math.ceil(ms / 1000)));
  return String(Math.max(0.1, Math.ceil(ms / 100) / 10));
}

/** `1/SECOND`, `4/HOUR`… as ZTW names a window in its 429 message (unscaled unit). */
export function ztwWindowName(w: RateWindow, timeScale: number): string {
  const ms = w.windowMs * timeScale;
  const unit = ms >= HOUR ? 'HOUR' : ms >= MINUTE ? 'MINUTE' : 'SECOND';
  return `${w.limit}/${unit}`;
}
