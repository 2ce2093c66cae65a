import type { Disposition } from '../core/disposition.ts';

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
export class TenantSetupError extends WorkerError {
  get disposition(): Disposition {
    return { kind: 'fail', code: this.name, reason: this.message };
  }
}

/** A record that cannot be processed at all (bad message, missing request): it goes to the DLQ. */
export class UnprocessableMessageError extends WorkerError {
  readonly requestId: string | undefined;
  constructor(message: string, requestId?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.requestId = requestId;
  }
}

/**
 * A job met an error that declares no disposition (a bug, or a failure nobody classified). Its
 * message is not acknowledged: SQS delivers it again, the run resumes once its lease expired, and on
 * the last receive the request ends DEAD_LETTERED with code `unexpected`. `cause` is the error.
 */
export class UnexpectedJobError extends WorkerError {
  constructor(cause: unknown) {
    super(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause), { cause });
  }
}
