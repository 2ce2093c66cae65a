import { IdempotencyConflictError, PolicyDeniedError, RequestValidationError } from '../requests/errors.ts';
import type { Issue } from '../requests/issues.ts';
import type { SubmitResult } from '../requests/submit.ts';

/** What became of one AWS event (EventBridge, Scheduler). */
export interface EventOutcome {
  outcome: 'accepted' | 'duplicate' | 'rejected' | 'ignored';
  requestId?: string;
  state?: string;
  /** Why it was rejected or ignored. */
  reason?: string;
  issues?: Issue[];
  /** For rejected lifecycle events: the lifecycle action was completed with CONTINUE. */
  lifecycleCompleted?: boolean;
}

/**
 * The outcome of submitting an event's draft: accepted or duplicate, or rejected for what the
 * event said (invalid, refused by policy, a conflicting key). Any other failure (a table, the
 * queue) is thrown, so Lambda's asynchronous retries deliver the event again (submit dedupes it).
 *
 * @example
 * const outcome = await outcomeOf(() => accept(draft, policy, context));
 */
export async function outcomeOf(submission: () => Promise<SubmitResult>): Promise<EventOutcome> {
  try {
    const result = await submission();
    return { outcome: result.outcome, requestId: result.requestId, state: result.state };
  } catch (err) {
    if (err instanceof RequestValidationError) {
      return { outcome: 'rejected', requestId: err.requestId, reason: 'invalid', issues: err.issues };
    }
    if (err instanceof PolicyDeniedError) {
      return { outcome: 'rejected', requestId: err.requestId, reason: err.message };
    }
    if (err instanceof IdempotencyConflictError) {
      return { outcome: 'rejected', requestId: err.originalRequestId, reason: err.message };
    }
    throw err;
  }
}
