import type { TenantConfig, ZpaCredentials, ZtwCredentials } from '../../../shared/config/tenant.ts';
import type { Clock } from '../../../shared/core/clock.ts';
import type { CallHooks, ZscalerCall, ZscalerCallResult } from '../../../shared/zscaler/hooks.ts';
import { SIMULATOR_CREDENTIALS } from '../../../simulator/index.ts';

/** Tenant settings pointing at a running simulator. */
export function simTenant(url: string, mode: 'legacy' | 'oneapi', name = 'sim'): TenantConfig {
  return {
    name,
    secretName: `zcops/${name}`,
    zpa: {
      cloud: 'PRODUCTION',
      customerId: SIMULATOR_CREDENTIALS.zpa.customerId,
      baseUrl: mode === 'legacy' ? url : `${url}/zpa`,
    },
    ztw: { cloud: 'zscalertwo.net', baseUrl: mode === 'legacy' ? `${url}/api/v1` : `${url}/ztw/api/v1` },
  };
}

export function zpaCredentials(url: string, mode: 'legacy' | 'oneapi'): ZpaCredentials {
  const { clientId, clientSecret, vanityDomain } = SIMULATOR_CREDENTIALS.zpa;
  return mode === 'legacy'
    ? { authType: 'legacy', clientId, clientSecret }
    : {
        authType: 'oneapi',
        clientId,
        clientSecret,
        vanityDomain,
        tokenUrl: `${url}/oauth2/v1/token`,
        audience: 'https://api.zscaler.com',
      };
}

export function ztwCredentials(url: string, mode: 'legacy' | 'oneapi'): ZtwCredentials {
  if (mode === 'legacy') return { authType: 'legacy', ...SIMULATOR_CREDENTIALS.ztw };
  return zpaCredentials(url, 'oneapi') as ZtwCredentials;
}

/** A clock shared by the simulator and the client: time moves only when a test advances it. */
export { manualClock } from '../../fixtures/manual-clock.ts';

/** The wall clock, recording how long the client chose to sleep. */
export function recordingSystemClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now(),
    sleep: (ms) => {
      sleeps.push(ms);
      return new Promise((r) => setTimeout(r, ms));
    },
  };
}

export function recordingHooks(): CallHooks & { befores: ZscalerCall[]; afters: ZscalerCallResult[] } {
  const befores: ZscalerCall[] = [];
  const afters: ZscalerCallResult[] = [];
  return {
    befores,
    afters,
    async before(call) {
      befores.push({ ...call });
      return 0;
    },
    after(result) {
      afters.push(result);
    },
  };
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
