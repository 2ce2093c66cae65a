import type { SourcePolicy } from '../config/sources.ts';
import { CREATE_ACTIONS, DELETE_ACTIONS } from './actions.ts';
import { PolicyDeniedError } from './errors.ts';
import type { CanonicalRequest } from './request.ts';
import { groupOf } from './target.ts';

/**
 * Checks a validated request against its source's policy; throws `PolicyDeniedError` naming the
 * rule. Rules: the action must be allowed; only ITSM sources create groups; the tenant must be
 * allowed; `force` needs `mayForce`; a group-bound source may delete only within its groups, so its
 * deletions must name a group.
 *
 * @example
 * authorize(request, policy); // throws PolicyDeniedError when refused
 */
export function authorize(request: CanonicalRequest, policy: SourcePolicy): void {
  const who = `source ${policy.name}`;
  if (!policy.allowedActions.includes(request.action)) {
    throw new PolicyDeniedError(`${who} may not request ${request.action}`, 'action');
  }
  if (CREATE_ACTIONS.includes(request.action) && policy.kind !== 'itsm') {
    throw new PolicyDeniedError(`only itsm sources may request ${request.action}`, 'action');
  }
  if (!mayActOnTenant(policy, request.tenant)) {
    throw new PolicyDeniedError(`${who} may not act on tenant ${request.tenant}`, 'tenant');
  }
  if (request.force === true && !policy.mayForce) {
    throw new PolicyDeniedError(`${who} may not use force`, 'force');
  }
  if (policy.allowedGroups && DELETE_ACTIONS.includes(request.action)) {
    const group = groupOf(request);
    if (group === undefined) {
      throw new PolicyDeniedError(
        `${who} may delete only within its groups (${policy.allowedGroups.join(', ')}); the request must name the group`,
        'group',
      );
    }
    if (!policy.allowedGroups.includes(group)) {
      throw new PolicyDeniedError(`${who} may not delete in group ${group}`, 'group');
    }
  }
}

/** Whether a source may act on a tenant; a source also sees only those tenants' requests. */
export function mayActOnTenant(policy: SourcePolicy, tenant: string): boolean {
  return policy.allowedTenants.includes('*') || policy.allowedTenants.includes(tenant);
}
