import { describe, expect, it } from 'vitest';
import { TokenCache } from '../../../shared/zscaler/zpa/auth/token-cache.ts';
import { fakeClock } from './fakes.ts';

describe('TokenCache', () => {
  it('shares one in-flight request between concurrent callers', async () => {
    let calls = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const cache = new TokenCache(async () => {
      calls++;
      await gate;
      return { accessToken: `t${calls}`, expiresInMs: 3_600_000 };
    }, fakeClock());
    const all = Promise.all([cache.get(), cache.get(), cache.get()]);
    release();
    expect(await all).toEqual(['t1', 't1', 't1']);
    expect(calls).toBe(1);
  });

  it('renews shortly before expiry (60 s margin)', async () => {
    const clock = fakeClock();
    let n = 0;
    const cache = new TokenCache(
      async () => ({ accessToken: `t${++n}`, expiresInMs: 3_600_000 }),
      clock,
      60_000,
    );
    expect(await cache.get()).toBe('t1');
    clock.advance(3_600_000 - 60_001);
    expect(await cache.get()).toBe('t1');
    clock.advance(2);
    expect(await cache.get()).toBe('t2');
  });

  it('uses a short-lived token for half its life', async () => {
    const clock = fakeClock();
    let n = 0;
    const cache = new TokenCache(
      async () => ({ accessToken: `t${++n}`, expiresInMs: 10_000 }),
      clock,
      60_000,
    );
    await cache.get();
    clock.advance(4_999);
    expect(await cache.get()).toBe('t1');
    clock.advance(1);
    expect(await cache.get()).toBe('t2');
  });

  it('invalidates only the token that failed, and a failed fetch is not cached', async () => {
    let n = 0;
    const cache = new TokenCache(async () => {
      n++;
      if (n === 3) throw new Error('sign-in down');
      return { accessToken: `t${n}`, expiresInMs: 3_600_000 };
    }, fakeClock());
    expect(await cache.get()).toBe('t1');
    cache.invalidate('t1');
    expect(await cache.get()).toBe('t2');
    cache.invalidate('t1'); // stale: ignored
    expect(await cache.get()).toBe('t2');
    cache.invalidate('t2');
    await expect(cache.get()).rejects.toThrow('sign-in down');
    expect(await cache.get()).toBe('t4');
  });
});
