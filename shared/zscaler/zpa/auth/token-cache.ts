import type { Clock } from '../../../core/clock.ts';

/** A bearer token and how long it lives. */
export interface IssuedToken {
  accessToken: string;
  expiresInMs: number;
}

/**
 * Caches one bearer token until shortly before it expires. Concurrent callers share one in-flight
 * token request (single flight), and a token is dropped only if it is still the one that failed, so
 * a burst of 401s renews once.
 *
 * @example
 * const cache = new TokenCache(() => signIn(), clock, 60_000);
 * const token = await cache.get();
 */
export class TokenCache {
  readonly #fetch: () => Promise<IssuedToken>;
  readonly #clock: Clock;
  readonly #marginMs: number;
  #token: { value: string; renewAt: number } | undefined;
  #inFlight: Promise<string> | undefined;

  constructor(fetch: () => Promise<IssuedToken>, clock: Clock, marginMs = 60_000) {
    this.#fetch = fetch;
    this.#clock = clock;
    this.#marginMs = marginMs;
  }

  /** The cached token, or a fresh one when none is valid. */
  /**
   * The cached token, or a new one. `fetch` (default: the constructor's) is the caller's own way to
   * get a token, so a cache shared by several clients signs in through the client that needs it.
   */
  async get(fetch: () => Promise<IssuedToken> = this.#fetch): Promise<string> {
    if (this.#token && this.#clock.now() < this.#token.renewAt) return this.#token.value;
    if (!this.#inFlight) {
      this.#inFlight = (async () => {
        try {
          const issued = await fetch();
          // A token shorter-lived than the margin is still used, for half its life.
          const margin = Math.min(this.#marginMs, issued.expiresInMs / 2);
          this.#token = {
            value: issued.accessToken,
            renewAt: this.#clock.now() + issued.expiresInMs - margin,
          };
          return issued.accessToken;
        } finally {
          this.#inFlight = undefined;
        }
      })();
    }
    return this.#inFlight;
  }

  /** Drops `token` if it is still the cached one (the API rejected it). */
  invalidate(token: string): void {
    if (this.#token?.value === token) this.#token = undefined;
  }
}
