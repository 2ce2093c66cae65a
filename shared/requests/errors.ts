import type { Issue } from './issues.ts';
import type { RequestState } from './state-machine.ts';

/** Base of the request pipeline's typed errors. */
export class RequestError extends Error {
  /** The id intake gave the refused request (its audit events carry it), when there is one. */
  requestId: string | undefined = undefined;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request is invalid; `issues` lists every problem (400). */
export class RequestValidationError extends RequestError {
  readonly issues: Issue[];
  constructor(issues: Issue[], message = 'the request is invalid') {
    super(`${message}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.issues = issues;
  }
}

/** The source's policy does not allow this request (403). */
export class PolicyDeniedError extends RequestError {
  /** Which rule refused it: `action`, `tenant`, `group`, `force`. */
  readonly rule: string;
  constructor(message: string, rule: string) {
    super(message);
    this.rule = rule;
  }
}

/** An idempotency key was reused with a different body (409). */
export class IdempotencyConflictError extends RequestError {
  readonly originalRequestId: string;
  constructor(originalRequestId: string) {
    super(`idempotency key already used for request ${originalRequestId} with a different body`);
    this.originalRequestId = originalRequestId;
  }
}

/** A submission with the same key is being processed right now; retry shortly (409). */
export class SubmissionInProgressError extends RequestError {
  readonly originalRequestId: string;
  readonly retryAfterSeconds: number;
  constructor(originalRequestId: string, retryAfterSeconds: number) {
    super(
      `request ${originalRequestId} with the same key is being submitted; retry in ${retryAfterSeconds}s`,
    );
    this.originalRequestId = originalRequestId;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A dependency (table, queue, audit) failed; the request was not accepted, retrying is safe (503). */
export class IntakeUnavailableError extends RequestError {
  constructor(message: string, requestId?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.requestId = requestId;
  }
}

/** The state machine has no such transition. */
export class IllegalTransitionError extends RequestError {
  readonly from: RequestState;
  readonly to: RequestState;
  constructor(from: RequestState, to: RequestState) {
    super(`a request cannot go from ${from} to ${to}`);
    this.from = from;
    this.to = to;
  }
}

/** A conditional transition lost: the request is no longer in the expected state. */
export class StateConflictError extends RequestError {
  readonly expected: readonly RequestState[];
  /** The state found, or `undefined` when the request does not exist. */
  readonly actual: RequestState | undefined;
  constructor(requestId: string, expected: readonly RequestState[], actual: RequestState | undefined) {
    super(`request ${requestId} is ${actual ?? 'missing'}, expected ${expected.join(' or ')}`);
    this.requestId = requestId;
    this.expected = expected;
    this.actual = actual;
  }
}

/** No request with this id. */
export class RequestNotFoundError extends RequestError {
  constructor(requestId: string) {
    super(`request ${requestId} not found`);
    this.requestId = requestId;
  }
}

/** A job message does not match `JobMessageSchema`. */
export class JobMessageError extends RequestError {
  readonly issues: Issue[];
  constructor(issues: Issue[]) {
    super(`invalid job message: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.issues = issues;
  }
}

/** The queue refused or failed a send. */
export class EnqueueError extends RequestError {}
