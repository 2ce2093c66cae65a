import type { AuditEvent, AuditEventInput } from './events.ts';

export interface AuditQueryOptions {
  /** At most this many events (oldest first); default 1000. */
  limit?: number;
}

/**
 * The audit trail port. Writers may only append; an event once written is never changed.
 * Adapters: DynamoDB (`DynamoAuditLog`) and in-memory (`MemoryAuditLog`, tests and fuzzing).
 *
 * @example
 * await audit.append({ requestId, type: 'received', tenant: 'acme', detail: { route: 'POST /v1/requests' } });
 * const trail = await audit.byRequest(requestId);
 */
export interface AuditLog {
  /** Redacts and writes one event; throws `AuditWriteError` when it cannot. */
  append(event: AuditEventInput): Promise<AuditEvent>;
  byRequest(requestId: string, options?: AuditQueryOptions): Promise<AuditEvent[]>;
  byTicket(ticket: string, options?: AuditQueryOptions): Promise<AuditEvent[]>;
  byResource(resource: string, options?: AuditQueryOptions): Promise<AuditEvent[]>;
}
