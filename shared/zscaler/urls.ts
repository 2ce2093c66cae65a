import type { TenantConfig } from '../config/tenant.ts';
import { ConfigurationError } from './errors.ts';
import { ONEAPI_BASE, ZPA_CLOUD_HOSTS } from './hosts.ts';

/** Where a tenant's APIs live. */

const trim = (url: string) => url.replace(/\/+$/, '');

/**
 * The OneAPI hosts of a cloud (as the Go SDK's OneAPI client builds them): production
 * `https://<vanity>.zslogin.net` and `https://api.zsapi.net`; any other cloud `c`
 * `https://<vanity>.zslogin<c>.net` and `https://api.<c>.zsapi.net`.
 *
 * @example
 * oneApiHosts('acme', 'beta') // { tokenUrl: 'https://acme.zsloginbeta.net/oauth2/v1/token', apiBase: 'https://api.beta.zsapi.net' }
 */
export function oneApiHosts(vanityDomain: string, cloud = ''): { tokenUrl: string; apiBase: string } {
  const c = cloud.toLowerCase() === 'production' ? '' : cloud.toLowerCase();
  return {
    tokenUrl: `https://${vanityDomain}.zslogin${c}.net/oauth2/v1/token`,
    apiBase: c === '' ? ONEAPI_BASE : `https://api.${c}.zsapi.net`,
  };
}

/**
 * ZPA: the API root (`…/mgmtconfig/v1/admin/customers/{customerId}`) and, for legacy auth, the
 * sign-in URL. `tenant.zpa.baseUrl` replaces the part before `/mgmtconfig` (legacy: also where
 * `/signin` lives).
 *
 * OneAPI: `https://api[.<oneApiCloud>].zsapi.net/zpa/mgmtconfig/…` (the credentials' `cloud`).
 *
 * @example
 * zpaUrls(tenant, 'legacy') // { apiRoot: 'https://config.private.zscaler.com/mgmtconfig/v1/admin/customers/123', signInUrl: 'https://config.private.zscaler.com/signin' }
 */
export function zpaUrls(
  tenant: TenantConfig,
  authType: 'legacy' | 'oneapi',
  oneApiCloud = '',
): { apiRoot: string; signInUrl: string } {
  const zpa = tenant.zpa;
  if (!zpa) throw new ConfigurationError(`tenant ${tenant.name} has no zpa settings`);
  const base = trim(
    zpa.baseUrl ??
      (authType === 'legacy' ? ZPA_CLOUD_HOSTS[zpa.cloud] : `${oneApiHosts('_', oneApiCloud).apiBase}/zpa`),
  );
  return { apiRoot: `${base}/mgmtconfig/v1/admin/customers/${zpa.customerId}`, signInUrl: `${base}/signin` };
}

/**
 * ZTW: the API root. Legacy `https://connector.<cloud>/api/v1`, OneAPI
 * `https://api[.<oneApiCloud>].zsapi.net/ztw/api/v1`; `tenant.ztw.baseUrl` replaces the whole root.
 */
export function ztwApiRoot(tenant: TenantConfig, authType: 'legacy' | 'oneapi', oneApiCloud = ''): string {
  const ztw = tenant.ztw;
  if (!ztw) throw new ConfigurationError(`tenant ${tenant.name} has no ztw settings`);
  if (ztw.baseUrl) return trim(ztw.baseUrl);
  return authType === 'legacy'
    ? `https://connector.${ztw.cloud}/api/v1`
    : `${oneApiHosts('_', oneApiCloud).apiBase}/ztw/api/v1`;
}
