import { AuthError, type ZscalerError } from '../../errors.ts';
import type { AuthStrategy } from '../../http/api-client.ts';
import type { TokenCache } from './token-cache.ts';

/**
 * Bearer-token authentication (ZPA legacy and OneAPI, ZTW OneAPI): attaches the cached token and, on
 * a 401, drops it so the call is repeated once with a new one.
 */
export class BearerTokenAuth implements AuthStrategy {
  readonly #cache: TokenCache;

  constructor(cache: TokenCache) {
    this.#cache = cache;
  }

  async headers(): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.#cache.get()}` };
  }

  invalidateOn(error: ZscalerError, used: Record<string, string>): boolean {
    if (!(error instanceof AuthError) || error.status !== 401) return false;
    const token = used.authorization?.replace(/^Bearer /, '');
    if (token) this.#cache.invalidate(token);
    return true;
  }
}
