import { redact } from '../audit/redact.ts';
import type { RequestRecord } from './request-record.ts';

/**
 * A request as people and machines outside zcops see it (`GET /v1/requests/{id}`, `zcops status`):
 * its state and outcome, and the canonical request with anything secret-looking redacted.
 *
 * @example
 * const body = { ...requestView(record), audit: trail.map(auditView) };
 */
export function requestView(record: RequestRecord): Record<string, unknown> {
  return {
    requestId: record.requestId,
    state: record.state,
    action: record.action,
    tenant: record.tenant,
    target: record.target,
    ...(record.ticket ? { ticket: record.ticket } : {}),
    source: { name: record.sourceName, kind: record.sourceKind },
    attempts: record.attempts,
    deferrals: record.deferrals,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.stateReason ? { stateReason: record.stateReason } : {}),
    ...(record.notBefore ? { notBefore: record.notBefore } : {}),
    ...(record.result ? { result: record.result } : {}),
    ...(record.error ? { error: record.error } : {}),
    dryRun: record.request.dryRun === true,
    request: redact(record.request),
  };
}
