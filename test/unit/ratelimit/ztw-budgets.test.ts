import { describe, expect, it } from 'vitest';
import { keyOf } from '../../../shared/ratelimit/hooks.ts';
import { formatKey, parseKey } from '../../../shared/ratelimit/key.ts';
import { RateLimits } from '../../../shared/ratelimit/limits.ts';
import { ZTW_BUDGETS, ztwBudgetOf, ztwFamilyOf } from '../../../shared/ratelimit/ztw-budgets.ts';
import type { ZscalerCall } from '../../../shared/zscaler/hooks.ts';

const SECOND = 1000;
const HOUR = 3_600_000;
const figures = (limits: RateLimits, key: string) => {
  const w = limits.limitsFor(parseKey(key));
  return w === 'unlimited' ? w : w.map((x) => [x.limit, x.windowMs]);
};

describe('Cloud & Branch Connector budgets per endpoint family', () => {
  it.each([
    ['GET', '/api/v1/ecgroup?page=1&pageSize=1000', 'ecgroup.get'],
    ['GET', '/api/v1/ecgroup/12', 'ecgroup.get'],
    ['GET', '/api/v1/ecgroup/12/vm/34', 'ecgroup.get'],
    ['DELETE', '/api/v1/ecgroup/12/vm/34', 'ecgroup.delete'],
    ['GET', '/ztw/api/v1/ecgroup/lite', 'ecgroupLite.get'],
    ['GET', '/api/v1/ecVm/uuid/i-0abc', 'ecVmUuid.get'],
    ['DELETE', '/ztw/api/v1/ecVm/uuid/i-0abc', 'ecVmUuid.delete'],
    ['DELETE', '/api/v1/ecVm/9', 'ecVm.delete'],
    ['GET', '/api/v1/ecInstance/lite', 'ecInstanceLite.get'],
    ['GET', '/api/v1/ecAdminActivateStatus', 'ecAdminActivateStatus.get'],
    ['PUT', '/api/v1/ecAdminActivateStatus/activate', 'ecAdminActivateStatusActivate.put'],
  ] as const)('%s %s spends %s', (method, path, budget) => {
    expect(ztwBudgetOf(method, path)).toBe(budget);
  });

  it('endpoints (or methods) the summary does not list fall back to the method class', () => {
    expect(ztwFamilyOf('/api/v1/location/1')).toBeUndefined();
    expect(ztwBudgetOf('POST', '/api/v1/ecVm/uuid/i-0abc')).toBeUndefined();
    const call = (method: ZscalerCall['method'], path: string, rateClass: ZscalerCall['rateClass']) =>
      ({
        tenant: 'acme',
        api: 'ztw',
        method,
        path,
        operation: 'x',
        rateClass,
        idempotent: true,
        attempt: 1,
      }) as ZscalerCall;
    expect(formatKey(keyOf(call('DELETE', '/api/v1/somethingElse/1', 'delete'))!)).toBe('acme/ztw/delete');
    expect(formatKey(keyOf(call('DELETE', '/api/v1/ecVm/uuid/i-1', 'delete'))!)).toBe(
      'acme/ztw/ecVmUuid.delete',
    );
    expect(keyOf(call('POST', '/api/v1/auth', 'none'))).toBeUndefined();
    // ZPA stays per method class.
    expect(
      formatKey(
        keyOf({ ...call('DELETE', '/mgmtconfig/v1/admin/customers/1/connector/2', 'write'), api: 'zpa' })!,
      ),
    ).toBe('acme/zpa/write');
  });

  it('defaults follow the summary table (VM deletion 1/s and 400/h, not the generic 1/min and 4/h)', () => {
    const limits = RateLimits.from();
    expect(figures(limits, 'acme/ztw/ecVmUuid.delete')).toEqual([
      [1, SECOND],
      [400, HOUR],
    ]);
    expect(figures(limits, 'acme/ztw/ecgroup.delete')).toEqual([
      [1, SECOND],
      [400, HOUR],
    ]);
    expect(figures(limits, 'acme/ztw/ecgroup.get')).toEqual([
      [5, SECOND],
      [3000, HOUR],
    ]);
    expect(figures(limits, 'acme/ztw/ecgroup.post')).toEqual([
      [5, SECOND],
      [3000, HOUR],
    ]);
    expect(figures(limits, 'acme/ztw/ecVm.post')).toEqual([
      [1, SECOND],
      [400, HOUR],
    ]);
    expect(figures(limits, 'acme/ztw/ecVmUuid.get')).toEqual([
      [5, SECOND],
      [3000, HOUR],
    ]);
    expect(figures(limits, 'acme/ztw/ecAdminActivateStatus.get')).toEqual([
      [10, SECOND],
      [5000, HOUR],
    ]);
    expect(figures(limits, 'acme/ztw/ecAdminActivateStatusActivate.put')).toEqual([
      [1, SECOND],
      [400, HOUR],
    ]);
    // Endpoints without a row: the generic weight table.
    expect(figures(limits, 'acme/ztw/delete')).toEqual([
      [1, 60_000],
      [4, HOUR],
    ]);
    // Every budget resolves, with the margin: a 1/s window is spaced 1.05 s.
    for (const b of ZTW_BUDGETS) expect(limits.windowsFor(parseKey(`acme/ztw/${b}`))).not.toBe('unlimited');
    const w = limits.windowsFor(parseKey('acme/ztw/ecVmUuid.delete'));
    // 1 s × 1.03 margin + the 50 ms absolute margin (minMarginMs) kept for jitter.
    expect(w !== 'unlimited' && w[0]?.intervalMs).toBe(1080);
  });

  it('per-endpoint overrides per tenant and as defaults; a tenant beats the defaults', () => {
    const limits = RateLimits.from({
      defaults: { ztw: { ecVmUuid: { delete: [{ limit: 2, windowMs: SECOND }] } } },
      tenants: {
        acme: { limits: { ztw: { ecVmUuid: { delete: [{ limit: 1, windowMs: 2 * SECOND }] } } } },
      },
    });
    expect(figures(limits, 'acme/ztw/ecVmUuid.delete')).toEqual([[1, 2 * SECOND]]);
    expect(figures(limits, 'other/ztw/ecVmUuid.delete')).toEqual([[2, SECOND]]);
    expect(figures(limits, 'other/ztw/ecgroup.delete')).toEqual([
      [1, SECOND],
      [400, HOUR],
    ]);
  });

  it('an older configuration (per-class `ztw.delete`) keeps loading: the class sets every DELETE endpoint without its own key at that level', () => {
    const limits = RateLimits.from({
      defaults: { ztw: { delete: [{ limit: 1, windowMs: 60_000 }] } },
      tenants: {
        acme: {
          limits: {
            ztw: {
              read: [{ limit: 1, windowMs: SECOND }],
              ecgroup: { get: [{ limit: 3, windowMs: SECOND }] },
            },
          },
        },
      },
    });
    expect(figures(limits, 'acme/ztw/ecVmUuid.delete')).toEqual([[1, 60_000]]);
    expect(figures(limits, 'acme/ztw/ecgroup.delete')).toEqual([[1, 60_000]]);
    expect(figures(limits, 'acme/ztw/delete')).toEqual([[1, 60_000]]);
    // The tenant's own endpoint key beats its class key; the class key covers the other GETs.
    expect(figures(limits, 'acme/ztw/ecgroup.get')).toEqual([[3, SECOND]]);
    expect(figures(limits, 'acme/ztw/ecAdminActivateStatus.get')).toEqual([[1, SECOND]]);
    // Other classes keep the documented per-endpoint defaults.
    expect(figures(limits, 'other/ztw/ecAdminActivateStatusActivate.put')).toEqual([
      [1, SECOND],
      [400, HOUR],
    ]);
  });

  it('refuses an unknown family or a method the summary does not list, naming the field', () => {
    expect(() =>
      RateLimits.from({ defaults: { ztw: { ecVmUuid: { put: [{ limit: 1, windowMs: 1 }] } } as never } }),
    ).toThrow(/defaults\.ztw\.ecVmUuid: Unrecognized key: "put"/);
    expect(() => RateLimits.from({ defaults: { ztw: { ecvm: {} } as never } })).toThrow(
      /defaults\.ztw: Unrecognized key: "ecvm"/,
    );
    expect(() => RateLimits.from({ defaults: { zpa: { ecgroup: {} } as never } })).toThrow(/defaults\.zpa/);
  });

  it('keys name the budget; ZPA keys take no endpoint budget', () => {
    expect(parseKey('acme/ztw/ecVmUuid.delete')).toEqual({
      tenant: 'acme',
      api: 'ztw',
      rateClass: 'ecVmUuid.delete',
    });
    expect(() => parseKey('acme/zpa/ecVmUuid.delete')).toThrow(/unknown rate class/);
    expect(() => parseKey('acme/ztw/ecVmUuid.put')).toThrow(/unknown rate class/);
  });
});
