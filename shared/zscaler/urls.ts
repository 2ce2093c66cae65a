import { ONEAPI_BASE, type TenantConfig, ZPA_CLOUD_HOSTS } from '../config/tenant.ts';
import { ConfigurationError } from './errors.ts';

/** Where a tenant's APIs live. */

const trim = (url: string) => url.replace(/\/+$/, '');

/**
 * ZPA: the API root (`…/mgmtconfig/v1/admin/customers/{customerId}`) and, for legacy auth, the
 * sign-in URL. `tenant.zpa.baseUrl` replaces the part before `/mgmtconfig` (legacy: also where
 * `/signin` lives).
 *
 * @example
 * zpaUrls(tenant, 'legacy') // { apiRoot: 'https://config.private.zscaler.com/mgmtconfig/v1/admin/customers/123', signInUrl: 'https://config.private.zscaler.com/signin' }
 */
export function zpaUrls(
  tenant: TenantConfig,
  authType: 'legacy' | 'oneapi',
): { apiRoot: string; signInUrl: string } {
  const zpa = tenant.zpa;
  if (!zpa) throw new ConfigurationError(`tenant ${tenant.name} has no zpa settings`);
  const base = trim(
    zpa.baseUrl ?? (authType === 'legacy' ? ZPA_CLOUD_HOSTS[zpa.cloud] : `${ONEAPI_BASE}/zpa`),
  );
  return { apiRoot: `${base}/mgmtconfig/v1/admin/customers/${zpa.customerId}`, signInUrl: `${base}/signin` };
}

/**
 * ZTW: the API root. Legacy `https://connector.<cloud>/api/v1`, OneAPI `https://api.zsapi.net/ztw/api/v1`;
 * `tenant.ztw.baseUrl` replaces the whole root.
 */
export function ztwApiRoot(tenant: TenantConfig, authType: 'legacy' | 'oneapi'): string {
  const ztw = tenant.ztw;
  if (!ztw) throw new ConfigurationError(`tenant ${tenant.name} has no ztw settings`);
  if (ztw.baseUrl) return trim(ztw.baseUrl);
  return authType === 'legacy' ? `https://connector.${ztw.cloud}/api/v1` : `${ONEAPI_BASE}/ztw/api/v1`;
}
