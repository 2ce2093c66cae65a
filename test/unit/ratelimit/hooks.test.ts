import { describe, expect, it } from 'vitest';
import { createRateLimitHooks } from '../../../shared/ratelimit/hooks.ts';
import { RateLimiter } from '../../../shared/ratelimit/limiter.ts';
import { RateLimits } from '../../../shared/ratelimit/limits.ts';
import { MemoryRateLimitStore } from '../../../shared/ratelimit/memory-store.ts';
import { RetryLaterError } from '../../../shared/zscaler/errors.ts';
import type { ZscalerCall } from '../../../shared/zscaler/hooks.ts';
import { composeHooks } from '../../../shared/zscaler/hooks.ts';
import { VirtualClock } from './virtual-clock.ts';

const call = (over: Partial<ZscalerCall> = {}): ZscalerCall => ({
  tenant: 'acme',
  api: 'zpa',
  method: 'DELETE',
  path: '/mgmtconfig/v1/admin/customers/1/connector/7',
  operation: 'appConnector.delete',
  rateClass: 'write',
  idempotent: true,
  attempt: 1,
  ...over,
});

function setup(maxSleepMs = 3_000) {
  const clock = new VirtualClock();
  const store = new MemoryRateLimitStore();
  const limiter = new RateLimiter({ store, limits: RateLimits.from(), clock, random: () => 0 });
  const hooks = createRateLimitHooks(limiter, { maxSleepMs, clock, defaultRetryAfterMs: 15_000 });
  return { clock, store, limiter, hooks };
}

describe('createRateLimitHooks', () => {
  it('sleeps short waits and reports the time waited', async () => {
    const { clock, hooks } = setup();
    const t0 = clock.now();
    expect(await clock.run(hooks.before!(call()))).toBe(0);
    expect(await clock.run(hooks.before!(call()))).toBe(1035);
    expect(clock.now()).toBe(t0 + 1035);
  });

  it('throws RetryLaterError "not before T" instead of sleeping long', async () => {
    const { clock, hooks } = setup(1_000);
    await clock.run(hooks.before!(call()));
    const t = clock.now();
    const err = await clock.run(hooks.before!(call())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLaterError);
    expect((err as RetryLaterError).why).toBe('rate-limit');
    expect((err as RetryLaterError).notBefore).toBeGreaterThanOrEqual(t + 1035);
    expect(clock.now()).toBe(t); // nothing slept
  });

  it('lets unlimited calls (authentication) through without a permit', async () => {
    const { store, hooks } = setup();
    expect(await hooks.before!(call({ rateClass: 'none', api: 'zpa', path: '/signin' }))).toBe(0);
    expect(store.requests).toBe(0);
  });

  it('a 429 blocks the key for every worker until its Retry-After', async () => {
    const { clock, store, hooks } = setup();
    await clock.run(hooks.before!(call()));
    const t = clock.now();
    await hooks.after!({
      call: call(),
      ok: false,
      status: 429,
      latencyMs: 5,
      limiterWaitMs: 0,
      retryAfterMs: 13_000,
    });
    const other = new RateLimiter({ store, limits: RateLimits.from(), clock });
    const r = await other.acquire('acme/zpa/write');
    expect(r).toMatchObject({ ok: false, reason: 'blocked' });
    expect(r.ok || r.notBefore >= t + 13_000).toBe(true);
  });

  it('uses a safe default block when the 429 has no Retry-After, and ignores other statuses', async () => {
    const { clock, store, hooks } = setup();
    const t = clock.now();
    await hooks.after!({ call: call(), ok: true, status: 204, latencyMs: 5, limiterWaitMs: 0 });
    expect(await store.read('acme/zpa/write')).toBeUndefined();
    await hooks.after!({ call: call(), ok: false, status: 429, latencyMs: 5, limiterWaitMs: 0 });
    expect((await store.read('acme/zpa/write'))?.blockedUntil).toBe(t + 15_000);
  });

  it('composes with other hooks', async () => {
    const { clock, hooks } = setup();
    const seen: number[] = [];
    const composed = composeHooks(hooks, { after: (r) => void seen.push(r.status ?? 0) });
    await clock.run(composed.before!(call()));
    expect(await clock.run(composed.before!(call()))).toBe(1035);
    await composed.after!({ call: call(), ok: true, status: 204, latencyMs: 1, limiterWaitMs: 1035 });
    expect(seen).toEqual([204]);
  });
});
