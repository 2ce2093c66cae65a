import { describe, expect, it } from 'vitest';
import {
  AuthError,
  ConflictError,
  NotFoundError,
  RateLimitedError,
  ResponseShapeError,
  RetryLaterError,
  TransientError,
  ValidationError,
} from '../../../shared/zscaler/errors.ts';
import { BUSY_BACKOFF, type RetryMode, RetryPolicy } from '../../../shared/zscaler/http/retry-policy.ts';

const errors = {
  rateLimited: new RateLimitedError('429', 0),
  conflict: new ConflictError('409'),
  transient: new TransientError('503'),
  notFound: new NotFoundError('404'),
  auth: new AuthError('401'),
  validation: new ValidationError('400'),
  shape: new ResponseShapeError('bad body', []),
};

describe('RetryPolicy.isRetryable: the decision table', () => {
  const table: [keyof typeof errors, RetryMode, boolean][] = [
    ['rateLimited', 'always', true],
    ['conflict', 'always', true],
    ['transient', 'always', true],
    ['notFound', 'always', false],
    ['auth', 'always', false],
    ['validation', 'always', false],
    ['shape', 'always', false],
    ['rateLimited', 'not-acted', true],
    ['conflict', 'not-acted', true],
    ['transient', 'not-acted', false],
    ['notFound', 'not-acted', false],
    ['rateLimited', 'never', false],
    ['conflict', 'never', false],
    ['transient', 'never', false],
    ['validation', 'never', false],
  ];
  it.each(table)('%s under %s → %s', (name, mode, expected) => {
    expect(new RetryPolicy().isRetryable(errors[name], mode)).toBe(expected);
  });

  it('never retries a POST create on a transient failure (it is surfaced as is)', () => {
    const decision = new RetryPolicy().decide(errors.transient, { mode: 'never', attempt: 1, waitedMs: 0 });
    expect(decision).toEqual({ action: 'fail' });
  });
});

describe('RetryPolicy back-off with full jitter', () => {
  it('stays within [0, min(max, base·2^(n−1))] and reaches the bounds', () => {
    const low = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0 });
    const high = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6].map((n) => low.backoffMs(n))).toEqual([0, 0, 0, 0, 0, 0]);
    expect([1, 2, 3, 4, 5, 6].map((n) => high.backoffMs(n))).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('draws uniformly across the range (every draw within bounds)', () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const policy = new RetryPolicy({ baseDelayMs: 200, maxDelayMs: 5_000, random });
    for (let attempt = 1; attempt <= 8; attempt++) {
      const ceiling = Math.min(5_000, 200 * 2 ** (attempt - 1));
      for (let i = 0; i < 200; i++) {
        const d = policy.backoffMs(attempt);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
      }
    }
  });
});

describe('RetryPolicy.decide', () => {
  it('uses Retry-After as a floor under the jittered back-off', () => {
    const policy = new RetryPolicy({ baseDelayMs: 1_000, random: () => 0.5 });
    expect(
      policy.decide(new RateLimitedError('429', 3_000), { mode: 'always', attempt: 1, waitedMs: 0 }),
    ).toEqual({
      action: 'retry',
      delayMs: 3_000,
    });
    // Back-off above the floor wins.
    expect(
      policy.decide(new RateLimitedError('429', 100), { mode: 'always', attempt: 2, waitedMs: 0 }),
    ).toEqual({
      action: 'retry',
      delayMs: 1_000,
    });
    expect(
      policy.decide(new TransientError('503', {}, { retryAfterMs: 2_500 }), {
        mode: 'always',
        attempt: 1,
        waitedMs: 0,
      }),
    ).toEqual({ action: 'retry', delayMs: 2_500 });
  });

  it('defers instead of sleeping past the total-wait cap', () => {
    const policy = new RetryPolicy({ maxTotalWaitMs: 10_000, random: () => 0 });
    expect(
      policy.decide(new RateLimitedError('429', 593_000), { mode: 'always', attempt: 1, waitedMs: 0 }),
    ).toEqual({
      action: 'defer',
      delayMs: 593_000,
      why: 'retry-after',
    });
    expect(
      policy.decide(new RateLimitedError('429', 4_000), { mode: 'always', attempt: 2, waitedMs: 7_000 }),
    ).toEqual({
      action: 'defer',
      delayMs: 4_000,
      why: 'retry-after',
    });
    expect(
      policy.decide(new RateLimitedError('429', 3_000), { mode: 'always', attempt: 2, waitedMs: 7_000 }),
    ).toEqual({
      action: 'retry',
      delayMs: 3_000,
    });
  });

  it('names why a deferral happened and builds RetryLaterError(notBefore)', () => {
    const policy = new RetryPolicy({ maxTotalWaitMs: 0, random: () => 0.5, baseDelayMs: 1_000 });
    const editLock = new ConflictError('409 EDIT_LOCK_NOT_AVAILABLE', {}, 'edit-lock');
    // A busy answer's own back-off: uniform in [c/2, c], c = 2 s for the edit lock's first retry,
    // scaled with baseDelayMs (1 s here, twice the default 500 ms): c = 4 s, 3 s at the middle draw.
    const d1 = policy.decide(editLock, { mode: 'always', attempt: 1, waitedMs: 0 });
    expect(d1).toEqual({ action: 'defer', delayMs: 3_000, why: 'edit-lock' });
    const d2 = policy.decide(errors.transient, { mode: 'always', attempt: 1, waitedMs: 0 });
    expect(d2).toMatchObject({ action: 'defer', why: 'transient' });
    expect(policy.decide(errors.conflict, { mode: 'always', attempt: 1, waitedMs: 0 })).toMatchObject({
      action: 'defer',
      why: 'busy:concurrent-access',
    });
    if (d1.action !== 'defer') throw new Error('expected defer');
    const err = policy.deferral(editLock, d1, 1_000_000);
    expect(err).toBeInstanceOf(RetryLaterError);
    expect(err.notBefore).toBe(1_003_000);
    expect(err.why).toBe('edit-lock');
    expect(err.cause).toBe(editLock);
  });

  it('backs off each busy kind on its own, never to zero, and retries restricted-entity a few times only', () => {
    const low = new RetryPolicy({ random: () => 0, maxTotalWaitMs: 60_000 });
    const high = new RetryPolicy({ random: () => 0.999_999, maxTotalWaitMs: 60_000 });
    // A time-scaled policy (base 25 ms, a twentieth of the default) shrinks busy waits alike.
    const scaled = new RetryPolicy({ random: () => 0, baseDelayMs: 25 });
    expect(
      scaled.decide(new ConflictError('409', {}, 'edit-lock'), { mode: 'always', attempt: 1, waitedMs: 0 }),
    ).toEqual({ action: 'retry', delayMs: 50 });
    for (const kind of Object.keys(BUSY_BACKOFF) as (keyof typeof BUSY_BACKOFF)[]) {
      const e = new ConflictError(kind, {}, kind);
      const { baseMs, maxMs } = BUSY_BACKOFF[kind];
      const first = low.decide(e, { mode: 'not-acted', attempt: 1, waitedMs: 0 });
      expect(first).toEqual({ action: 'retry', delayMs: baseMs / 2 });
      const capped = high.decide(e, { mode: 'always', attempt: 3, waitedMs: 0 });
      if (kind === 'restricted-entity') {
        expect(capped.action).toBe('fail');
      } else {
        expect(capped.action).toBe('retry');
        expect((capped as { delayMs: number }).delayMs).toBeLessThanOrEqual(maxMs);
        expect((capped as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(
          Math.min(maxMs, baseMs * 4) / 2,
        );
      }
      // A create is never retried by the client, whatever the answer: the job looks up first.
      expect(low.decide(e, { mode: 'never', attempt: 1, waitedMs: 0 }).action).toBe('fail');
    }
  });

  it('stops at maxAttempts', () => {
    const policy = new RetryPolicy({ maxAttempts: 3, random: () => 0 });
    expect(policy.decide(errors.transient, { mode: 'always', attempt: 2, waitedMs: 0 }).action).toBe('retry');
    expect(policy.decide(errors.transient, { mode: 'always', attempt: 3, waitedMs: 0 }).action).toBe('fail');
    expect(
      new RetryPolicy({ maxAttempts: 1 }).decide(errors.transient, {
        mode: 'always',
        attempt: 1,
        waitedMs: 0,
      }).action,
    ).toBe('fail');
  });
});
