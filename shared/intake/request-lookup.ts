import type { AuditLog } from '../audit/audit-log.ts';
import type { AuditEvent } from '../audit/events.ts';
import type { SourcePolicy } from '../config/sources.ts';
import { IntakeUnavailableError, RequestNotFoundError } from '../requests/errors.ts';
import { REQUEST_ID_PATTERN } from '../requests/keys.ts';
import { mayActOnTenant } from '../requests/policy.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import type { RequestStore } from '../requests/request-store.ts';
import { requestView } from '../requests/request-view.ts';
import { InvalidRequestIdError } from './errors.ts';

export interface LookupDeps {
  store: RequestStore;
  audit: AuditLog;
}

/** A request as a source reads it: its view and its audit trail. */
export type RequestAnswer = Record<string, unknown> & { requestId: string; audit: Record<string, unknown>[] };

/**
 * Reads a request for a source. The id is a UUID, any case. A source sees only requests of tenants
 * it may act on (the tenant rule of its policy); others are answered as unknown, so their existence
 * does not leak. Throws `InvalidRequestIdError` (400), `RequestNotFoundError` (404) or
 * `IntakeUnavailableError` (503: the tables could not be read).
 *
 * @example
 * const answer = await lookUpRequest({ store, audit }, '0B7D3C1E-…', policy);
 */
export async function lookUpRequest(
  deps: LookupDeps,
  rawId: string,
  policy: SourcePolicy,
): Promise<RequestAnswer> {
  const id = rawId.toLowerCase();
  if (!REQUEST_ID_PATTERN.test(id)) {
    throw new InvalidRequestIdError([
      { path: 'id', message: 'a request id is a UUID such as 0b7d3c1e-5f7a-4d2b-9c1e-2a3b4c5d6e7f' },
    ]);
  }
  let record: RequestRecord | undefined;
  let trail: AuditEvent[];
  try {
    record = await deps.store.get(id);
    trail = record ? await deps.audit.byRequest(id) : [];
  } catch (err) {
    throw new IntakeUnavailableError('the requests table is unavailable; retry', undefined, { cause: err });
  }
  if (!record || !mayActOnTenant(policy, record.tenant)) throw new RequestNotFoundError(id);
  return {
    ...requestView(record),
    requestId: record.requestId,
    audit: trail.map((e) => ({
      at: e.at,
      type: e.type,
      ...(e.resource ? { resource: e.resource } : {}),
      ...(e.detail ? { detail: e.detail } : {}),
    })),
  };
}
