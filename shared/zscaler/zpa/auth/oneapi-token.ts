import type { ApiClient } from '../../http/api-client.ts';
import { oneApiHosts } from '../../urls.ts';
import { postTokenForm } from './post-token-form.ts';
import type { IssuedToken } from './token-cache.ts';

/** OneAPI client-credentials for ZPA and ZTW. */
export interface OneApiCredentials {
  clientId: string;
  clientSecret: string;
  vanityDomain: string;
  /** OneAPI cloud, `''`/absent for production (e.g. `beta`): picks the token host. */
  cloud?: string | undefined;
  tokenUrl?: string | undefined;
  audience?: string | undefined;
}

/**
 * `https://<vanity>.zslogin.net/oauth2/v1/token` on production, `https://<vanity>.zslogin<cloud>.net/…`
 * on another OneAPI cloud, or the credentials' own `tokenUrl`.
 */
export function oneApiTokenUrl(credentials: OneApiCredentials): string {
  return credentials.tokenUrl ?? oneApiHosts(credentials.vanityDomain, credentials.cloud).tokenUrl;
}

/**
 * OneAPI token: `POST <tokenUrl>` form-encoded `grant_type=client_credentials`, `client_id`,
 * `client_secret`, `audience`; answers `{access_token, expires_in: <number>}`. A refusal answers
 * `{error, error_description}`, named in the `AuthError` (the secret never is).
 *
 * @example
 * const token = await oneApiToken(api, { clientId, clientSecret, vanityDomain: 'acme' });
 */
export async function oneApiToken(api: ApiClient, credentials: OneApiCredentials): Promise<IssuedToken> {
  return postTokenForm(api, {
    operation: 'oneapi.token',
    url: oneApiTokenUrl(credentials),
    form: {
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      audience: credentials.audience ?? 'https://api.zscaler.com',
    },
    noTokenMessage: 'OneAPI token endpoint did not answer a token',
    path: '/oauth2/v1/token',
    secret: credentials.clientSecret,
  });
}
