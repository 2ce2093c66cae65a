import { timingSafeEqual } from 'node:crypto';
import type { HandlerResult, RequestContext } from '../context.ts';
import { SIMULATOR_CREDENTIALS } from '../credentials.ts';
import { ZpaApiError } from '../errors.ts';

/** Constant-time string comparison (no early exit on the first differing character). */
export function sameSecret(a: unknown, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function form(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

/** Token lifetime in whole seconds as announced (scaled, at least 1). */
export function announcedTtl(ttlMs: number): number {
  return Math.max(1, Math.floor(ttlMs / 1000));
}

/**
 * Legacy ZPA `POST /signin` (form `client_id`, `client_secret`):
 * `{"token_type":"Bearer","access_token":"…","expires_in":"3600"}` with `expires_in` a string.
 * Bad credentials: 401 `{"id":"authn.failed"}`.
 */
export function zpaSignin(ctx: RequestContext): HandlerResult {
  const f = form(ctx.body);
  const creds = SIMULATOR_CREDENTIALS.zpa;
  if (!sameSecret(f.client_id, creds.clientId) || !sameSecret(f.client_secret, creds.clientSecret)) {
    throw new ZpaApiError(401, 'authn.failed', 'Invalid client credentials');
  }
  const { engine } = ctx;
  const token = engine.tokens.issue('legacy', engine.now(), engine.tokenTtlMs);
  return {
    status: 200,
    body: { token_type: 'Bearer', access_token: token, expires_in: String(announcedTtl(engine.tokenTtlMs)) },
  };
}
