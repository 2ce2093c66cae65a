import type { TenantConfig } from '../../../shared/config/tenant.ts';
import type { CallHooks, ZscalerCall, ZscalerCallResult } from '../../../shared/zscaler/hooks.ts';
import { manualClock } from '../../fixtures/manual-clock.ts';

/** A clock whose sleeps return at once and advance its time. */
export function fakeClock(start = 1_700_000_000_000): ReturnType<typeof manualClock> {
  return manualClock(start);
}

/** Hooks that record every call and result. */
export function recordingHooks(
  wait = 0,
): CallHooks & { befores: ZscalerCall[]; afters: ZscalerCallResult[] } {
  const befores: ZscalerCall[] = [];
  const afters: ZscalerCallResult[] = [];
  return {
    befores,
    afters,
    async before(call) {
      befores.push(call);
      return wait;
    },
    after(result) {
      afters.push(result);
    },
  };
}

export function tenant(overrides: Partial<TenantConfig> = {}): TenantConfig {
  return {
    name: 'acme',
    secretName: 'zcops/acme',
    zpa: { cloud: 'PRODUCTION', customerId: '123', baseUrl: 'http://zpa.test' },
    ztw: { cloud: 'zscalertwo.net', baseUrl: 'http://ztw.test/api/v1' },
    ...overrides,
  };
}
