import type { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { ResponseShapeError, type ZscalerError } from '../errors.ts';
import type { ApiFamily, CallHooks, HttpMethod, RateClass, ZscalerCall } from '../hooks.ts';
import { mapNetworkError, mapResponseError, tryParseJson } from './error-mapping.ts';
import { buildQuery, type QueryValue } from './query.ts';
import type { RetryMode, RetryPolicy } from './retry-policy.ts';
import type { HttpTransport, TransportResponse } from './transport.ts';

/**
 * One API root of one tenant (e.g. the tenant's ZPA `.../mgmtconfig/v1/admin/customers/{id}`), and
 * the single path every request to it takes: auth headers → `hooks.before` (rate limiter) → HTTP →
 * error mapping → `hooks.after` → retry decision (or a renewal of an expired credential, then the
 * same attempt again).
 */

/** How a client authenticates; see the ZPA token and ZTW session implementations. */
export interface AuthStrategy {
  /** Headers to add to a request (fetches or reuses a credential). */
  headers(): Promise<Record<string, string>>;
  /**
   * Called when an attempt failed with `error` using `used` headers. Returns true when the
   * credential was expired and has been dropped, so the call should be repeated once.
   */
  invalidateOn(error: ZscalerError, used: Record<string, string>): Promise<boolean> | boolean;
}

/** A request to the API root. */
export interface ApiRequest<S extends z.ZodType | undefined = undefined> {
  /** Logical operation for hooks and audit, e.g. `appConnector.delete`. */
  operation: string;
  method: HttpMethod;
  /** Path below the API root, built only from validated ids. */
  path: string;
  query?: Record<string, QueryValue>;
  /** JSON body. */
  json?: unknown;
  /** Form-encoded body (sign-in). */
  form?: Record<string, string>;
  /** Response body schema; absent means the body is ignored. */
  schema?: S;
  /** An empty success body is acceptable (data is then `undefined`). */
  emptyBodyOk?: boolean;
  rateClass: RateClass;
  retry: RetryMode;
  /** Whether to attach the tenant's credential. Default true. */
  authenticated?: boolean;
  /** Overrides the origin/base of the API root (OneAPI token URLs live elsewhere). */
  url?: string;
  /** Extra headers that are not secret (a session cookie travels through the auth strategy). */
  headers?: Record<string, string>;
  /** Maps failures differently (sign-in answers 400 for bad credentials). */
  mapError?: (error: ZscalerError) => ZscalerError;
}

/** A raw successful response, for callers that need headers (Set-Cookie). */
export interface ApiResponse<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  data: T;
}

export interface ApiClientOptions {
  tenant: string;
  api: ApiFamily;
  /** API root, e.g. `https://config.private.zscaler.com/mgmtconfig/v1/admin/customers/123`. */
  baseUrl: string;
  transport: HttpTransport;
  retry: RetryPolicy;
  clock: Clock;
  hooks?: CallHooks;
  auth?: AuthStrategy;
  userAgent?: string;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** Renewals of an expired credential one call makes without any other answer in between. */
export const MAX_RENEWALS_IN_A_ROW = 2;

/**
 * Sends requests to one API root with hooks, retries and typed errors.
 *
 * @example
 * const api = new ApiClient({ tenant: 'acme', api: 'zpa', baseUrl, transport, retry: new RetryPolicy(), clock: systemClock });
 * const group = await api.request({ operation: 'appConnectorGroup.get', method: 'GET', path: '/appConnectorGroup/1',
 *   schema: AppConnectorGroupSchema, rateClass: 'read', retry: 'always' });
 */
export class ApiClient {
  readonly tenant: string;
  readonly api: ApiFamily;
  readonly baseUrl: string;
  auth: AuthStrategy | undefined;
  readonly #origin: string;
  readonly #basePath: string;
  readonly #transport: HttpTransport;
  readonly #retry: RetryPolicy;
  readonly #clock: Clock;
  readonly #hooks: CallHooks | undefined;
  readonly #userAgent: string;

  constructor(options: ApiClientOptions) {
    this.tenant = options.tenant;
    this.api = options.api;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const { origin, basePath } = splitUrl(this.baseUrl);
    this.#origin = origin;
    this.#basePath = basePath;
    this.#transport = options.transport;
    this.#retry = options.retry;
    this.#clock = options.clock;
    this.#hooks = options.hooks;
    this.auth = options.auth;
    this.#userAgent = options.userAgent ?? 'zcops';
  }

  /** Sends the request and answers the parsed body. */
  async request<S extends z.ZodType | undefined = undefined>(req: ApiRequest<S>): Promise<Out<S>> {
    return (await this.exchange(req)).data;
  }

  /** Sends the request and answers status, headers and the parsed body. */
  async exchange<S extends z.ZodType | undefined = undefined>(
    req: ApiRequest<S>,
  ): Promise<ApiResponse<Out<S>>> {
    const { origin, basePath } = req.url
      ? splitUrl(req.url)
      : { origin: this.#origin, basePath: this.#basePath };
    const pathWithQuery = `${basePath}${req.path}${buildQuery(req.query)}`;
    const body =
      req.json !== undefined
        ? JSON.stringify(req.json)
        : req.form
          ? new URLSearchParams(req.form).toString().replace(/\+/g, '%20')
          : undefined;
    const baseHeaders: Record<string, string> = { accept: 'application/json', 'user-agent': this.#userAgent };
    if (req.json !== undefined) baseHeaders['content-type'] = 'application/json';
    if (req.form) baseHeaders['content-type'] = 'application/x-www-form-urlencoded';
    Object.assign(baseHeaders, req.headers);

    const useAuth = req.authenticated !== false && this.auth !== undefined;
    let attempt = 0;
    let policyAttempt = 0;
    let waitedMs = 0;
    // Renewals since the last answer that was not an expired credential. A credential can expire
    // (or be invalidated) on any attempt of a long call, after a 429 or between pages, so each
    // expiry is renewed; only a credential rejected again right after being issued is a real auth
    // failure, and even then it gets one more chance (an invalidation can race the renewal).
    let renewalsInARow = 0;
    for (;;) {
      attempt++;
      policyAttempt++;
      const authHeaders = useAuth ? await this.auth!.headers() : {};
      const call: ZscalerCall = {
        tenant: this.tenant,
        api: this.api,
        method: req.method,
        path: pathWithQuery,
        operation: req.operation,
        rateClass: req.rateClass,
        idempotent: req.retry !== 'never',
        attempt,
      };
      // A RetryLaterError from the limiter must reach the caller unchanged.
      const limiterWaitMs = (await this.#hooks?.before?.(call)) ?? 0;
      const started = performance.now();
      let res: TransportResponse | undefined;
      let error: ZscalerError | undefined;
      let data: unknown;
      try {
        res = await this.#transport.send({
          origin,
          method: req.method,
          path: pathWithQuery,
          headers: { ...baseHeaders, ...authHeaders },
          ...(body === undefined ? {} : { body }),
        });
      } catch (err) {
        error = mapNetworkError(err, req.method, pathWithQuery);
      }
      if (res) {
        if (res.status >= 200 && res.status < 300) {
          const parsed = this.#parse(req, res, pathWithQuery);
          if (parsed.ok) data = parsed.data;
          else error = parsed.error;
        } else {
          error = mapResponseError({
            status: res.status,
            headers: res.headers,
            text: res.text,
            method: req.method,
            path: pathWithQuery,
            nowMs: this.#clock.now(),
          });
        }
      }
      if (error && req.mapError) error = req.mapError(error);
      await this.#after({
        call,
        ok: error === undefined,
        ...(res ? { status: res.status } : {}),
        latencyMs: Math.round(performance.now() - started),
        limiterWaitMs,
        ...(error ? { errorClass: error.name } : {}),
        ...(retryAfterOf(error) === undefined ? {} : { retryAfterMs: retryAfterOf(error) }),
      });
      if (!error) return { status: res!.status, headers: res!.headers, data: data as Out<S> };

      if (
        useAuth &&
        renewalsInARow < MAX_RENEWALS_IN_A_ROW &&
        (await this.auth!.invalidateOn(error, authHeaders))
      ) {
        renewalsInARow++;
        policyAttempt--;
        continue;
      }
      renewalsInARow = 0;
      const decision = this.#retry.decide(error, { mode: req.retry, attempt: policyAttempt, waitedMs });
      if (decision.action === 'fail') throw error;
      if (decision.action === 'defer') throw this.#retry.deferral(error, decision, this.#clock.now());
      await this.#clock.sleep(decision.delayMs);
      waitedMs += decision.delayMs;
    }
  }

  #parse(
    req: ApiRequest<z.ZodType | undefined>,
    res: TransportResponse,
    path: string,
  ): { ok: true; data: unknown } | { ok: false; error: ZscalerError } {
    if (!req.schema) return { ok: true, data: undefined };
    if (req.emptyBodyOk && res.text.trim().length === 0) return { ok: true, data: undefined };
    const json = tryParseJson(res.text);
    const details = { status: res.status, method: req.method, path };
    if (json === undefined) {
      return {
        ok: false,
        error: new ResponseShapeError(
          `${req.method} ${path} answered ${res.status} with a body that is not JSON`,
          [],
          details,
        ),
      };
    }
    const result = req.schema.safeParse(json);
    if (result.success) return { ok: true, data: result.data };
    const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = issues[0];
    return {
      ok: false,
      error: new ResponseShapeError(
        `${req.method} ${path} answered an unexpected body${first ? ` (${first.path || '(root)'}: ${first.message})` : ''}`,
        issues,
        details,
      ),
    };
  }

  async #after(result: Parameters<NonNullable<CallHooks['after']>>[0]): Promise<void> {
    try {
      await this.#hooks?.after?.(result);
    } catch {
      // Observability must never break the call it observes.
    }
  }
}

function retryAfterOf(error: unknown): number | undefined {
  const v = (error as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  return typeof v === 'number' ? v : undefined;
}

/** Splits `https://host:port/base/path` into origin and path (no trailing slash). */
export function splitUrl(url: string): { origin: string; basePath: string } {
  const u = new URL(url);
  return { origin: u.origin, basePath: u.pathname.replace(/\/+$/, '') };
}
