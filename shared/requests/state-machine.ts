import { IllegalTransitionError } from './errors.ts';

/**
 * Request states. Every request reaches exactly one final state.
 *
 * RECEIVED → QUEUED → RUNNING → (DEFERRED ↺ | HELD) → SUCCEEDED | FAILED | REJECTED | DEAD_LETTERED
 */
export const REQUEST_STATES = [
  'RECEIVED',
  'QUEUED',
  'RUNNING',
  'DEFERRED',
  'HELD',
  'SUCCEEDED',
  'FAILED',
  'REJECTED',
  'DEAD_LETTERED',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export const FINAL_STATES: readonly RequestState[] = ['SUCCEEDED', 'FAILED', 'REJECTED', 'DEAD_LETTERED'];

/**
 * The whole transition table. Notes on the less obvious edges:
 * - RECEIVED → REJECTED: intake could not enqueue; the request was never accepted.
 * - RECEIVED → DEAD_LETTERED: a message whose request was never marked QUEUED reached the DLQ.
 * - RUNNING → RUNNING: a redelivered message resumes a run whose worker died (attempts + 1).
 * - DEFERRED → RUNNING: the delayed message came back.
 * - HELD → QUEUED: an operator approved it (re-enqueued); HELD → REJECTED: declined.
 * A worker receiving a message for a request still RECEIVED (intake crashed between enqueue and
 * marking QUEUED) applies RECEIVED → QUEUED first.
 */
export const TRANSITIONS: Readonly<Record<RequestState, readonly RequestState[]>> = {
  RECEIVED: ['QUEUED', 'REJECTED', 'DEAD_LETTERED'],
  QUEUED: ['RUNNING', 'FAILED', 'REJECTED', 'DEAD_LETTERED'],
  RUNNING: ['RUNNING', 'DEFERRED', 'HELD', 'SUCCEEDED', 'FAILED', 'REJECTED', 'DEAD_LETTERED'],
  DEFERRED: ['RUNNING', 'FAILED', 'DEAD_LETTERED'],
  HELD: ['QUEUED', 'REJECTED'],
  SUCCEEDED: [],
  FAILED: [],
  REJECTED: [],
  DEAD_LETTERED: [],
};

/** True when `to` may follow `from`. */
export function canTransition(from: RequestState, to: RequestState): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * Throws `IllegalTransitionError` unless `to` may follow `from`.
 *
 * @example
 * assertTransition('QUEUED', 'RUNNING'); // ok
 * assertTransition('SUCCEEDED', 'RUNNING'); // throws IllegalTransitionError
 */
export function assertTransition(from: RequestState, to: RequestState): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

export function isFinal(state: RequestState): boolean {
  return FINAL_STATES.includes(state);
}

/** The states from which `to` can be reached (for conditional updates). */
export function statesLeadingTo(to: RequestState): RequestState[] {
  return REQUEST_STATES.filter((from) => canTransition(from, to));
}
