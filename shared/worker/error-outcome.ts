import { type Backoff, type Disposition, dispositionOf } from '../core/disposition.ts';
import type { JobOutcome } from '../jobs/job.ts';

/** A refusal: the request ends REJECTED (not a job outcome: a job cannot reject, a guardrail or an error can). */
export interface Rejection {
  stop: 'REJECTED';
  reason: string;
  code: string;
}

/** What turning a disposition into an outcome needs besides the error. */
export interface ErrorOutcomeContext {
  nowMs: number;
  /** Each configured back-off, in ms. */
  backoffMs: Record<Backoff, number>;
  /** The state reason the previous run left (why it deferred), for the "twice in a row" rule. */
  previousReason: string | undefined;
}

/**
 * The outcome of a run that threw `err`, from the disposition the error declares; `undefined` when
 * it declares none (the caller treats it as unexpected). The one rule that depends on the request's
 * history lives here: a retry whose `ifRepeated` is set, met on the run right after a deferral for
 * the same `why`, ends with `ifRepeated` instead (each run having retried inside the client first).
 *
 * @example
 * outcomeOfError(new TransientError('503'), { nowMs, backoffMs: { busy: 30_000, transient: 60_000 }, previousReason });
 * // { status: 'deferred', notBefore: nowMs + 60_000, reason: 'transient: 503' }
 */
export function outcomeOfError(err: unknown, c: ErrorOutcomeContext): JobOutcome | Rejection | undefined {
  const d = dispositionOf(err);
  return d === undefined ? undefined : outcomeOf(d, c);
}

function outcomeOf(d: Disposition, c: ErrorOutcomeContext): JobOutcome | Rejection {
  switch (d.kind) {
    case 'retry': {
      if (d.ifRepeated && c.previousReason?.startsWith(`${d.why}:`)) {
        return outcomeOf({ ...d.ifRepeated, ...(d.progress ? { progress: d.progress } : {}) }, c);
      }
      const waitMs = Math.max(d.afterMs ?? 0, d.backoff ? c.backoffMs[d.backoff] : 0);
      return deferred(c.nowMs + waitMs, `${d.why}: ${d.message}`, d.progress);
    }
    case 'defer':
      return deferred(d.until, `${d.why}: ${d.message}`, d.progress);
    case 'fail':
      // What an interrupted run may have landed (e.g. `sentIds`) is named in the result.
      return {
        status: 'failed',
        reason: d.reason,
        code: d.code,
        ...(d.progress ? { result: d.progress } : {}),
      };
    case 'reject':
      return { stop: 'REJECTED', reason: d.reason, code: d.code };
  }
}

function deferred(
  notBefore: number,
  reason: string,
  progress: Record<string, unknown> | undefined,
): JobOutcome {
  return { status: 'deferred', notBefore, reason, ...(progress ? { progress } : {}) };
}
