import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RATE_LIMITS,
  effectiveLimits,
  FixedWindowLimiter,
  rateClassOf,
  retryAfterSeconds,
  ztwWindowName,
} from '../../../simulator/ratelimit.ts';

describe('rate classes', () => {
  it.each([
    ['zpa', 'GET', '/connector', 'read'],
    ['zpa', 'POST', '/connector/bulkDelete', 'write'],
    ['zpa', 'PUT', '/appConnectorGroup/1', 'write'],
    ['zpa', 'DELETE', '/connector/1', 'write'],
    // Cloud & Branch Connector: per endpoint family and method (the API Rate Limit Summary).
    ['ztw', 'GET', '/ecgroup', 'ecgroup.get'],
    ['ztw', 'GET', '/ecgroup/1', 'ecgroup.get'],
    ['ztw', 'GET', '/ecgroup/1/vm/2', 'ecgroup.get'],
    ['ztw', 'DELETE', '/ecgroup/1/vm/2', 'ecgroup.delete'],
    ['ztw', 'GET', '/ecgroup/lite', 'ecgroupLite.get'],
    ['ztw', 'GET', '/ecVm/uuid/i-1', 'ecVmUuid.get'],
    ['ztw', 'DELETE', '/ecVm/uuid/i-1', 'ecVmUuid.delete'],
    ['ztw', 'DELETE', '/ecVm/7', 'ecVm.delete'],
    ['ztw', 'GET', '/ecAdminActivateStatus', 'ecAdminActivateStatus.get'],
    ['ztw', 'PUT', '/ecAdminActivateStatus/activate', 'ecAdminActivateStatusActivate.put'],
    ['ztw', 'POST', '/ecgroup', 'ecgroup.post'],
    // Endpoints the summary does not list: the generic weight table's classes.
    ['ztw', 'GET', '/location', 'read'],
    ['ztw', 'POST', '/ecVm/uuid/i-1', 'write'],
    ['ztw', 'DELETE', '/somethingElse/1', 'delete'],
    ['auth', 'POST', '/signin', 'none'],
  ] as const)('%s %s %s → %s', (api, method, path, cls) => {
    expect(rateClassOf(api, method, path)).toBe(cls);
  });
});

describe('effective limits', () => {
  it('are the documented ones at scale 1', () => {
    expect(effectiveLimits(true, 1)).toEqual(DEFAULT_RATE_LIMITS);
    // The summary: VM deletion by instance id 1/s and 400/h (not the generic DELETE 1/min and 4/h).
    expect(DEFAULT_RATE_LIMITS.ztw['ecVmUuid.delete']).toEqual([
      { limit: 1, windowMs: 1_000 },
      { limit: 400, windowMs: 3_600_000 },
    ]);
    expect(DEFAULT_RATE_LIMITS.ztw['ecAdminActivateStatus.get']).toEqual([
      { limit: 10, windowMs: 1_000 },
      { limit: 5000, windowMs: 3_600_000 },
    ]);
    expect(DEFAULT_RATE_LIMITS.ztw['ecgroup.get']).toEqual([
      { limit: 5, windowMs: 1_000 },
      { limit: 3000, windowMs: 3_600_000 },
    ]);
    expect(DEFAULT_RATE_LIMITS.ztw.delete).toEqual([
      { limit: 1, windowMs: 60_000 },
      { limit: 4, windowMs: 3_600_000 },
    ]);
  });

  it('shrink windows by the time scale and apply overrides', () => {
    const t = effectiveLimits({ ztw: { read: [{ limit: 9, windowMs: 2000 }] } }, 10);
    expect(t.zpa.read).toEqual([{ limit: 20, windowMs: 1000 }]);
    expect(t.ztw.read).toEqual([{ limit: 9, windowMs: 200 }]);
  });
});

describe('FixedWindowLimiter', () => {
  const W = [{ limit: 2, windowMs: 1000 }];

  it('opens the window at the first call and refuses past the limit until it closes', () => {
    const l = new FixedWindowLimiter();
    expect(l.take('k', W, 500).ok).toBe(true);
    expect(l.take('k', W, 900).ok).toBe(true);
    const no = l.take('k', W, 1200);
    expect(no).toEqual({ ok: false, retryAfterMs: 300, window: W[0] });
    expect(l.take('k', W, 1499).ok).toBe(false);
    expect(l.take('k', W, 1500).ok).toBe(true);
    expect(l.take('other', W, 1500).ok).toBe(true);
  });

  it('takes all windows together and reports the longest wait', () => {
    const l = new FixedWindowLimiter();
    const ws = [
      { limit: 1, windowMs: 1000 },
      { limit: 2, windowMs: 10_000 },
    ];
    expect(l.take('k', ws, 0).ok).toBe(true);
    expect(l.take('k', ws, 500)).toMatchObject({ ok: false, retryAfterMs: 500 });
    expect(l.take('k', ws, 1000).ok).toBe(true);
    expect(l.take('k', ws, 2000)).toMatchObject({ ok: false, retryAfterMs: 8000, window: ws[1] });
    // Refused calls counted against neither window.
    expect(l.take('k', ws, 10_000).ok).toBe(true);
  });

  it('is cleared by clear()', () => {
    const l = new FixedWindowLimiter();
    l.take('k', [{ limit: 1, windowMs: 1000 }], 0);
    l.clear();
    expect(l.take('k', [{ limit: 1, windowMs: 1000 }], 1).ok).toBe(true);
  });
});

describe('Retry-After rendering', () => {
  it('rounds up to whole seconds at scale 1, to tenths when scaled', () => {
    expect(retryAfterSeconds(12_001, 1)).toBe('13');
    expect(retryAfterSeconds(10_000, 1)).toBe('10');
    expect(retryAfterSeconds(1, 1)).toBe('1');
    expect(retryAfterSeconds(1250, 10)).toBe('1.3');
    expect(retryAfterSeconds(1, 10)).toBe('0.1');
  });

  it('names ZTW windows by their unscaled unit', () => {
    expect(ztwWindowName({ limit: 1, windowMs: 1000 }, 1)).toBe('1/SECOND');
    expect(ztwWindowName({ limit: 1, windowMs: 6000 }, 10)).toBe('1/MINUTE');
    expect(ztwWindowName({ limit: 400, windowMs: 3_600_000 }, 1)).toBe('400/HOUR');
  });
});
