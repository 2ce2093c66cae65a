import { AuthError, ResponseShapeError } from '../../errors.ts';
import type { ApiClient } from '../../http/api-client.ts';
import { asSignInError } from './sign-in-errors.ts';
import type { IssuedToken } from './token-cache.ts';
import { DEFAULT_TOKEN_LIFETIME_S, TokenResponseSchema } from './token-response.ts';

/** One token request: where to post which form, and what to say when the answer holds no token. */
export interface TokenFormRequest {
  operation: string;
  url: string;
  form: Record<string, string>;
  /** The `AuthError` message when the answer is not a token. */
  noTokenMessage: string;
  /** The path the `AuthError` names when the shape error carries none. */
  path: string;
  /** Never to appear in an error message, even if a server echoes it back. */
  secret?: string;
}

/**
 * Posts a form-encoded credentials request (unauthenticated, always retried) and reads the token
 * answer; an answer that is not a token becomes an `AuthError` with `noTokenMessage`.
 *
 * @example
 * const token = await postTokenForm(api, { operation: 'zpa.signin', url, form, noTokenMessage: 'no token', path: '/signin' });
 */
export async function postTokenForm(api: ApiClient, request: TokenFormRequest): Promise<IssuedToken> {
  try {
    const data = await api.request({
      operation: request.operation,
      method: 'POST',
      path: '',
      url: request.url,
      form: request.form,
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
      throw new AuthError(request.noTokenMessage, {
        ...(err.status === undefined ? {} : { status: err.status }),
        method: 'POST',
        path: err.path ?? request.path,
      });
    }
    throw withoutSecret(err, request.secret);
  }
}

/** The error again with every occurrence of `secret` masked in its message and reason. */
function withoutSecret(err: unknown, secret: string | undefined): unknown {
  if (!secret || !(err instanceof AuthError)) return err;
  if (!err.message.includes(secret) && !err.reason?.includes(secret)) return err;
  const mask = (t: string) => t.split(secret).join('***');
  return new AuthError(mask(err.message), {
    ...(err.status === undefined ? {} : { status: err.status }),
    ...(err.id === undefined ? {} : { id: err.id }),
    ...(err.reason === undefined ? {} : { reason: mask(err.reason) }),
    ...(err.method === undefined ? {} : { method: err.method }),
    ...(err.path === undefined ? {} : { path: err.path }),
  });
}
