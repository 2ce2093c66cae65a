import type { IdempotencyRecord, RequestRecord, TransitionPatch } from './request-record.ts';
import type { RequestState } from './state-machine.ts';

export type ClaimResult = { claimed: true } | { claimed: false; existing: IdempotencyRecord };

/**
 * The requests table port. Transitions are conditional on the current state, so two workers can
 * never both move one request; idempotency claims are conditional puts, so two submissions can
 * never both own one key. Adapters: `DynamoRequestStore`, `MemoryRequestStore`.
 *
 * @example
 * await store.transition(requestId, 'RUNNING', { from: ['QUEUED', 'DEFERRED'], patch: { incrementAttempts: true } });
 */
export interface RequestStore {
  /** Writes a new request; throws if the id exists. */
  create(record: RequestRecord): Promise<void>;
  get(requestId: string): Promise<RequestRecord | undefined>;
  /**
   * Moves a request to `to`. `from` (default: the state read now) is checked against the state
   * machine first (`IllegalTransitionError`), then applied as the write's condition
   * (`StateConflictError` with the actual state when it lost).
   */
  transition(
    requestId: string,
    to: RequestState,
    options?: { from?: RequestState | readonly RequestState[]; patch?: TransitionPatch },
  ): Promise<RequestRecord>;
  /** Claims a dedupe key for a request unless a live claim exists (then returns it). */
  claimKey(record: IdempotencyRecord, expiresAtSeconds: number): Promise<ClaimResult>;
  /** Replaces a claim only if it still belongs to `expectedRequestId` with `expectedClaimedAtMs`. */
  replaceClaim(
    record: IdempotencyRecord,
    expectedRequestId: string,
    expectedClaimedAtMs: number,
    expiresAtSeconds: number,
  ): Promise<boolean>;
  /** Removes a claim if it still belongs to `requestId` (an intake that failed gives its key back). */
  releaseKey(key: string, requestId: string): Promise<void>;
  /** Requests of a ticket, oldest first. */
  byTicket(ticket: string, options?: { limit?: number }): Promise<RequestRecord[]>;
  /** Requests in a state, oldest first (e.g. HELD for approval). */
  byState(state: RequestState, options?: { limit?: number }): Promise<RequestRecord[]>;
}
