/**
 * What should happen to a request whose job run met an error, declared by the error class itself
 * (a `disposition` getter) so the worker acts on it without knowing every package's errors. This
 * module imports nothing: any `shared/` folder may declare dispositions without an import cycle.
 *
 * An error that declares none is unexpected: the worker does not acknowledge its message, SQS
 * delivers it again, and on the last receive the request ends DEAD_LETTERED with code `unexpected`.
 */
export type Disposition = RetryDisposition | DeferDisposition | FailDisposition | RejectDisposition;

/** The configured back-offs a retry may ask for (`worker.editLockDelaySeconds`, `worker.transientDelaySeconds`). */
export type Backoff = 'busy' | 'transient';

/**
 * The server did not act: nothing landed, run the job again after a back-off (the request is
 * DEFERRED meanwhile). The wait is the longest of the configured `backoff` and `afterMs`.
 */
export interface RetryDisposition {
  kind: 'retry';
  /** Why, the first word of the request's state reason (`transient`, `busy:edit-lock`, ...). */
  why: string;
  message: string;
  backoff?: Backoff;
  /** The least wait the answer itself asked for (a Retry-After), in ms. */
  afterMs?: number;
  /**
   * The same refusal met again on the run right after a deferral for the same `why` is a real
   * refusal, not a busy server: the request ends with this instead.
   */
  ifRepeated?: FailDisposition;
  progress?: Record<string, unknown>;
}

/** The job must not run before `until` (epoch ms): the request is DEFERRED until then. */
export interface DeferDisposition {
  kind: 'defer';
  until: number;
  why: string;
  message: string;
  progress?: Record<string, unknown>;
}

/** The request ends FAILED with `code`; `progress` (what may have landed) goes into its result. */
export interface FailDisposition {
  kind: 'fail';
  code: string;
  reason: string;
  progress?: Record<string, unknown>;
}

/** The request is refused and ends REJECTED with `code` (nothing was attempted upstream). */
export interface RejectDisposition {
  kind: 'reject';
  code: string;
  reason: string;
}

const KINDS: ReadonlySet<string> = new Set(['retry', 'defer', 'fail', 'reject']);

/**
 * The disposition `err` declares, or `undefined` when it declares none (then it is unexpected).
 *
 * @example
 * const d = dispositionOf(err); // { kind: 'fail', code: 'auth', reason: '...' } for an AuthError
 */
export function dispositionOf(err: unknown): Disposition | undefined {
  if (typeof err !== 'object' || err === null || !('disposition' in err)) return undefined;
  const d = (err as { disposition: unknown }).disposition;
  if (typeof d !== 'object' || d === null) return undefined;
  return KINDS.has((d as { kind?: unknown }).kind as string) ? (d as Disposition) : undefined;
}
