/**
 * Zscaler's API hosts (facts page): Zscaler facts, kept here so `shared/zscaler` needs nothing from
 * the configuration at run time (the tenant schema imports them, not the other way round).
 */

/** ZPA clouds and their management API hosts (facts page). */
export const ZPA_CLOUD_HOSTS = {
  PRODUCTION: 'https://config.private.zscaler.com',
  ZPATWO: 'https://config.zpatwo.net',
  BETA: 'https://config.zpabeta.net',
  GOV: 'https://config.zpagov.net',
  GOVUS: 'https://config.zpagov.us',
  PREVIEW: 'https://config.zpapreview.net',
} as const;
export type ZpaCloud = keyof typeof ZPA_CLOUD_HOSTS;

/** OneAPI base for both products on the production cloud (`api.<cloud>.zsapi.net` elsewhere). */
export const ONEAPI_BASE = 'https://api.zsapi.net';
