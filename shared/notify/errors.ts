/** Errors of ticket callbacks. Messages never carry a credential or a response body. */

export class NotifyError extends Error {
  override readonly name: string = 'NotifyError';
}

/** The callback settings are invalid; `issues` lists each problem with its path. */
export class NotifyConfigError extends NotifyError {
  override readonly name = 'NotifyConfigError';
  readonly issues: { path: string; message: string }[];

  constructor(message: string, issues: { path: string; message: string }[]) {
    super(message);
    this.issues = issues;
  }
}

/** The ITSM answered with an error status, or could not be reached. */
export class CallbackDeliveryError extends NotifyError {
  override readonly name = 'CallbackDeliveryError';
  /** HTTP status, absent for network errors and timeouts. */
  readonly status: number | undefined;
  /** Worth another attempt (network, timeout, 429, 5xx). */
  readonly retryable: boolean;
  /** The server's Retry-After, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: { status?: number; retryable: boolean; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The callback's secret is missing or not in the expected shape (never includes its value). */
export class CallbackCredentialsError extends NotifyError {
  override readonly name = 'CallbackCredentialsError';
}

/** The request's ticket cannot address the ITSM (unknown ticket, or a value that is not a ticket number). */
export class TicketNotFoundError extends NotifyError {
  override readonly name = 'TicketNotFoundError';
}
