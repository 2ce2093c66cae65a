import { AuthError, type ZscalerError } from '../../errors.ts';
import type { AuthStrategy } from '../../http/api-client.ts';
import type { IssuedToken, TokenCache } from './token-cache.ts';

/**
 * Bearer-token authentication (ZPA legacy and OneAPI, ZTW OneAPI): attaches the cached token and, on
 * a 401, drops it so the call is repeated once with a new one.
 */
export class BearerTokenAuth implements AuthStrategy {
  readonly #cache: TokenCache;
  readonly #fetch: (() => Promise<IssuedToken>) | undefined;

  /** `fetch`: this client's own way to get a token when the (possibly shared) cache needs one. */
  constructor(cache: TokenCache, fetch?: () => Promise<IssuedToken>) {
    this.#cache = cache;
    this.#fetch = fetch;
  }

  async headers(): Promise<Record<string, string>> {
    const token = this.#fetch ? await this.#cache.get(this.#fetch) : await this.#cache.get();
    return { authorization: `Bearer ${token}` };
  }

  invalidateOn(error: ZscalerError, used: Record<string, string>): boolean {
    if (!(error instanceof AuthError) || error.status !== 401) return false;
    const token = used.authorization?.replace(/^Bearer /, '');
    if (token) this.#cache.invalidate(token);
    return true;
  }
}
