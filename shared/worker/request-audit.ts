import type { AuditEventType } from '../audit/events.ts';
import { resourceKey } from '../audit/resource.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import type { WorkerDeps } from './deps.ts';

/**
 * Writes one audit event of a request, with its tenant, ticket, source and action filled in;
 * `resource` (`kind/id`) is keyed to the request's tenant.
 *
 * @example
 * await audit(deps, record, 'held', { reason: 'hold window' });
 */
export async function audit(
  deps: Pick<WorkerDeps, 'audit'>,
  record: RequestRecord,
  type: AuditEventType,
  detail: Record<string, unknown>,
  resource?: string,
): Promise<void> {
  await deps.audit.append({
    requestId: record.requestId,
    type,
    tenant: record.tenant,
    ticket: record.ticket,
    source: record.sourceName,
    action: record.action,
    resource: resource === undefined ? undefined : resourceKey(record.tenant, resource),
    detail,
  });
}
