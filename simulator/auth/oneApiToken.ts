import type { HandlerResult, RequestContext } from '../context.ts';
import { ONEAPI_AUDIENCE, SIMULATOR_CREDENTIALS } from '../credentials.ts';
import { OAuthError } from '../errors.ts';
import { announcedTtl, sameSecret } from './zpaSignin.ts';

/**
 * OneAPI `POST /oauth2/v1/token` (form `grant_type=client_credentials`, `client_id`,
 * `client_secret`, `audience=https://api.zscaler.com`): `expires_in` is a number. Errors follow
 * OAuth2: 400 `unsupported_grant_type` / `invalid_request`, 401 `invalid_client`.
 */
export function oneApiToken(ctx: RequestContext): HandlerResult {
  const f = typeof ctx.body === 'object' && ctx.body !== null ? (ctx.body as Record<string, unknown>) : {};
  if (f.grant_type !== 'client_credentials') {
    throw new OAuthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
  }
  if (f.audience !== ONEAPI_AUDIENCE) {
    throw new OAuthError(400, 'invalid_request', `audience must be ${ONEAPI_AUDIENCE}`);
  }
  const creds = SIMULATOR_CREDENTIALS.zpa;
  if (!sameSecret(f.client_id, creds.clientId) || !sameSecret(f.client_secret, creds.clientSecret)) {
    throw new OAuthError(401, 'invalid_client', 'Client authentication failed');
  }
  const { engine } = ctx;
  const token = engine.tokens.issue('oneapi', engine.now(), engine.tokenTtlMs);
  return {
    status: 200,
    body: { access_token: token, token_type: 'Bearer', expires_in: announcedTtl(engine.tokenTtlMs) },
  };
}
