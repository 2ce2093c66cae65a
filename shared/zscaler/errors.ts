import type { Disposition } from '../core/disposition.ts';

/**
 * Typed errors of the Zscaler client. Every failure a caller can meet is one of these classes,
 * so callers decide by `instanceof`, never by parsing messages; each class declares what the worker
 * does with a job that met it (`disposition`).
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

  /** Zscaler answered and did not act: the request fails with the server's code (or the class). */
  get disposition(): Disposition {
    return { kind: 'fail', code: this.id ?? this.name, reason: this.message };
  }
}

/**
 * 429: the server asked us to wait `retryAfterMs`. Also ZTW 401 "Resource Access Blocked" (seen
 * under load instead of a 429): a back-off, never a reason to sign in again.
 */
export class RateLimitedError extends ZscalerError {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, details: ZscalerErrorDetails = {}) {
    super(message, details);
    this.retryAfterMs = retryAfterMs;
  }

  override get disposition(): Disposition {
    return {
      kind: 'retry',
      why: 'rate-limited',
      message: this.message,
      afterMs: Math.max(this.retryAfterMs, 1000),
    };
  }
}

/** 404, or 400 `resource.not.found`. On DELETE this means "already gone". */
export class NotFoundError extends ZscalerError {}

/**
 * Why the server turned a call away without acting on it (the answers the official clients retry):
 * - `concurrent-access`: ZPA 409 `api.concurrent.access.error`;
 * - `simultaneous-request`: ZPA 400 `db.simultaneous.request` (another request of the customer is
 *   being processed);
 * - `restricted-entity`: ZPA 400 `non.restricted.entity.authorization.failed` (retried a few times
 *   only: it can also be a real authorisation failure);
 * - `edit-lock`: ZTW 409 `EDIT_LOCK_NOT_AVAILABLE`;
 * - `org-barrier`: ZTW 412/409 "Failed during enter Org barrier";
 * - `precondition`: ZTW 400/409 "…an expected precondition was not met".
 */
export type BusyKind =
  | 'concurrent-access'
  | 'simultaneous-request'
  | 'restricted-entity'
  | 'edit-lock'
  | 'org-barrier'
  | 'precondition';

/**
 * The tenant was busy with other work and the server did not act on the call (see `BusyKind`).
 * Retryable, with a back-off of its own per kind, for every call including writes: repeating it
 * cannot repeat a change. A create is still never repeated by the client (the job looks up first).
 */
export class ConflictError extends ZscalerError {
  readonly kind: BusyKind;
  constructor(message: string, details: ZscalerErrorDetails = {}, kind: BusyKind = 'concurrent-access') {
    super(message, details);
    this.kind = kind;
  }

  /** Busy: retried after `worker.editLockDelaySeconds`; a restricted-entity refusal met twice in a row fails. */
  override get disposition(): Disposition {
    const why = this.kind === 'edit-lock' ? 'edit-lock' : `busy:${this.kind}`;
    return {
      kind: 'retry',
      why,
      message: this.message,
      backoff: 'busy',
      ...(this.kind === 'restricted-entity'
        ? {
            ifRepeated: {
              kind: 'fail',
              code: this.id ?? 'restricted-entity',
              reason: `refused on two runs in a row (nothing was changed): ${this.message}`,
            },
          }
        : {}),
    };
  }
}

/** 401/403 or bad credentials at sign-in. */
export class AuthError extends ZscalerError {
  override get disposition(): Disposition {
    return { kind: 'fail', code: 'auth', reason: `authentication failed: ${this.message}` };
  }
}

/**
 * 401 because the credential itself expired or was invalidated (a ZPA token; a ZTW session with
 * `SESSION_NOT_VALID` or "Session already invalidated"): sign in again once, then retry. The client
 * renews on it; it only reaches a job when a freshly issued credential is rejected again at once.
 */
export class ExpiredCredentialError extends AuthError {
  /** Retried after the transient back-off; rejected again on the next run, it fails as an `AuthError`. */
  override get disposition(): Disposition {
    const refused = super.disposition;
    return {
      kind: 'retry',
      why: 'expired-credential',
      message: this.message,
      backoff: 'transient',
      ...(refused.kind === 'fail' ? { ifRepeated: refused } : {}),
    };
  }
}

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

  override get disposition(): Disposition {
    return {
      kind: 'retry',
      why: 'transient',
      message: this.message,
      backoff: 'transient',
      ...(this.retryAfterMs === undefined ? {} : { afterMs: this.retryAfterMs }),
    };
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

  get disposition(): Disposition {
    return { kind: 'defer', until: this.notBefore, why: this.why, message: this.message };
  }
}

/** The client was configured wrongly (a tenant without ZPA settings, credentials of the wrong kind). */
export class ConfigurationError extends ZscalerError {}
