import { type Disposition, dispositionOf } from '../core/disposition.ts';

/** Base of the jobs' typed errors: a job that throws one fails naming the class. */
export class JobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  get disposition(): Disposition {
    return { kind: 'fail', code: this.name, reason: this.message };
  }
}

/** A job needs a service the worker was not given (S3 bucket, lifecycle completer, ...). */
export class MissingServiceError extends JobError {}

/**
 * A job stopped by an error that defers it (a rate limit, a 429, a transient failure), carrying what
 * the next run needs to go on where this one stopped. The run loop defers the job as it would for
 * `cause` and keeps `progress` on the request (given back as `ctx.progress`).
 */
export class JobInterruptedError extends Error {
  readonly progress: Record<string, unknown>;
  constructor(cause: unknown, progress: Record<string, unknown>) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = new.target.name;
    this.progress = progress;
  }

  /**
   * The cause's, carrying `progress`: a deferral keeps it for the next run, a failure puts it in the
   * result (it names what the interrupted run may have landed, e.g. `sentIds`). A cause that declares
   * nothing leaves this error undeclared too (unexpected).
   */
  get disposition(): Disposition | undefined {
    const d = dispositionOf(this.cause);
    if (d === undefined || d.kind === 'reject') return d;
    return { ...d, progress: { ...d.progress, ...this.progress } };
  }
}
