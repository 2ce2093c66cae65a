/**
 * The audit trail's vocabulary. One item per event; events are never updated or deleted.
 *
 * - `received`: an authenticated request arrived (before validation).
 * - `validated`: it passed validation and the source's policy.
 * - `rejected`: refused (validation, policy, guardrail, enqueue failure); `detail.reason` says why.
 * - `duplicate`: a resubmission answered with the original request.
 * - `queued`: the job message is on the queue.
 * - `state`: a state transition (`detail.from`, `detail.to`).
 * - `planned`: the worker's plan (the exact calls it will make).
 * - `guardrail`: a guardrail decision (protected name, force, cap, pause).
 * - `zscaler.call`: one attempt of one Zscaler call (method, path, status, attempt, latency, limiter wait).
 * - `deferred`, `held`, `approved`, `succeeded`, `failed`, `dead-lettered`: outcomes.
 * - `callback`: a notification sent back to the source (ITSM comment, lifecycle completion).
 * - `lifecycle.completed`: CompleteLifecycleAction was called.
 * - `snapshot.written`: an inventory snapshot landed in the bucket.
 */
export const AUDIT_EVENT_TYPES = [
  'received',
  'validated',
  'rejected',
  'duplicate',
  'queued',
  'state',
  'planned',
  'guardrail',
  'zscaler.call',
  'deferred',
  'held',
  'approved',
  'succeeded',
  'failed',
  'dead-lettered',
  'callback',
  'lifecycle.completed',
  'snapshot.written',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** What a writer gives. `detail` is redacted before it is written. */
export interface AuditEventInput {
  requestId: string;
  type: AuditEventType;
  tenant?: string | undefined;
  /** The ticket (ITSM number) or the source's own reference. */
  ticket?: string | undefined;
  /** A resource key (`resourceKey()`), e.g. `acme:appConnector/72057615512764537`. */
  resource?: string | undefined;
  action?: string | undefined;
  /** The configured source name that sent the request. */
  source?: string | undefined;
  detail?: Record<string, unknown> | undefined;
}

/** What is stored and read back. */
export interface AuditEvent extends AuditEventInput {
  /** Sort key: ISO time, a sequence and a random suffix, so events of a request sort by time. */
  sk: string;
  eventId: string;
  /** ISO 8601 time the event was written. */
  at: string;
}
