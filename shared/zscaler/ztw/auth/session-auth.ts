import type { Clock } from '../../../core/clock.ts';
import { AuthError, ExpiredCredentialError, type ZscalerError } from '../../errors.ts';
import type { ApiClient, AuthStrategy } from '../../http/api-client.ts';
import { asSignInError } from '../../zpa/auth/sign-in-errors.ts';
import { obfuscateApiKey } from './obfuscate.ts';

/** Legacy Cloud & Branch Connector credentials. */
export interface ZtwSessionCredentials {
  username: string;
  password: string;
  apiKey: string;
}

/** Extracts the JSESSIONID value from Set-Cookie header(s). */
export function jsessionIdFrom(setCookie: string | string[] | undefined): string | undefined {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  for (const cookie of cookies) {
    const m = /(?:^|;\s*)JSESSIONID=([^;]+)/.exec(cookie);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/**
 * The legacy ZTW session: `POST /auth` JSON `{apiKey (obfuscated), username, password, timestamp}`,
 * then the JSESSIONID cookie on every call. One session per client, shared by all its callers
 * (single flight: concurrent first calls make one `/auth`). The session is renewed only when a call
 * answers 401 `SESSION_NOT_VALID` or "Session already invalidated" (Zscaler asks not to open
 * sessions needlessly), and ended with `DELETE /auth` by `close()`.
 *
 * @example
 * const auth = new ZtwSessionAuth(api, credentials, clock);
 * api.auth = auth;
 * // … calls …
 * await auth.close();
 */
export class ZtwSessionAuth implements AuthStrategy {
  readonly #api: ApiClient;
  readonly #credentials: ZtwSessionCredentials;
  readonly #clock: Clock;
  #session: string | undefined;
  #inFlight: Promise<string> | undefined;

  constructor(api: ApiClient, credentials: ZtwSessionCredentials, clock: Clock) {
    this.#api = api;
    this.#credentials = credentials;
    this.#clock = clock;
  }

  /** Whether a session is currently open. */
  get hasSession(): boolean {
    return this.#session !== undefined;
  }

  async headers(): Promise<Record<string, string>> {
    return { cookie: `JSESSIONID=${await this.#sessionId()}` };
  }

  /**
   * Renews on the documented forms of an invalid session: 401 `SESSION_NOT_VALID`, or a 401 saying
   * the session was already invalidated. Never on 401 "Resource Access Blocked" (a back-off, mapped
   * to `RateLimitedError`): signing in again under load would only add to it.
   */
  invalidateOn(error: ZscalerError, used: Record<string, string>): boolean {
    if (!(error instanceof ExpiredCredentialError)) return false;
    if (used.cookie === `JSESSIONID=${this.#session}`) this.#session = undefined;
    return true;
  }

  /** Ends the session with `DELETE /auth` (if one is open). A failure to end it is ignored. */
  async close(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    if (session === undefined) return;
    try {
      await this.#api.request({
        operation: 'ztw.logout',
        method: 'DELETE',
        path: '/auth',
        headers: { cookie: `JSESSIONID=${session}` },
        rateClass: 'none',
        retry: 'never',
        authenticated: false,
      });
    } catch {
      // The session expires by itself 30 minutes after its last use.
    }
  }

  async #sessionId(): Promise<string> {
    if (this.#session !== undefined) return this.#session;
    if (!this.#inFlight) {
      this.#inFlight = this.#login().finally(() => {
        this.#inFlight = undefined;
      });
    }
    return this.#inFlight;
  }

  async #login(): Promise<string> {
    const timestamp = this.#clock.now();
    const res = await this.#api.exchange({
      operation: 'ztw.login',
      method: 'POST',
      path: '/auth',
      json: {
        apiKey: obfuscateApiKey(this.#credentials.apiKey, timestamp),
        username: this.#credentials.username,
        password: this.#credentials.password,
        timestamp,
      },
      rateClass: 'none',
      retry: 'always',
      authenticated: false,
      mapError: asSignInError,
    });
    const session = jsessionIdFrom(res.headers['set-cookie']);
    if (!session) {
      throw new AuthError('Cloud & Branch Connector /auth answered without a JSESSIONID cookie', {
        status: res.status,
        method: 'POST',
        path: '/auth',
      });
    }
    this.#session = session;
    return session;
  }
}
