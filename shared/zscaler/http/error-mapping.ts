import {
  AuthError,
  ConflictError,
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

/** Zscaler's error details from a body: ZPA `{id, reason, params}`, ZTW `{code, message}`. */
export function errorDetailsFromBody(body: unknown): Pick<ZscalerErrorDetails, 'id' | 'reason' | 'params'> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  const b = body as Record<string, unknown>;
  const id = typeof b.id === 'string' ? b.id : typeof b.code === 'string' ? b.code : undefined;
  const reason =
    typeof b.reason === 'string' ? b.reason : typeof b.message === 'string' ? b.message : undefined;
  const params = Array.isArray(b.params) ? b.params : undefined;
  return { id, reason, params };
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

const CONFLICT_IDS = new Set(['api.concurrent.access.error', 'EDIT_LOCK_NOT_AVAILABLE']);

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
  if (status === 404 || details.id === 'resource.not.found') return new NotFoundError(what, details);
  if (status === 409 || (details.id !== undefined && CONFLICT_IDS.has(details.id))) {
    return new ConflictError(what, details);
  }
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
