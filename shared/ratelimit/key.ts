import type { ApiFamily, RateClass } from '../zscaler/hooks.ts';
import { InvalidRateLimitKeyError } from './errors.ts';

/** One budget: a tenant's API family and method class, e.g. `acme/zpa/write`. */
export interface RateLimitKey {
  tenant: string;
  api: ApiFamily;
  rateClass: Exclude<RateClass, 'none'>;
}

const API_FAMILIES: readonly string[] = ['zpa', 'ztw'];
const LIMITED_CLASSES: readonly string[] = ['read', 'write', 'delete', 'activate'];

/**
 * The storage form of a key.
 * @example formatKey({ tenant: 'acme', api: 'zpa', rateClass: 'write' }) // 'acme/zpa/write'
 */
export function formatKey(key: RateLimitKey): string {
  return `${key.tenant}/${key.api}/${key.rateClass}`;
}

/**
 * Parses `<tenant>/<api>/<class>`.
 * @example parseKey('acme/ztw/delete') // { tenant: 'acme', api: 'ztw', rateClass: 'delete' }
 */
export function parseKey(text: string): RateLimitKey {
  const parts = text.split('/');
  if (parts.length !== 3) throw new InvalidRateLimitKeyError(text, 'expected <tenant>/<api>/<class>');
  const [tenant, api, rateClass] = parts as [string, string, string];
  if (tenant === '') throw new InvalidRateLimitKeyError(text, 'empty tenant');
  if (!API_FAMILIES.includes(api)) throw new InvalidRateLimitKeyError(text, `unknown api ${api}`);
  if (!LIMITED_CLASSES.includes(rateClass)) {
    throw new InvalidRateLimitKeyError(text, `unknown rate class ${rateClass}`);
  }
  return { tenant, api: api as ApiFamily, rateClass: rateClass as RateLimitKey['rateClass'] };
}

/** Accepts either form. */
export function toKey(key: RateLimitKey | string): RateLimitKey {
  return typeof key === 'string' ? parseKey(key) : key;
}
