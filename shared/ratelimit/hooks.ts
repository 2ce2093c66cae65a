import { type Clock, systemClock } from '../core/clock.ts';
import { RetryLaterError } from '../zscaler/errors.ts';
import type { CallHooks, ZscalerCall } from '../zscaler/hooks.ts';
import { formatKey, type RateLimitKey } from './key.ts';
import type { RateLimiter } from './limiter.ts';
import { ztwBudgetOf } from './ztw-budgets.ts';

export interface RateLimitHooksOptions {
  /** Longest wait slept inside the worker; a later slot throws `RetryLaterError` (default 10 s). */
  maxSleepMs?: number;
  clock?: Clock;
  /** Block used when a 429 carries no Retry-After (default 15 s, ZPA's usual answer is 13 s). */
  defaultRetryAfterMs?: number;
}

/** Wake-ups past a permit's slack in a row before the call is deferred instead. */
const MAX_LATE_WAKEUPS = 5;

/**
 * Puts the limiter in front of every Zscaler call. `before` takes a permit for the call's budget,
 * sleeps short waits (resolving with the ms waited) and throws `RetryLaterError(notBefore,
 * 'rate-limit')` for long ones so the worker defers the job; `after` turns a 429 into a block of the
 * key for every worker until its Retry-After.
 *
 * @example
 * const client = createZpaClient({ tenant, credentials, hooks: composeHooks(createRateLimitHooks(limiter), auditHooks) });
 */
export function createRateLimitHooks(limiter: RateLimiter, options: RateLimitHooksOptions = {}): CallHooks {
  const clock = options.clock ?? systemClock;
  const maxSleepMs = options.maxSleepMs ?? 10_000;
  const defaultRetryAfterMs = options.defaultRetryAfterMs ?? 15_000;
  return {
    async before(call) {
      const key = keyOf(call);
      if (!key) return 0;
      const started = clock.now();
      let r = await limiter.acquire(key, { maxWaitMs: maxSleepMs });
      for (let round = 0; ; round++) {
        if (!r.ok) {
          throw new RetryLaterError(
            `rate limit ${formatKey(key)}: ${r.reason}, not before ${new Date(r.notBefore).toISOString()}`,
            r.notBefore,
            'rate-limit',
          );
        }
        // Sleep until the slot itself: `waitMs` was measured before the storage round trip.
        const wait = r.slotAt - clock.now();
        if (wait > 0) await clock.sleep(wait);
        // A process held up past the permit's slack (a busy event loop, a paused Lambda) would call
        // too close to the next permits: hand it back to be moved to now, then call.
        if (r.useBy === undefined || r.held === undefined || clock.now() <= r.useBy) break;
        if (round >= MAX_LATE_WAKEUPS) {
          throw new RetryLaterError(`rate limit ${formatKey(key)}: late`, clock.now(), 'rate-limit');
        }
        r = await limiter.acquire(key, { maxWaitMs: maxSleepMs, late: { slotAt: r.slotAt, held: r.held } });
      }
      return Math.max(0, clock.now() - started);
    },
    async after(result) {
      // A 429, or an answer standing in for one (ZTW 401 "Resource Access Blocked").
      if (result.status !== 429 && result.errorClass !== 'RateLimitedError') return;
      const key = keyOf(result.call);
      if (!key) return;
      const wait =
        result.retryAfterMs !== undefined && result.retryAfterMs > 0
          ? result.retryAfterMs
          : defaultRetryAfterMs;
      await limiter.block(key, clock.now() + wait);
    },
  };
}

/**
 * The budget a call spends. ZPA: its method class. Cloud & Branch Connector: its endpoint family and
 * method (`ecVmUuid.delete`), or its method class for an endpoint the summary does not list.
 */
export function keyOf(call: ZscalerCall): RateLimitKey | undefined {
  if (call.rateClass === 'none') return undefined;
  const budget = call.api === 'ztw' ? ztwBudgetOf(call.method, call.path) : undefined;
  return { tenant: call.tenant, api: call.api, rateClass: budget ?? call.rateClass };
}
