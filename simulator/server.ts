import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { oneApiToken } from './auth/oneApiToken.ts';
import { zpaSignin } from './auth/zpaSignin.ts';
import { ztwLogin, ztwLogout } from './auth/ztwAuth.ts';
import type { Engine, HandlerResult, RequestContext } from './context.ts';
import { parseQuery } from './context.ts';
import { ApiError, OAuthError, RawApiError, ZpaApiError, ZtwApiError } from './errors.ts';
import { FaultInjector } from './faults.ts';
import {
  effectiveLimits,
  FixedWindowLimiter,
  rateClassOf,
  retryAfterSeconds,
  windowsOf,
  ztwWindowName,
} from './ratelimit.ts';
import { Router } from './router.ts';
import type { CallLogEntry, FaultConfig, RateLimitOverrides, RateLimitTable, SimApi } from './types.ts';
import { zpaRoutes } from './zpa/routes.ts';
import { autoActivateIfDue } from './ztw/activation.ts';
import { ztwRoutes } from './ztw/routes.ts';

/** How a mount authenticates its calls. */
type AuthMode = 'zpa-legacy' | 'zpa-oneapi' | 'ztw-session' | 'ztw-oneapi' | 'none' | 'ztw-logout';
/** Which error body shape a mount speaks. */
type Shape = 'zpa' | 'ztw' | 'oauth';

interface Mount {
  api: SimApi;
  auth: AuthMode;
  shape: Shape;
  router: Router;
  rel: string;
  customerId?: string;
}

const ZPA_ROUTER = new Router(zpaRoutes);
const ZTW_ROUTER = new Router(ztwRoutes);
const SIGNIN_ROUTER = new Router([{ method: 'POST', path: '/signin', handler: zpaSignin }]);
const TOKEN_ROUTER = new Router([{ method: 'POST', path: '/oauth2/v1/token', handler: oneApiToken }]);
const ZTW_AUTH_ROUTER = new Router([
  { method: 'POST', path: '/api/v1/auth', handler: ztwLogin },
  { method: 'DELETE', path: '/api/v1/auth', handler: ztwLogout },
]);

/** Maps a path to its API, auth mode and router; undefined for paths no API serves. */
function resolveMount(path: string, method: string): Mount | undefined {
  if (path === '/signin')
    return { api: 'auth', auth: 'none', shape: 'zpa', router: SIGNIN_ROUTER, rel: path };
  if (path === '/oauth2/v1/token') {
    return { api: 'auth', auth: 'none', shape: 'oauth', router: TOKEN_ROUTER, rel: path };
  }
  if (path === '/api/v1/auth' || path === '/api/v1/auth/') {
    const auth = method === 'DELETE' ? 'ztw-logout' : 'none';
    return { api: 'auth', auth, shape: 'ztw', router: ZTW_AUTH_ROUTER, rel: '/api/v1/auth' };
  }
  let m = /^\/zpa\/mgmtconfig\/v1\/admin\/customers\/([^/]+)(\/.*)?$/.exec(path);
  if (m)
    return {
      api: 'zpa',
      auth: 'zpa-oneapi',
      shape: 'zpa',
      router: ZPA_ROUTER,
      rel: m[2] ?? '/',
      customerId: m[1],
    };
  m = /^\/mgmtconfig\/v1\/admin\/customers\/([^/]+)(\/.*)?$/.exec(path);
  if (m)
    return {
      api: 'zpa',
      auth: 'zpa-legacy',
      shape: 'zpa',
      router: ZPA_ROUTER,
      rel: m[2] ?? '/',
      customerId: m[1],
    };
  m = /^\/ztw\/api\/v1(\/.*)?$/.exec(path);
  if (m) return { api: 'ztw', auth: 'ztw-oneapi', shape: 'ztw', router: ZTW_ROUTER, rel: m[1] ?? '/' };
  m = /^\/api\/v1(\/.*)?$/.exec(path);
  if (m) return { api: 'ztw', auth: 'ztw-session', shape: 'ztw', router: ZTW_ROUTER, rel: m[1] ?? '/' };
  return undefined;
}

function errorFor(shape: Shape, status: number, zpaId: string, ztwCode: string, message: string): ApiError {
  if (shape === 'zpa') return new ZpaApiError(status, zpaId, message);
  if (shape === 'oauth') return new OAuthError(status, status >= 500 ? 'server_error' : zpaId, message);
  return new ZtwApiError(status, ztwCode, message);
}

/**
 * The answers the official clients retry (facts page), in the wire shapes Zscaler sends; every one
 * of them means the server did not act on the call.
 */
function retriedAnswer(kind: RetriedFaultKind, n: number): ApiError {
  switch (kind) {
    case 'simultaneousRequest':
      return new ZpaApiError(
        400,
        'db.simultaneous.request',
        'Another request of this customer is being processed; retry later',
      );
    case 'concurrentAccess':
      return new ZpaApiError(409, 'api.concurrent.access.error', 'Concurrent access to the resource; retry');
    case 'nonRestrictedAuth':
      return new ZpaApiError(
        400,
        'non.restricted.entity.authorization.failed',
        'Authorization failed for a non restricted entity',
      );
    case 'orgBarrier':
      return new ZtwApiError(n % 2 === 0 ? 412 : 409, 'UNEXPECTED_ERROR', 'Failed during enter Org barrier');
    case 'preconditionFailed':
      return new ZtwApiError(
        409,
        'UNEXPECTED_ERROR',
        'Request processing failed, possibly because an expected precondition was not met',
      );
    case 'resourceAccessBlocked':
      return new RawApiError(401, { message: 'Resource Access Blocked' });
    case 'sessionInvalidated':
      return new RawApiError(401, { message: 'getAttribute: Session already invalidated' });
  }
}

type RetriedFaultKind =
  | 'simultaneousRequest'
  | 'concurrentAccess'
  | 'nonRestrictedAuth'
  | 'orgBarrier'
  | 'preconditionFailed'
  | 'resourceAccessBlocked'
  | 'sessionInvalidated';

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.removeAllListeners('data');
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string | undefined, shape: Shape): unknown {
  if (raw.trim() === '') return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  try {
    return JSON.parse(raw);
  } catch {
    if (shape === 'oauth' || !contentType?.includes('json'))
      return Object.fromEntries(new URLSearchParams(raw));
    throw errorFor(shape, 400, 'invalid.request.body', 'INVALID_INPUT_ARGUMENT', 'Malformed JSON body');
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** Settings the server reads on every call; mutable through the RunningSimulator methods. */
export interface ServerSettings {
  rateLimits: boolean | RateLimitOverrides;
  latencyMs: number;
}

/**
 * The HTTP front of the simulator: resolves the API and route, authenticates, applies rate limits
 * and faults, runs the handler and logs every call. One instance serves every API on one port.
 */
export class SimulatorServer {
  readonly callLog: CallLogEntry[] = [];
  private readonly http: Server;
  private readonly limiter = new FixedWindowLimiter();
  private readonly faults: FaultInjector;
  private readonly engine: Engine;
  private readonly settings: ServerSettings;
  private table: RateLimitTable;
  private outage = false;
  /** Org barrier answers alternate 412 and 409, as both are seen. */
  private orgBarrierCount = 0;

  constructor(engine: Engine, settings: ServerSettings, faults?: FaultConfig) {
    this.engine = engine;
    this.settings = settings;
    this.faults = new FaultInjector(faults);
    this.table = effectiveLimits(settings.rateLimits, engine.timeScale);
    this.http = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
      this.onRequest(req, res).catch(() => {
        if (!res.headersSent) {
          res.statusCode = 500;
          res.end();
        }
      });
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve((this.http.address() as AddressInfo).port);
      });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  setFaults(f: FaultConfig): void {
    this.faults.set(f);
  }

  setRateLimits(on: boolean | RateLimitOverrides): void {
    this.settings.rateLimits = on;
    this.table = effectiveLimits(on, this.engine.timeScale);
    this.limiter.clear();
  }

  setOutage(on: boolean): void {
    this.outage = on;
  }

  reset(): void {
    this.callLog.length = 0;
    this.limiter.clear();
  }

  effectiveLimits(): RateLimitTable {
    return this.table;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const engine = this.engine;
    const now = engine.now();
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const path = qi < 0 ? url : url.slice(0, qi);
    const rawQuery = qi < 0 ? '' : url.slice(qi + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    const mount = resolveMount(path, method);
    const api: SimApi = mount?.api ?? 'zpa';
    const entry: CallLogEntry = {
      at: now,
      api,
      method,
      path,
      query: rawQuery,
      rateClass: mount ? rateClassOf(mount.api, method, mount.rel) : 'none',
      counted: false,
    };
    this.callLog.push(entry);
    if (this.outage) {
      // Never answered: the client times out or the socket is destroyed at stop().
      entry.fault = 'outage';
      req.resume();
      return;
    }
    const raw = await readBody(req);
    const send = (result: HandlerResult) => this.send(res, entry, result);
    try {
      if (raw === undefined) {
        throw errorFor(
          mount?.shape ?? 'zpa',
          413,
          'request.too.large',
          'PAYLOAD_TOO_LARGE',
          'Body too large',
        );
      }
      if (!mount) throw new ZtwApiError(404, 'RESOURCE_NOT_FOUND', `No API serves ${path}`);
      const match = mount.router.match(method, mount.rel);
      if (match.kind === 'not-found') {
        throw errorFor(
          mount.shape,
          404,
          'resource.not.found',
          'RESOURCE_NOT_FOUND',
          `No resource at ${path}`,
        );
      }
      if (match.kind === 'method-not-allowed') {
        throw errorFor(mount.shape, 405, 'method.not.allowed', 'METHOD_NOT_ALLOWED', `${method} not allowed`);
      }
      const ctx: RequestContext = {
        engine,
        api,
        method,
        path,
        rawQuery,
        query: parseQuery(rawQuery),
        params: match.params,
        body: undefined,
        headers: req.headers,
      };
      this.authenticate(mount, ctx, entry, now);
      if (api === 'ztw') autoActivateIfDue(engine);

      const fault = this.faults.draw({ api, method, path });
      if (fault?.kind === 'tooManyRequests') {
        entry.fault = fault.kind;
        const windows = windowsOf(this.table, api, entry.rateClass);
        const key = `${api}/${entry.tenant}/${entry.rateClass}`;
        throw this.tooManyRequests(mount, this.limiter.remainingMs(key, windows, now), windows[0]);
      }
      if (this.settings.rateLimits !== false && entry.rateClass !== 'none') {
        const windows = windowsOf(this.table, api, entry.rateClass);
        const decision = this.limiter.take(`${api}/${entry.tenant}/${entry.rateClass}`, windows, now);
        if (!decision.ok) throw this.tooManyRequests(mount, decision.retryAfterMs, decision.window);
      }
      entry.counted = entry.rateClass !== 'none';

      if (fault) {
        entry.fault = fault.kind;
        switch (fault.kind) {
          case 'serverError':
            throw errorFor(
              mount.shape,
              500,
              'internal.server.error',
              'UNEXPECTED_ERROR',
              'Internal server error',
            );
          case 'unavailable': {
            const secs = retryAfterSeconds(10_000 / engine.timeScale, engine.timeScale);
            const err = errorFor(
              mount.shape,
              503,
              'retryable.server.error',
              'SERVICE_UNAVAILABLE',
              'Service temporarily unavailable, retry later',
            );
            err.headers['retry-after'] = mount.shape === 'zpa' ? `${secs}s` : secs;
            throw err;
          }
          case 'timeout':
            return;
          case 'reset':
            req.socket.destroy();
            return;
          case 'slow':
            await sleep(fault.rule.slowMs ?? 2000 / engine.timeScale);
            break;
          case 'editLock':
            throw errorFor(
              mount.shape,
              409,
              'api.concurrent.access.error',
              'EDIT_LOCK_NOT_AVAILABLE',
              'Another change is in progress; retry in a few seconds',
            );
          case 'expiredAuth':
            this.expireAuth(mount, ctx);
            throw this.unauthenticated(mount);
          case 'simultaneousRequest':
          case 'concurrentAccess':
          case 'nonRestrictedAuth':
          case 'orgBarrier':
          case 'preconditionFailed':
          case 'resourceAccessBlocked':
          case 'sessionInvalidated':
            // The server turned the call away before acting on it (the change is not applied).
            if (fault.kind === 'sessionInvalidated') this.expireAuth(mount, ctx);
            throw retriedAnswer(fault.kind, this.orgBarrierCount++);
          case 'appliedThenError':
          case 'appliedThenTimeout':
            try {
              ctx.body = parseBody(raw, req.headers['content-type'], mount.shape);
              engine.state.serve(entry, () => match.route.handler(ctx));
            } catch {
              // The change failed on its own; the caller still sees the ambiguous outcome.
            }
            if (fault.kind === 'appliedThenTimeout') return;
            throw errorFor(
              mount.shape,
              500,
              'internal.server.error',
              'UNEXPECTED_ERROR',
              'Internal server error',
            );
        }
      }
      ctx.body = parseBody(raw, req.headers['content-type'], mount.shape);
      const result = engine.state.serve(entry, () => match.route.handler(ctx));
      if (this.settings.latencyMs > 0) await sleep(this.settings.latencyMs);
      send(result);
    } catch (e) {
      if (this.settings.latencyMs > 0) await sleep(this.settings.latencyMs);
      if (e instanceof ApiError) send({ status: e.status, body: e.body(), headers: e.headers });
      else send({ status: 500, body: { id: 'internal.server.error', reason: 'Simulator error' } });
    }
  }

  private authenticate(mount: Mount, ctx: RequestContext, entry: CallLogEntry, now: number): void {
    const { engine } = this;
    switch (mount.auth) {
      case 'none':
        return;
      case 'zpa-legacy':
      case 'zpa-oneapi': {
        const check = engine.tokens.check(
          ctx.headers.authorization,
          mount.auth === 'zpa-legacy' ? 'legacy' : 'oneapi',
          now,
        );
        if (!check.ok) throw this.unauthenticated(mount);
        entry.sessionId = `t${check.n}`;
        if (mount.customerId !== engine.state.customerId) {
          throw new ZpaApiError(403, 'authz.failed', `Not authorized for customer ${mount.customerId}`, [
            String(mount.customerId),
          ]);
        }
        entry.tenant = mount.customerId;
        return;
      }
      case 'ztw-oneapi': {
        const check = engine.tokens.check(ctx.headers.authorization, 'oneapi', now);
        if (!check.ok) throw this.unauthenticated(mount);
        entry.sessionId = `t${check.n}`;
        entry.tenant = engine.state.ztwOrgId;
        return;
      }
      case 'ztw-session':
      case 'ztw-logout': {
        const check = engine.sessions.touch(ctx.headers.cookie, now, engine.sessionIdleMs);
        if (!check.ok) throw this.unauthenticated(mount);
        entry.sessionId = `s${check.n}`;
        entry.tenant = engine.state.ztwOrgId;
        ctx.sessionCookieId = check.id;
        return;
      }
    }
  }

  private unauthenticated(mount: Mount): ApiError {
    if (mount.shape === 'zpa') {
      return new ZpaApiError(401, 'invalid.token', 'Authentication token is missing, invalid or expired');
    }
    if (mount.auth === 'ztw-oneapi')
      return new ZtwApiError(401, 'UNAUTHORIZED', 'Bearer token missing or expired');
    return new ZtwApiError(401, 'SESSION_NOT_VALID', 'Session is not valid');
  }

  private expireAuth(mount: Mount, ctx: RequestContext): void {
    if (mount.auth === 'ztw-session' || mount.auth === 'ztw-logout') {
      if (ctx.sessionCookieId) this.engine.sessions.end(ctx.sessionCookieId);
    } else this.engine.tokens.revoke(ctx.headers.authorization);
  }

  private tooManyRequests(mount: Mount, retryAfterMs: number, window?: { limit: number; windowMs: number }) {
    const scale = this.engine.timeScale;
    const secs = retryAfterSeconds(retryAfterMs, scale);
    if (mount.shape === 'zpa') {
      return new ZpaApiError(
        429,
        'invalid.toomanyrequests',
        'Exceeded the number of requests allowed',
        undefined,
        {
          'retry-after': `${secs}s`,
        },
      );
    }
    const name = window ? ztwWindowName(window, scale) : '1/SECOND';
    return new RawApiError(
      429,
      {
        message: `Rate Limit (${name}) exceeded`,
        'Retry-After': `${Math.floor(retryAfterMs / 1000)} seconds`,
      },
      { 'retry-after': secs },
    );
  }

  private send(res: ServerResponse, entry: CallLogEntry, result: HandlerResult): void {
    if (res.destroyed || res.headersSent) return;
    entry.status = result.status;
    const payload = result.body === undefined ? '' : JSON.stringify(result.body);
    const headers: Record<string, string | number> = { 'content-length': Buffer.byteLength(payload) };
    if (payload !== '') headers['content-type'] = 'application/json;charset=UTF-8';
    res.writeHead(result.status, { ...headers, ...result.headers });
    res.end(payload);
  }
}
