/** Base of the jobs' typed errors. */
export class JobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
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
}
