import type { ApiClient } from '../../http/api-client.ts';
import { postTokenForm } from './post-token-form.ts';
import type { IssuedToken } from './token-cache.ts';

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
  return postTokenForm(api, {
    operation: 'zpa.signin',
    url: signInUrl,
    form: { client_id: credentials.clientId, client_secret: credentials.clientSecret },
    noTokenMessage:
      'ZPA legacy sign-in did not answer a token (a non-JSON or unexpected answer usually means the tenant ' +
      'has moved to OneAPI: use authType "oneapi" credentials)',
    path: '/signin',
    secret: credentials.clientSecret,
  });
}
