import { createHash } from 'node:crypto';
import type { TenantConfig, ZpaCredentials, ZtwCredentials } from '../config/tenant.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import type { CallHooks } from './hooks.ts';
import { ApiClient } from './http/api-client.ts';
import { RetryPolicy, type RetryPolicyOptions } from './http/retry-policy.ts';
import { HttpTransport, type TransportOptions } from './http/transport.ts';
import { zpaUrls, ztwApiRoot } from './urls.ts';
import { legacySignIn } from './zpa/auth/legacy-signin.ts';
import { oneApiToken } from './zpa/auth/oneapi-token.ts';
import { BearerTokenAuth } from './zpa/auth/token-auth.ts';
import { type IssuedToken, TokenCache } from './zpa/auth/token-cache.ts';
import { ZpaClient } from './zpa/client.ts';
import { ZtwSessionAuth } from './ztw/auth/session-auth.ts';
import { ZtwClient } from './ztw/client.ts';

/** Options shared by both factories. */
export interface ZscalerClientOptions {
  /** Rate limiter and audit seams, called before/after every attempt. */
  hooks?: CallHooks;
  /** Time source for back-off sleeps, token expiry and the ZTW key timestamp. Default the wall clock. */
  clock?: Clock;
  /** Retry policy options (attempts, back-off, `maxTotalWaitMs`, injectable random). */
  retry?: RetryPolicyOptions;
  /** Connection pools with these timeouts (shared by every client asking for the same ones); absent: the default pools. */
  http?: TransportOptions;
  /** Renew a token this long before it expires. Default 60 s. */
  tokenMarginMs?: number;
  /** User-Agent header. Default `zcops`. */
  userAgent?: string;
}

const transports = new Set<HttpTransport>();
/** Pools by their timeouts: clients made per job share keep-alive connections (a dispatcher is never shared). */
const pooled = new Map<string, HttpTransport>();

function transportFor(options: TransportOptions | undefined): HttpTransport {
  if (options?.dispatcher) {
    const t = new HttpTransport(options);
    transports.add(t);
    return t;
  }
  const key = JSON.stringify(options ?? {}, Object.keys(options ?? {}).sort());
  let t = pooled.get(key);
  if (!t) {
    t = new HttpTransport(options);
    pooled.set(key, t);
    transports.add(t);
  }
  return t;
}

/**
 * Tokens per tenant, API root and credentials, shared by every client the factories make in this
 * process: a worker builds a client per job, and must not sign in again for each one. The key holds
 * a hash of the secret, never the secret. Caches are kept per clock, so a test's fake timeline never
 * meets the wall clock's tokens.
 */
let tokenCaches = new WeakMap<Clock, Map<string, TokenCache>>();

function sharedTokenCache(
  parts: { api: string; tenant: string; apiRoot: string; clientId: string; clientSecret: string },
  fetch: () => Promise<IssuedToken>,
  clock: Clock,
  marginMs: number | undefined,
): TokenCache {
  const secretHash = createHash('sha256').update(parts.clientSecret).digest('hex');
  const key = [parts.api, parts.tenant, parts.apiRoot, parts.clientId, secretHash, marginMs ?? ''].join('|');
  let byKey = tokenCaches.get(clock);
  if (!byKey) {
    byKey = new Map();
    tokenCaches.set(clock, byKey);
  }
  let cache = byKey.get(key);
  if (!cache) {
    cache = new TokenCache(fetch, clock, marginMs);
    byKey.set(key, cache);
  }
  return cache;
}

/**
 * Closes every connection pool the factories opened (end of a test, of a CLI run, of a Lambda's
 * shutdown). A client used afterwards opens a fresh pool on its next request.
 */
export async function closeAll(): Promise<void> {
  const all = [...transports];
  transports.clear();
  pooled.clear();
  tokenCaches = new WeakMap();
  await Promise.all(all.map((t) => t.close()));
}

function apiClient(
  tenant: TenantConfig,
  api: 'zpa' | 'ztw',
  baseUrl: string,
  options: ZscalerClientOptions,
): { client: ApiClient; clock: Clock } {
  const clock = options.clock ?? systemClock;
  const client = new ApiClient({
    tenant: tenant.name,
    api,
    baseUrl,
    transport: transportFor(options.http),
    retry: new RetryPolicy(options.retry),
    clock,
    ...(options.hooks ? { hooks: options.hooks } : {}),
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
  });
  return { client, clock };
}

/**
 * A ZPA client for one tenant, authenticating as its credentials say (legacy `/signin` or OneAPI).
 *
 * @example
 * const zpa = createZpaClient({ tenant, credentials: secret.zpa!, hooks: limiterHooks });
 * for await (const c of zpa.appConnectors.list()) console.log(c.name);
 */
export function createZpaClient(
  args: { tenant: TenantConfig; credentials: ZpaCredentials } & ZscalerClientOptions,
): ZpaClient {
  const { tenant, credentials } = args;
  const { apiRoot, signInUrl } = zpaUrls(
    tenant,
    credentials.authType,
    credentials.authType === 'oneapi' ? credentials.cloud : undefined,
  );
  const { client, clock } = apiClient(tenant, 'zpa', apiRoot, args);
  const fetchToken =
    credentials.authType === 'legacy'
      ? () => legacySignIn(client, signInUrl, credentials)
      : () => oneApiToken(client, credentials);
  const cache = sharedTokenCache(
    {
      api: 'zpa',
      tenant: tenant.name,
      apiRoot,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
    },
    fetchToken,
    clock,
    args.tokenMarginMs,
  );
  client.auth = new BearerTokenAuth(cache, fetchToken);
  return new ZpaClient(client, tenant.zpa?.microtenantId);
}

/**
 * A Cloud & Branch Connector client for one tenant: legacy session (`/auth`, JSESSIONID) or OneAPI
 * bearer, as its credentials say. Share one client per tenant: it holds the tenant's one session.
 *
 * @example
 * const ztw = createZtwClient({ tenant, credentials: secret.ztw! });
 * await ztw.deleteVm(groupId, vmId);
 * await ztw.activate();
 * await ztw.close();
 */
export function createZtwClient(
  args: { tenant: TenantConfig; credentials: ZtwCredentials } & ZscalerClientOptions,
): ZtwClient {
  const { tenant, credentials } = args;
  const oneApiCloud = credentials.authType === 'oneapi' ? credentials.cloud : undefined;
  const { client, clock } = apiClient(
    tenant,
    'ztw',
    ztwApiRoot(tenant, credentials.authType, oneApiCloud),
    args,
  );
  if (credentials.authType === 'legacy') {
    const session = new ZtwSessionAuth(client, credentials, clock);
    client.auth = session;
    return new ZtwClient(client, session);
  }
  const fetchToken = () => oneApiToken(client, credentials);
  const root = ztwApiRoot(tenant, credentials.authType, oneApiCloud);
  const cache = sharedTokenCache(
    {
      api: 'ztw',
      tenant: tenant.name,
      apiRoot: root,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
    },
    fetchToken,
    clock,
    args.tokenMarginMs,
  );
  client.auth = new BearerTokenAuth(cache, fetchToken);
  return new ZtwClient(client);
}
