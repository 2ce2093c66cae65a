/**
 * Typed errors of the rate limiter. Callers decide by `instanceof`; a budget that is merely exhausted
 * is not an error (it is the `{ ok: false, notBefore }` answer of `RateLimiter.acquire`).
 */

/** The limits configuration was rejected; `issues` says where and why. */
export class RateLimitConfigError extends Error {
  readonly issues: { path: string; message: string }[];
  constructor(message: string, issues: { path: string; message: string }[]) {
    super(message);
    this.name = 'RateLimitConfigError';
    this.issues = issues;
  }
}

/** A key string that is not `<tenant>/<api>/<class>`. */
export class InvalidRateLimitKeyError extends Error {
  readonly key: string;
  constructor(key: string, reason: string) {
    super(`invalid rate limit key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'InvalidRateLimitKeyError';
    this.key = key;
  }
}

/** The limiter's storage failed (network, throttling, a malformed item). The call must not proceed. */
export class RateLimitStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RateLimitStoreError';
  }
}
