/** Base of the jobs' typed errors. */
export class JobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A job needs a service the worker was not given (S3 bucket, lifecycle completer, ...). */
export class MissingServiceError extends JobError {}
