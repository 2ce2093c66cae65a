import type { TenantConfig } from '../../../shared/config/tenant.ts';
import type { Clock } from '../../../shared/core/clock.ts';
import type { CallHooks, ZscalerCall, ZscalerCallResult } from '../../../shared/zscaler/hooks.ts';

/** A clock whose sleeps return at once and advance its time. */
export function fakeClock(
  start = 1_700_000_000_000,
): Clock & { sleeps: number[]; advance(ms: number): void } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
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
