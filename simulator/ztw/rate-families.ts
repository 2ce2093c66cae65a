/**
 * The Cloud & Branch Connector API's per-endpoint rate limits as the simulator enforces them (the
 * facts page's *API Rate Limit Summary*): a call is billed to its endpoint family and method
 * (`ecVmUuid.delete`); a call to an endpoint the summary does not list, to its method's class of
 * the generic weight table (`read` 2/s+1000/h, `write` 1/s+400/h, `delete` 1/min+4/h). The
 * simulator keeps its own copy of the table: it must not share the client's assumptions.
 */

export const ZTW_SIM_BUDGETS = [
  'ecgroup.get',
  'ecgroup.post',
  'ecgroup.put',
  'ecgroup.delete',
  'ecgroupLite.get',
  'ecVm.get',
  'ecVm.post',
  'ecVm.put',
  'ecVm.delete',
  'ecVmUuid.get',
  'ecVmUuid.delete',
  'ecInstanceLite.get',
  'ecAdminActivateStatus.get',
  'ecAdminActivateStatusActivate.put',
] as const;
export type ZtwSimBudget = (typeof ZTW_SIM_BUDGETS)[number];

/** Generic classes, for endpoints the summary does not list. */
export type ZtwGenericClass = 'read' | 'write' | 'delete';

/** Every ZTW class the simulator bills. */
export type ZtwSimClass = ZtwSimBudget | ZtwGenericClass;

/** The family of a path relative to the API root (`/ecVm/uuid/i-1`), or undefined. */
function familyOf(path: string): string | undefined {
  const s = path.split('/').filter((x) => x !== '');
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

/** The class a ZTW call is billed to. `path` is relative to the API root. */
export function ztwClassOf(method: string, path: string): ZtwSimClass {
  const family = familyOf(path);
  const budget = `${family}.${method.toLowerCase()}`;
  if (family && (ZTW_SIM_BUDGETS as readonly string[]).includes(budget)) return budget as ZtwSimBudget;
  if (method === 'GET') return 'read';
  if (method === 'DELETE') return 'delete';
  return 'write';
}
