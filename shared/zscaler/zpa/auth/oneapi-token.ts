import { AuthError, ResponseShapeError } from '../../errors.ts';
import type { ApiClient } from '../../http/api-client.ts';
import { asSignInError } from './sign-in-errors.ts';
import type { IssuedToken } from './token-cache.ts';
import { DEFAULT_TOKEN_LIFETIME_S, TokenResponseSchema } from './token-response.ts';

/** OneAPI client-credentials for ZPA and ZTW. */
export interface OneApiCredentials {
  clientId: string;
  clientSecret: string;
  vanityDomain: string;
  tokenUrl?: string | undefined;
  audience?: string | undefined;
}

/** `https://<vanity>.zslogin.net/oauth2/v1/token`, or the credentials' own `tokenUrl`. */
export function oneApiTokenUrl(credentials: OneApiCredentials): string {
  return credentials.tokenUrl ?? `https://${credentials.vanityDomain}.zslogin.net/oauth2/v1/token`;
}

/**
 * OneAPI token: `POST <tokenUrl>` form-encoded `grant_type=client_credentials`, `client_id`,
 * `client_secret`, `audience`; answers `{access_token, expires_in: <number>}`.
 *
 * @example
 * const token = await oneApiToken(api, { clientId, clientSecret, vanityDomain: 'acme' });
 */
export async function oneApiToken(api: ApiClient, credentials: OneApiCredentials): Promise<IssuedToken> {
  try {
    const data = await api.request({
      operation: 'oneapi.token',
      method: 'POST',
      path: '',
      url: oneApiTokenUrl(credentials),
      form: {
        grant_type: 'client_credentials',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        audience: credentials.audience ?? 'https://api.zscaler.com',
      },
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
      throw new AuthError('OneAPI token endpoint did not answer a token', {
        ...(err.status === undefined ? {} : { status: err.status }),
        method: 'POST',
        path: err.path ?? '/oauth2/v1/token',
      });
    }
    throw err;
  }
}
