import { AuthError, ResponseShapeError } from '../../errors.ts';
import type { ApiClient } from '../../http/api-client.ts';
import { asSignInError } from './sign-in-errors.ts';
import type { IssuedToken } from './token-cache.ts';
import { DEFAULT_TOKEN_LIFETIME_S, TokenResponseSchema } from './token-response.ts';

/**
 * ZPA legacy sign-in: `POST {host}/signin`, form-encoded `client_id`, `client_secret`; answers
 * `{"token_type":"Bearer","access_token":"…","expires_in":"3600"}`. A tenant moved to OneAPI answers
 * with a non-JSON body, which becomes an `AuthError` saying so.
 *
 * @example
 * const token = await legacySignIn(api, 'https://config.private.zscaler.com/signin', { clientId, clientSecret });
 */
export async function legacySignIn(
  api: ApiClient,
  signInUrl: string,
  credentials: { clientId: string; clientSecret: string },
): Promise<IssuedToken> {
  try {
    const data = await api.request({
      operation: 'zpa.signin',
      method: 'POST',
      path: '',
      url: signInUrl,
      form: { client_id: credentials.clientId, client_secret: credentials.clientSecret },
      schema: TokenResponseSchema,
      rateClass: 'none',
      retry: 'always',
      authenticated: false,
      mapError: asSignInError,
    });
    return {
      accessToken: data.access_token,
      expiresInMs: (data.expires_in ?? DEFAULT_TOKEN_LIFETIME_S) * 1000,
    };
  } catch (err) {
    if (err instanceof ResponseShapeError) {
      throw new AuthError(
        'ZPA legacy sign-in did not answer a token (a non-JSON or unexpected answer usually means the tenant ' +
          'has moved to OneAPI: use authType "oneapi" credentials)',
        {
          ...(err.status === undefined ? {} : { status: err.status }),
          method: 'POST',
          path: err.path ?? '/signin',
        },
      );
    }
    throw err;
  }
}
