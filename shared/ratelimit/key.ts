import type { ApiFamily } from '../zscaler/hooks.ts';
import { InvalidRateLimitKeyError } from './errors.ts';
import type { BudgetName } from './limits.ts';
import { isZtwBudget } from './ztw-budgets.ts';

/**
 * One budget: a tenant's API family and what the calls share. ZPA: a method class
 * (`acme/zpa/write`). Cloud & Branch Connector: an endpoint family and method
 * (`acme/ztw/ecVmUuid.delete`), or a method class for endpoints the summary does not list
 * (`acme/ztw/delete`).
 */
export interface RateLimitKey {
  tenant: string;
  api: ApiFamily;
  /** A method class, or (ZTW) an endpoint budget such as `ecVmUuid.delete`. */
  rateClass: BudgetName;
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
 * Parses `<tenant>/<api>/<class or budget>`.
 * @example parseKey('acme/ztw/ecVmUuid.delete') // { tenant: 'acme', api: 'ztw', rateClass: 'ecVmUuid.delete' }
 */
export function parseKey(text: string): RateLimitKey {
  const parts = text.split('/');
  if (parts.length !== 3) throw new InvalidRateLimitKeyError(text, 'expected <tenant>/<api>/<class>');
  const [tenant, api, rateClass] = parts as [string, string, string];
  if (tenant === '') throw new InvalidRateLimitKeyError(text, 'empty tenant');
  if (!API_FAMILIES.includes(api)) throw new InvalidRateLimitKeyError(text, `unknown api ${api}`);
  if (!LIMITED_CLASSES.includes(rateClass) && !(api === 'ztw' && isZtwBudget(rateClass))) {
    throw new InvalidRateLimitKeyError(text, `unknown rate class ${rateClass}`);
  }
  return { tenant, api: api as ApiFamily, rateClass: rateClass as BudgetName };
}

/** Accepts either form. */
export function toKey(key: RateLimitKey | string): RateLimitKey {
  return typeof key === 'string' ? parseKey(key) : key;
}
