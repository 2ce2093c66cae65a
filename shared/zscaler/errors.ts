/**
 * Typed errors of the Zscaler client. Every failure a caller can meet is one of these classes,
 * so the worker decides by `instanceof`, never by parsing messages.
 */

/** Details Zscaler puts in an error body: ZPA `{id, reason, params}`, ZTW `{code, message}`. */
export interface ZscalerErrorDetails {
  status?: number;
  /** ZPA `id` or ZTW `code`, e.g. `resource.not.found`, `EDIT_LOCK_NOT_AVAILABLE`. */
  id?: string;
  reason?: string;
  params?: unknown[];
  method?: string;
  path?: string;
}

export class ZscalerError extends Error {
  readonly status: number | undefined;
  readonly id: string | undefined;
  readonly reason: string | undefined;
  readonly params: unknown[] | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;

  constructor(message: string, details: ZscalerErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.status = details.status;
    this.id = details.id;
    this.reason = details.reason;
    this.params = details.params;
    this.method = details.method;
    this.path = details.path;
  }
}

/** 429: the server asked us to wait `retryAfterMs`. */
export class RateLimitedError extends ZscalerError {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, details: ZscalerErrorDetails = {}) {
    super(message, details);
    this.retryAfterMs = retryAfterMs;
  }
}

/** 404, or 400 `resource.not.found`. On DELETE this means "already gone". */
export class NotFoundError extends ZscalerError {}

/** 409: concurrent access (`api.concurrent.access.error`) or ZTW `EDIT_LOCK_NOT_AVAILABLE`. Retryable. */
export class ConflictError extends ZscalerError {}

/** 401/403 or bad credentials at sign-in. */
export class AuthError extends ZscalerError {}

/** 400 (other than not-found) and other 4xx: the request itself is wrong. Never retried. */
export class ValidationError extends ZscalerError {}

/** 5xx, timeouts, connection resets. Retryable for idempotent calls only. */
export class TransientError extends ZscalerError {
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    details: ZscalerErrorDetails = {},
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, details, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** A response arrived but its body did not match the schema for the endpoint. */
export class ResponseShapeError extends ZscalerError {
  readonly issues: { path: string; message: string }[];
  constructor(
    message: string,
    issues: { path: string; message: string }[],
    details: ZscalerErrorDetails = {},
  ) {
    super(message, details);
    this.issues = issues;
  }
}

/**
 * "Not before T": the call must not be made before `notBefore` (epoch ms). Raised by the rate
 * limiter when its wait is too long to sleep, and by the client when retrying would wait longer than
 * its cap. The worker answers it by deferring the job, never by sleeping inside a Lambda.
 */
export class RetryLaterError extends Error {
  readonly notBefore: number;
  /** Why: `rate-limit`, `retry-after`, `edit-lock`, `transient`, ... */
  readonly why: string;
  constructor(message: string, notBefore: number, why: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryLaterError';
    this.notBefore = notBefore;
    this.why = why;
  }
}

/** The client was configured wrongly (a tenant without ZPA settings, credentials of the wrong kind). */
export class ConfigurationError extends ZscalerError {}
