/**
 * The shared Zscaler client: ZPA and Cloud & Branch Connector (ZTW) APIs behind one HTTP layer with
 * typed errors, retries, rate-limiter hooks and zod-checked shapes.
 *
 * @example
 * import { createZpaClient, closeAll, NotFoundError } from '../shared/zscaler/index.ts';
 * const zpa = createZpaClient({ tenant, credentials: secret.zpa!, hooks });
 * try { await zpa.appConnectors.delete(id); } catch (e) { if (!(e instanceof NotFoundError)) throw e; }
 * await closeAll();
 */
export * from './errors.ts';
export { closeAll, createZpaClient, createZtwClient, type ZscalerClientOptions } from './factory.ts';
export * from './hooks.ts';
export type { AuthStrategy } from './http/api-client.ts';
export { parseRetryAfter, retryAfterFromResponse } from './http/retry-after.ts';
export {
  BUSY_BACKOFF,
  type RetryDecision,
  type RetryMode,
  RetryPolicy,
  type RetryPolicyOptions,
} from './http/retry-policy.ts';
export type { TransportOptions } from './http/transport.ts';
export * from './schemas/app-connector.ts';
export * from './schemas/app-connector-group.ts';
export * from './schemas/cloud-connector-group.ts';
export * from './schemas/ids.ts';
export * from './schemas/pcc-group.ts';
export * from './schemas/version-profile.ts';
export * from './schemas/ztw.ts';
export { oneApiHosts, zpaUrls, ztwApiRoot } from './urls.ts';
export { ZpaClient } from './zpa/client.ts';
export type { MicrotenantOption } from './zpa/context.ts';
export { durationToMs, msToZpaDuration, type ZpaDuration, zpaDuration } from './zpa/duration.ts';
export { findByName, type NameLookup, sameName } from './zpa/find-by-name.ts';
export type { ZpaListOptions } from './zpa/list-support.ts';
export { type NumberedPage, ZPA_MAX_PAGE_SIZE } from './zpa/paging.ts';
export * from './zpa/search.ts';
export { obfuscateApiKey } from './ztw/auth/obfuscate.ts';
export { ZTW_MAX_PAGE_SIZE, ZtwClient, type ZtwPageOptions } from './ztw/client.ts';
