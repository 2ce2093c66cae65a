/**
 * Typed errors of the simulator. Handlers throw an `ApiError` subclass and the server renders it in
 * the wire shape of the API that was called, so no handler builds error bodies by hand.
 */

/** An error answered to the caller as an HTTP response. */
export abstract class ApiError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.headers = headers;
  }
  /** The JSON body sent to the caller. */
  abstract body(): unknown;
}

/**
 * A ZPA error: `{"id": "...", "reason": "...", "params": [...]}`.
 *
 * @example
 * throw new ZpaApiError(400, 'resource.not.found', 'Resource not found', ['connector', '42']);
 */
export class ZpaApiError extends ApiError {
  readonly id: string;
  readonly params: string[] | undefined;
  constructor(
    status: number,
    id: string,
    reason: string,
    params?: string[],
    headers: Record<string, string> = {},
  ) {
    super(status, reason, headers);
    this.id = id;
    this.params = params;
  }
  body(): unknown {
    return this.params === undefined
      ? { id: this.id, reason: this.message }
      : { id: this.id, reason: this.message, params: this.params };
  }
}

/**
 * A Cloud & Branch Connector (ZTW) error: `{"code": "...", "message": "..."}`.
 *
 * @example
 * throw new ZtwApiError(404, 'RESOURCE_NOT_FOUND', 'VM 7 not found');
 */
export class ZtwApiError extends ApiError {
  readonly code: string;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(status, message, headers);
    this.code = code;
  }
  body(): unknown {
    return { code: this.code, message: this.message };
  }
}

/** An OAuth2 token endpoint error (OneAPI): `{"error": "...", "error_description": "..."}`. */
export class OAuthError extends ApiError {
  readonly error: string;
  constructor(status: number, error: string, description: string) {
    super(status, description);
    this.error = error;
  }
  body(): unknown {
    return { error: this.error, error_description: this.message };
  }
}

/** A raw error with an arbitrary body (e.g. ZTW 429 `{"message", "Retry-After"}`). */
export class RawApiError extends ApiError {
  readonly payload: unknown;
  constructor(status: number, payload: unknown, headers: Record<string, string> = {}) {
    super(status, typeof payload === 'string' ? payload : JSON.stringify(payload), headers);
    this.payload = payload;
  }
  body(): unknown {
    return this.payload;
  }
}

/** Bad simulator options or a bad state mutation by a test (never sent over HTTP). */
export class SimulatorConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorConfigError';
  }
}

/** A state helper was asked about something that does not exist. */
export class UnknownResourceError extends SimulatorConfigError {}
