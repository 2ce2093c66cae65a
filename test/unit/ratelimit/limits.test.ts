import { describe, expect, it } from 'vitest';
import { RateLimitConfigError } from '../../../shared/ratelimit/errors.ts';
import { parseKey } from '../../../shared/ratelimit/key.ts';
import { RateLimits } from '../../../shared/ratelimit/limits.ts';

describe('RateLimits', () => {
  it('defaults follow the facts page with the margin applied', () => {
    const limits = RateLimits.from({ margin: 0.03 });
    const w = limits.windowsFor({ tenant: 'acme', api: 'zpa', rateClass: 'write' });
    expect(w).toEqual([
      {
        id: 'w10000',
        limit: 10,
        windowMs: 10_000,
        burst: 1,
        intervalMs: 1035,
        toleranceMs: 0,
        slackMs: 350,
        jitterMs: 50,
      },
    ]);
    const read = limits.windowsFor({ tenant: 'acme', api: 'zpa', rateClass: 'read' });
    expect(read !== 'unlimited' && read[0]?.intervalMs).toBe(518);
  });

  it('adds the absolute minimum margin on top of the percentage (jitter on short windows)', () => {
    // ZTW's 1 s window: 3% is 30 ms, plus 50 ms kept for jitter.
    const w = RateLimits.from().windowsFor(parseKey('acme/ztw/write'));
    if (w === 'unlimited') throw new Error('expected windows');
    expect(w[0]).toMatchObject({ windowMs: 1000, intervalMs: 1080, slackMs: 80, jitterMs: 50 });
    const none = RateLimits.from({ margin: 0, minMarginMs: 0 }).windowsFor(parseKey('acme/ztw/write'));
    expect(none !== 'unlimited' && none[0]).toMatchObject({ intervalMs: 1000, slackMs: 0, jitterMs: 0 });
  });

  it('ZTW delete has a 1/min window and a 4/h window with a small burst', () => {
    const w = RateLimits.from().windowsFor(parseKey('acme/ztw/delete'));
    if (w === 'unlimited') throw new Error('expected windows');
    expect(w.map((x) => [x.limit, x.windowMs, x.burst])).toEqual([
      [1, 60_000, 1],
      [4, 3_600_000, 2],
    ]);
    // Two back-to-back permits plus the spaced ones never exceed 4 in an hour.
    const h = w[1]!;
    expect(h.burst + h.windowMs / h.intervalMs).toBeLessThan(h.limit + 1);
  });

  it('ZPA deletes spend the write budget', () => {
    expect(RateLimits.budgetClass('zpa', 'delete')).toBe('write');
    expect(RateLimits.budgetClass('ztw', 'delete')).toBe('delete');
  });

  it('applies tenant overrides, tenant margin and time scale', () => {
    const limits = RateLimits.from({
      timeScale: 10,
      minMarginMs: 0,
      tenants: { acme: { margin: 0.1, limits: { zpa: { write: [{ limit: 5, windowMs: 10_000 }] } } } },
    });
    const acme = limits.windowsFor(parseKey('acme/zpa/write'));
    expect(acme !== 'unlimited' && acme[0]).toMatchObject({ limit: 5, windowMs: 1000, intervalMs: 220 });
    const other = limits.windowsFor(parseKey('other/zpa/write'));
    expect(other !== 'unlimited' && other[0]).toMatchObject({ limit: 10, windowMs: 1000, intervalMs: 103 });
  });

  it('accepts unlimited classes', () => {
    const limits = RateLimits.from({ defaults: { ztw: { read: 'unlimited' } } });
    expect(limits.windowsFor(parseKey('x/ztw/read'))).toBe('unlimited');
  });

  it('rejects bad configuration with a clear message listing every problem', () => {
    let error: unknown;
    try {
      RateLimits.from({
        margin: 2,
        tenants: { acme: { limits: { zpa: { write: [{ limit: 3, windowMs: 1000, burst: 4 }] } } } },
        // @ts-expect-error unknown field must be rejected, not ignored
        marign: 0.1,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RateLimitConfigError);
    const e = error as RateLimitConfigError;
    expect(e.message).toContain('margin: margin must be <= 1');
    expect(e.message).toContain('tenants.acme.limits.zpa.write');
    expect(e.message).toContain('marign');
    expect(e.issues.length).toBeGreaterThanOrEqual(3);
  });

  it('rejects two windows of the same length in one class', () => {
    expect(() =>
      RateLimits.from({
        defaults: {
          ztw: {
            read: [
              { limit: 1, windowMs: 1000 },
              { limit: 2, windowMs: 1000 },
            ],
          },
        },
      }),
    ).toThrow(/same windowMs/);
  });
});

describe('rate limit keys', () => {
  it('parses and rejects', () => {
    expect(parseKey('acme/zpa/read')).toEqual({ tenant: 'acme', api: 'zpa', rateClass: 'read' });
    expect(() => parseKey('acme/zpa')).toThrow(/tenant/);
    expect(() => parseKey('acme/zia/read')).toThrow(/unknown api/);
    expect(() => parseKey('acme/zpa/none')).toThrow(/unknown rate class/);
  });
});
