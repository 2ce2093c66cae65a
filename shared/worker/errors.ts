/** Base of the worker's typed errors. */
export class WorkerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A write was attempted in a dry-run (a job bug: `execute` is never called in dry-run). */
export class DryRunWriteError extends WorkerError {}

/** The tenant's configuration or credentials do not allow the job (FAILED, never retried). */
export class TenantSetupError extends WorkerError {}

/** A record that cannot be processed at all (bad message, missing request): it goes to the DLQ. */
export class UnprocessableMessageError extends WorkerError {
  readonly requestId: string | undefined;
  constructor(message: string, requestId?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.requestId = requestId;
  }
}
