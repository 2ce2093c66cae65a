import {
  AuthError,
  type BusyKind,
  ConflictError,
  ExpiredCredentialError,
  NotFoundError,
  RateLimitedError,
  TransientError,
  ValidationError,
  type ZscalerError,
  type ZscalerErrorDetails,
} from '../errors.ts';
import { retryAfterFromResponse } from './retry-after.ts';

/**
 * Maps a failed response or a network failure onto the typed errors of `../errors.ts`. Messages
 * carry method, path, status and Zscaler's own id/reason, never request headers or bodies (which
 * hold tokens and passwords).
 */

/** Wait assumed when a 429 gives no readable Retry-After. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 1_000;

/**
 * Zscaler's error details from a body: ZPA `{id, reason, params}`, ZTW `{code, message}`, OAuth
 * `{error, error_description}` (the OneAPI token endpoint).
 */
export function errorDetailsFromBody(body: unknown): Pick<ZscalerErrorDetails, 'id' | 'reason' | 'params'> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  const b = body as Record<string, unknown>;
  const id = firstString(b.id, b.code, b.error);
  const reason = firstString(b.reason, b.message, b.error_description);
  const params = Array.isArray(b.params) ? b.params : undefined;
  return { id, reason, params };
}

function firstString(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v.length > 0) return v;
  return undefined;
}

/** Parses a body as JSON when it is JSON; otherwise `undefined`. */
export function tryParseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Wait assumed when a ZTW 401 "Resource Access Blocked" names none (it stands in for a 429). */
export const DEFAULT_BLOCKED_WAIT_MS = 2_000;

/** Ids that say the server did not act because of concurrent work, and why. */
const BUSY_IDS: Record<string, BusyKind> = {
  'api.concurrent.access.error': 'concurrent-access',
  'db.simultaneous.request': 'simultaneous-request',
  'non.restricted.entity.authorization.failed': 'restricted-entity',
  EDIT_LOCK_NOT_AVAILABLE: 'edit-lock',
};

/**
 * Whether an answer is one the official clients retry because the server did not act (facts page),
 * and which. ZTW says it in the message (`{"code":"UNEXPECTED_ERROR","message":"Failed during enter
 * Org barrier"}`), ZPA in the id.
 *
 * @example
 * busyKindOf(400, 'db.simultaneous.request', undefined) // 'simultaneous-request'
 * busyKindOf(412, 'UNEXPECTED_ERROR', 'Failed during enter Org barrier') // 'org-barrier'
 */
export function busyKindOf(
  status: number,
  id: string | undefined,
  reason: string | undefined,
): BusyKind | undefined {
  const byId = id === undefined ? undefined : BUSY_IDS[id];
  if (byId) return byId;
  if (reason !== undefined && status >= 400) {
    if (/failed during enter org barrier/i.test(reason)) return 'org-barrier';
    if (/expected precondition was not met/i.test(reason)) return 'precondition';
  }
  if (status === 409) return 'concurrent-access';
  return undefined;
}

/** ZTW 401 "Resource Access Blocked": a 429 in disguise (back off; the session is still valid). */
export function isResourceAccessBlocked(status: number, reason: string | undefined): boolean {
  return status === 401 && reason !== undefined && /resource access blocked/i.test(reason);
}

/**
 * A 401 that says the credential expired or was invalidated: ZTW `SESSION_NOT_VALID` or "Session
 * already invalidated" (the Go SDK's two forms), a ZPA `invalid.token`.
 */
export function isExpiredCredential(
  status: number,
  id: string | undefined,
  reason: string | undefined,
): boolean {
  if (status !== 401) return false;
  if (id === 'SESSION_NOT_VALID' || id === 'invalid.token') return true;
  return (
    reason !== undefined &&
    /session\s+(has\s+)?(already\s+)?(been\s+)?invalidated|session is not valid/i.test(reason)
  );
}

/**
 * The typed error for a non-2xx response.
 *
 * @example
 * mapResponseError({ status: 429, headers: { 'retry-after': '13s' }, text: '{}', method: 'GET', path: '/x', nowMs: 0 })
 * // RateLimitedError with retryAfterMs 13000
 */
export function mapResponseError(input: {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  method: string;
  path: string;
  nowMs: number;
}): ZscalerError {
  const { status, method, path } = input;
  const body = tryParseJson(input.text);
  const fromBody = errorDetailsFromBody(body);
  // A non-JSON body (an HTML error page) still helps a human: keep a short, single-line excerpt.
  const reason =
    fromBody.reason ??
    (body === undefined && input.text.length > 0
      ? input.text.replace(/\s+/g, ' ').trim().slice(0, 200)
      : undefined);
  const details: ZscalerErrorDetails = { ...fromBody, reason, status, method, path };
  const what = `${method} ${path} answered ${status}${details.id ? ` ${details.id}` : ''}${reason ? `: ${reason}` : ''}`;
  const retryAfterMs = retryAfterFromResponse(input.headers['retry-after'], body, input.nowMs);

  if (status === 429) return new RateLimitedError(what, retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS, details);
  if (isResourceAccessBlocked(status, reason)) {
    return new RateLimitedError(what, retryAfterMs ?? DEFAULT_BLOCKED_WAIT_MS, details);
  }
  if (status === 404 || details.id === 'resource.not.found') return new NotFoundError(what, details);
  const busy = busyKindOf(status, details.id, reason);
  if (busy) return new ConflictError(what, details, busy);
  if (isExpiredCredential(status, details.id, reason)) return new ExpiredCredentialError(what, details);
  if (status === 401 || status === 403) return new AuthError(what, details);
  if (status >= 500) {
    return new TransientError(what, details, retryAfterMs === undefined ? {} : { retryAfterMs });
  }
  return new ValidationError(what, details);
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_ABORTED',
]);

/**
 * The typed error for a request that got no (complete) response: timeouts, resets, refused
 * connections all become `TransientError` (the server may or may not have acted).
 */
export function mapNetworkError(err: unknown, method: string, path: string): TransientError {
  const code = (err as { code?: unknown } | null)?.code;
  const name = err instanceof Error ? err.name : 'Error';
  const label = typeof code === 'string' ? code : name;
  const known = typeof code === 'string' && TRANSIENT_CODES.has(code);
  return new TransientError(
    `${method} ${path} failed without a response (${label}${known ? '' : ', unexpected'})`,
    { method, path },
    { cause: err },
  );
}
