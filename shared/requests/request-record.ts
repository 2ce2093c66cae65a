import type { Action, SourceKind } from './actions.ts';
import type { CanonicalRequest } from './request.ts';
import type { RequestState } from './state-machine.ts';

/** One item per request in the requests table. */
export interface RequestRecord {
  requestId: string;
  state: RequestState;
  tenant: string;
  action: Action;
  /** `targetOf(request)`. */
  target: string;
  /** The source's reference (ITSM ticket, instance id, schedule run). */
  ticket?: string;
  sourceName: string;
  sourceKind: SourceKind;
  /** The validated canonical request; the worker runs from it. */
  request: CanonicalRequest;
  /** Runs started (RUNNING entered). */
  attempts: number;
  /** Times handed back to the queue with a delay. */
  deferrals: number;
  /** ISO times. */
  createdAt: string;
  updatedAt: string;
  /** Why the last transition happened (`intake-failed`, `guardrail:protected-name`, ...). */
  stateReason?: string;
  /** Earliest time a deferred request runs again (ISO). */
  notBefore?: string;
  /** Outcome data of a final state (ids created, counts deleted, snapshot key, ...). */
  result?: Record<string, unknown>;
  /** Error of a FAILED/REJECTED/DEAD_LETTERED request. */
  error?: { message: string; code?: string };
}

/** `stateReason` of a request intake recorded but could not enqueue: it was never accepted. */
/**
 * A request's first record: no attempts yet, created and updated now. The intake and test harnesses
 * that enqueue directly build it the same way.
 *
 * @example
 * const record = newRequestRecord({ requestId, state: 'RECEIVED', request, target, sourceName: 'jira', sourceKind: 'itsm', at });
 */
export function newRequestRecord(init: {
  requestId: string;
  state: RequestState;
  request: CanonicalRequest;
  target: string;
  ticket?: string | undefined;
  sourceName: string;
  sourceKind: SourceKind;
  /** ISO time. */
  at: string;
}): RequestRecord {
  const { request, at } = init;
  return {
    requestId: init.requestId,
    state: init.state,
    tenant: request.tenant,
    action: request.action,
    target: init.target,
    ...(init.ticket ? { ticket: init.ticket } : {}),
    sourceName: init.sourceName,
    sourceKind: init.sourceKind,
    request,
    attempts: 0,
    deferrals: 0,
    createdAt: at,
    updatedAt: at,
  };
}

export const NOT_ACCEPTED_REASON = 'intake-failed';

/** An idempotency record: which request a dedupe key belongs to. */
export interface IdempotencyRecord {
  /** The dedupe key in clear (`idem:<source>:<key>` or `ref:<tenant>:<ref>:<action>:<target>`). */
  key: string;
  requestId: string;
  /** sha256 of the canonical request, to tell a replay from a reused key. */
  bodyHash: string;
  /** Epoch ms the claim was made (a stale claim of a crashed intake may be taken over). */
  claimedAtMs: number;
}

/** What a transition may change besides the state. */
export interface TransitionPatch {
  stateReason?: string;
  result?: Record<string, unknown>;
  error?: { message: string; code?: string };
  notBefore?: string;
  /** Add 1 to `attempts` (entering RUNNING). */
  incrementAttempts?: boolean;
  /** Add 1 to `deferrals` (entering DEFERRED). */
  incrementDeferrals?: boolean;
}
