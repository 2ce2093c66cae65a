import type { AuditLog } from '../audit/audit-log.ts';
import type { AuditEventInput } from '../audit/events.ts';
import type { SubmitLogger } from '../requests/submit.ts';

/**
 * Writes an audit event of an event intake could not turn into a request (no source, a completed
 * lifecycle action). Best effort, as `submit`'s own rejection audits: a broken audit table must not
 * turn a refusal into a retried failure; the failure is logged.
 *
 * @example
 * await auditBestEffort({ audit, logger }, { requestId, type: 'rejected', detail: { reason: 'no-source' } });
 */
export async function auditBestEffort(
  deps: { audit: AuditLog; logger?: SubmitLogger },
  event: AuditEventInput,
): Promise<void> {
  try {
    await deps.audit.append(event);
  } catch (err) {
    deps.logger?.error('audit write failed', { error: err, type: event.type });
  }
}
