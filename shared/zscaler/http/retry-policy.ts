import {
  type BusyKind,
  ConflictError,
  RateLimitedError,
  RetryLaterError,
  TransientError,
} from '../errors.ts';

/** Default back-off base; `BUSY_BACKOFF` is written for it and scales with the configured base. */
export const DEFAULT_BASE_DELAY_MS = 500;

/**
 * The back-off of each "busy" answer (the server did not act): a floor so the tenant's other work
 * gets time to finish (Zscaler: "wait a few seconds and retry"), doubling per attempt up to a cap.
 * `maxAttempts` limits kinds that may also be real refusals.
 */
export const BUSY_BACKOFF: Record<BusyKind, { baseMs: number; maxMs: number; maxAttempts?: number }> = {
  'concurrent-access': { baseMs: 1_000, maxMs: 8_000 },
  'simultaneous-request': { baseMs: 1_000, maxMs: 8_000 },
  'restricted-entity': { baseMs: 1_000, maxMs: 4_000, maxAttempts: 3 },
  'edit-lock': { baseMs: 2_000, maxMs: 10_000 },
  'org-barrier': { baseMs: 2_000, maxMs: 10_000 },
  precondition: { baseMs: 1_000, maxMs: 8_000 },
};

/**
 * Which failures a call may be retried on.
 * - `always`: idempotent calls (GET, PUT, DELETE; auth requests): retried on 429, the "busy" answers
 *   (`ConflictError`) and transient failures (5xx, timeouts, resets).
 * - `not-acted`: POST `connector/bulkDelete`. Deleting the same ids twice is harmless, but after an
 *   ambiguous failure (timeout, 5xx) some ids may be gone and others not, and a blind repeat would
 *   turn the answer into a confusing not-found; so it is retried only where the server certainly did
 *   not act (429, Resource Access Blocked, the busy answers: `db.simultaneous.request`,
 *   `api.concurrent.access.error`, edit lock, org barrier, precondition) and an ambiguous failure is
 *   surfaced for the job layer to re-plan.
 * - `never`: POST create. Never repeated by the client: on any failure the error is surfaced so the
 *   job layer looks the object up by name before trying again.
 */
export type RetryMode = 'always' | 'not-acted' | 'never';

export interface RetryPolicyOptions {
  /** Attempts in all, the first included. Default 4. */
  maxAttempts?: number;
  /** Back-off base: the cap of the first retry's jittered delay. Default 500 ms. */
  baseDelayMs?: number;
  /** Cap of one back-off delay before Retry-After is applied. Default 8 s. */
  maxDelayMs?: number;
  /**
   * Longest total time one call may spend sleeping between attempts. A retry that would go past it
   * becomes `RetryLaterError(notBefore)` instead, so a Lambda never sleeps on a 593 s Retry-After.
   * Default 10 s.
   */
  maxTotalWaitMs?: number;
  /** Source of randomness in [0, 1), injectable for tests. Default `Math.random`. */
  random?: () => number;
}

/** What to do after a failed attempt. */
export type RetryDecision =
  | { action: 'fail' }
  | { action: 'retry'; delayMs: number }
  | { action: 'defer'; delayMs: number; why: string };

/**
 * Retry decisions: exponential back-off with full jitter, Retry-After as a floor, a cap on the
 * total wait and on attempts.
 *
 * @example
 * const policy = new RetryPolicy({ maxTotalWaitMs: 10_000 });
 * policy.decide(new RateLimitedError('429', 13_000), { mode: 'always', attempt: 1, waitedMs: 0 });
 * // { action: 'defer', delayMs: 13000, why: 'retry-after' }
 */
export class RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxTotalWaitMs: number;
  readonly #random: () => number;

  constructor(options: RetryPolicyOptions = {}) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? 8_000;
    this.maxTotalWaitMs = options.maxTotalWaitMs ?? 10_000;
    this.#random = options.random ?? Math.random;
  }

  /** Whether `error` may be retried at all under `mode`. */
  isRetryable(error: unknown, mode: RetryMode): boolean {
    if (mode === 'never') return false;
    if (error instanceof RateLimitedError || error instanceof ConflictError) return true;
    return mode === 'always' && error instanceof TransientError;
  }

  /** Full-jitter back-off for the retry after attempt `attempt` (1-based): uniform in [0, min(max, base·2^(n−1))]. */
  backoffMs(attempt: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.max(0, attempt - 1));
    return Math.floor(this.#random() * ceiling);
  }

  /**
   * A busy answer's back-off: uniform in [c/2, c] with c = min(max, base·2^(n−1)), never zero. The
   * table is for the default `baseDelayMs` (500 ms) and scales with it, so a time-scaled run (chaos,
   * benchmarks) shrinks these waits like every other.
   */
  busyBackoffMs(busy: { baseMs: number; maxMs: number }, attempt: number): number {
    const scale = this.baseDelayMs / DEFAULT_BASE_DELAY_MS;
    const ceiling = scale * Math.min(busy.maxMs, busy.baseMs * 2 ** Math.max(0, attempt - 1));
    return Math.floor(ceiling / 2 + this.#random() * (ceiling / 2));
  }

  /**
   * Decides after failed attempt `attempt` (1-based), given the time already slept between attempts
   * of this call (`waitedMs`).
   */
  decide(error: unknown, ctx: { mode: RetryMode; attempt: number; waitedMs: number }): RetryDecision {
    if (!this.isRetryable(error, ctx.mode) || ctx.attempt >= this.maxAttempts) return { action: 'fail' };
    const busy = error instanceof ConflictError ? BUSY_BACKOFF[error.kind] : undefined;
    if (busy?.maxAttempts !== undefined && ctx.attempt >= busy.maxAttempts) return { action: 'fail' };
    const floor = serverWaitMs(error) ?? 0;
    const backoff = busy ? this.busyBackoffMs(busy, ctx.attempt) : this.backoffMs(ctx.attempt);
    const delayMs = Math.max(backoff, floor);
    if (ctx.waitedMs + delayMs > this.maxTotalWaitMs) return { action: 'defer', delayMs, why: whyOf(error) };
    return { action: 'retry', delayMs };
  }

  /** The `RetryLaterError` for a `defer` decision, keeping the original error as its cause. */
  deferral(error: unknown, decision: { delayMs: number; why: string }, nowMs: number): RetryLaterError {
    const message = error instanceof Error ? error.message : String(error);
    return new RetryLaterError(
      `retry not before ${new Date(nowMs + decision.delayMs).toISOString()} (${decision.why}): ${message}`,
      nowMs + decision.delayMs,
      decision.why,
      { cause: error },
    );
  }
}

/** The wait the server asked for, when it asked. */
function serverWaitMs(error: unknown): number | undefined {
  if (error instanceof RateLimitedError) return error.retryAfterMs;
  if (error instanceof TransientError) return error.retryAfterMs;
  return undefined;
}

function whyOf(error: unknown): string {
  if (error instanceof RateLimitedError) return 'retry-after';
  if (error instanceof ConflictError) return error.kind === 'edit-lock' ? 'edit-lock' : `busy:${error.kind}`;
  return 'transient';
}
