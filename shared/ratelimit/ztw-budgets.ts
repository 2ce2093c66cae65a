import type { HttpMethod } from '../zscaler/hooks.ts';

/**
 * The Cloud & Branch Connector API's budgets per endpoint family. Zscaler's *API Rate Limit Summary*
 * gives this API its limits per resource and method (facts page), so a ZTW call spends the budget of
 * its endpoint family and method (`ecVmUuid.delete`), not one budget per method class. A call to an
 * endpoint the summary does not list spends its method class's budget (`read`, `write`, `delete`,
 * `activate`: the generic weight table).
 *
 * Family names are the path's fixed segments joined in camel case (ids left out), so a family is
 * found from the path alone:
 *
 * | family | paths |
 * | --- | --- |
 * | `ecgroup` | `/ecgroup`, `/ecgroup/{id}`, `/ecgroup/{id}/vm/{vmid}` |
 * | `ecgroupLite` | `/ecgroup/lite` |
 * | `ecVm` | `/ecVm`, `/ecVm/{id}` |
 * | `ecVmUuid` | `/ecVm/uuid/{vmInstanceId}` |
 * | `ecInstanceLite` | `/ecInstance/lite` |
 * | `ecAdminActivateStatus` | `/ecAdminActivateStatus` |
 * | `ecAdminActivateStatusActivate` | `/ecAdminActivateStatus/activate` |
 */
export const ZTW_FAMILIES = [
  'ecgroup',
  'ecgroupLite',
  'ecVm',
  'ecVmUuid',
  'ecInstanceLite',
  'ecAdminActivateStatus',
  'ecAdminActivateStatusActivate',
] as const;
export type ZtwFamily = (typeof ZTW_FAMILIES)[number];

export const ZTW_METHODS = ['get', 'post', 'put', 'delete'] as const;
export type ZtwMethod = (typeof ZTW_METHODS)[number];

/** One endpoint family's budget for one method, e.g. `ecVmUuid.delete`. */
export type ZtwBudget = `${ZtwFamily}.${ZtwMethod}`;

/** The method classes, the budgets of the generic weight table (and of older configurations). */
export type ZtwClass = 'read' | 'write' | 'delete' | 'activate';

/** The methods the summary table gives a limit for, per family. Others spend their class budget. */
export const ZTW_DOCUMENTED_METHODS: Record<ZtwFamily, readonly ZtwMethod[]> = {
  ecgroup: ['get', 'post', 'put', 'delete'],
  ecgroupLite: ['get'],
  ecVm: ['get', 'post', 'put', 'delete'],
  ecVmUuid: ['get', 'delete'],
  ecInstanceLite: ['get'],
  ecAdminActivateStatus: ['get'],
  ecAdminActivateStatusActivate: ['put'],
};

/** First segments of the listed resources. */
const ROOTS = new Set(['ecgroup', 'ecVm', 'ecInstance', 'ecAdminActivateStatus']);

/**
 * The family of a call's path (`/api/v1/ecVm/uuid/i-0abc`, `/ztw/api/v1/ecgroup?page=1`, or relative
 * to the API root), or undefined for a path the summary does not list. The resource starts at its
 * first known root segment, so any base path before it (legacy, OneAPI, a proxy) is skipped.
 *
 * @example ztwFamilyOf('/api/v1/ecgroup/12/vm/34') // 'ecgroup'
 */
export function ztwFamilyOf(path: string): ZtwFamily | undefined {
  const all = (path.split('?')[0] ?? '').split('/').filter((x) => x !== '');
  const start = all.findIndex((x) => ROOTS.has(x));
  if (start < 0) return undefined;
  const s = all.slice(start);
  switch (s[0]) {
    case 'ecgroup':
      return s[1] === 'lite' && s.length === 2 ? 'ecgroupLite' : 'ecgroup';
    case 'ecVm':
      if (s[1] === 'uuid') return s.length === 3 ? 'ecVmUuid' : undefined;
      return s.length <= 2 ? 'ecVm' : undefined;
    case 'ecInstance':
      return s[1] === 'lite' && s.length === 2 ? 'ecInstanceLite' : undefined;
    case 'ecAdminActivateStatus':
      if (s.length === 1) return 'ecAdminActivateStatus';
      return s[1] === 'activate' && s.length === 2 ? 'ecAdminActivateStatusActivate' : undefined;
    default:
      return undefined;
  }
}

/**
 * The budget a ZTW call spends: its family's, when the summary lists that method, else undefined
 * (the caller falls back to the method class).
 *
 * @example ztwBudgetOf('DELETE', '/ecVm/uuid/i-0abc') // 'ecVmUuid.delete'
 */
export function ztwBudgetOf(method: HttpMethod, path: string): ZtwBudget | undefined {
  const family = ztwFamilyOf(path);
  if (!family) return undefined;
  const m = method.toLowerCase() as ZtwMethod;
  return ZTW_DOCUMENTED_METHODS[family].includes(m) ? `${family}.${m}` : undefined;
}

/** Whether `text` names a documented family budget. */
export function isZtwBudget(text: string): text is ZtwBudget {
  const [family, method, ...rest] = text.split('.');
  if (rest.length > 0 || family === undefined || method === undefined) return false;
  const methods = (ZTW_DOCUMENTED_METHODS as Record<string, readonly string[]>)[family];
  return Object.hasOwn(ZTW_DOCUMENTED_METHODS, family) && methods?.includes(method) === true;
}

/** The method class a budget belongs to (how an older, per-class configuration maps onto it). */
export function ztwClassOf(budget: ZtwBudget): ZtwClass {
  if (budget === 'ecAdminActivateStatusActivate.put') return 'activate';
  const method = budget.slice(budget.indexOf('.') + 1) as ZtwMethod;
  if (method === 'get') return 'read';
  if (method === 'delete') return 'delete';
  return 'write';
}

/** Every documented budget, in table order. */
export const ZTW_BUDGETS: readonly ZtwBudget[] = ZTW_FAMILIES.flatMap((f) =>
  ZTW_DOCUMENTED_METHODS[f].map((m) => `${f}.${m}` as ZtwBudget),
);
