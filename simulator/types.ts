import type { GenerateOptions } from './seed/generate.ts';
import type { SimulatorState } from './state/store.ts';
import type { ZtwSimClass } from './ztw/rate-families.ts';

/** Which API a call belonged to. `auth` covers /signin, /oauth2/v1/token and ZTW /auth. */
export type SimApi = 'zpa' | 'ztw' | 'auth';

/**
 * The budget a call spends. ZPA: `read` (GET), `write` (POST+PUT+DELETE together). ZTW: its endpoint
 * family and method (`ecVmUuid.delete`, `ztw/rate-families.ts`), or `read`/`write`/`delete` for an
 * endpoint the summary does not list. `none`: not limited (auth).
 */
export type SimRateClass = 'read' | 'write' | ZtwSimClass | 'none';

/** One fixed window: at most `limit` calls per `windowMs`. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** Every limited class and its windows, per API family. */
export interface RateLimitTable {
  zpa: { read: RateWindow[]; write: RateWindow[] };
  /** Per endpoint family and method, plus the generic classes (absent: not limited). */
  ztw: Partial<Record<ZtwSimClass, RateWindow[]>>;
}

/** Replaces the windows of some classes (unscaled; `timeScale` still applies). */
export interface RateLimitOverrides {
  zpa?: Partial<RateLimitTable['zpa']>;
  ztw?: Partial<RateLimitTable['ztw']>;
}

/**
 * Rates (0..1) of each fault kind, drawn per call from a seeded PRNG. At most one fault per call;
 * kinds are tried in the order listed here.
 */
export interface FaultRates {
  /** 429 in the API's shape; does not count against the rate window. */
  tooManyRequests?: number;
  /** 500. */
  serverError?: number;
  /** 503 with Retry-After 10s. */
  unavailable?: number;
  /** Accept the request and never answer until the socket closes. */
  timeout?: number;
  /** Destroy the socket. */
  reset?: number;
  /** Answer normally after `slowMs`. */
  slow?: number;
  /** 409 edit lock (writes only): ZTW EDIT_LOCK_NOT_AVAILABLE, ZPA api.concurrent.access.error. */
  editLock?: number;
  /** Invalidate the caller's token/session and answer 401. */
  expiredAuth?: number;
  /** Writes only: apply the change, then answer 500 (ambiguous outcome). */
  appliedThenError?: number;
  /** Writes only: apply the change, then never answer (ambiguous outcome). */
  appliedThenTimeout?: number;
  /** ZPA writes only: 400 `db.simultaneous.request` (another request of the customer is being processed). */
  simultaneousRequest?: number;
  /** ZPA writes only: 409 `api.concurrent.access.error`. */
  concurrentAccess?: number;
  /** ZPA: 400 `non.restricted.entity.authorization.failed` (the Go SDK retries it a few times). */
  nonRestrictedAuth?: number;
  /** ZTW writes only: 412 or 409 (alternating) `UNEXPECTED_ERROR` "Failed during enter Org barrier". */
  orgBarrier?: number;
  /** ZTW writes only: 409 `UNEXPECTED_ERROR` "…possibly because an expected precondition was not met". */
  preconditionFailed?: number;
  /** ZTW: 401 `{"message":"Resource Access Blocked"}` (seen under load instead of a 429; the session stays valid). */
  resourceAccessBlocked?: number;
  /** ZTW: the session is ended and the call answers 401 "getAttribute: Session already invalidated". */
  sessionInvalidated?: number;
}
export type FaultKind = keyof FaultRates;

/** Which calls a fault rule applies to; absent fields match everything. */
export interface FaultScope {
  methods?: string[];
  /** A call matches when its path (without query) contains one of these strings or matches one regexp. */
  paths?: (string | RegExp)[];
  apis?: SimApi[];
}

export interface FaultRule extends FaultRates, FaultScope {
  /** Delay of the `slow` fault (default 2000 / timeScale ms). */
  slowMs?: number;
  /** Stop firing after this many faults from this rule. */
  maxCount?: number;
}

/** Faults to inject: one top-level rule plus optional extra rules; `seed` makes draws reproducible. */
export interface FaultConfig extends FaultRule {
  seed?: number;
  rules?: FaultRule[];
}

/** One call the simulator received, in arrival order. */
export interface CallLogEntry {
  /** Simulator clock (ms) when the call arrived. */
  at: number;
  api: SimApi;
  method: string;
  /** Path without query string. */
  path: string;
  /** Raw query string without `?` (as sent, not decoded). */
  query: string;
  /** HTTP status answered; undefined while pending, or when the call timed out or was reset. */
  status?: number;
  /** ZPA customerId or ZTW org id the call was billed to (absent for unauthenticated calls). */
  tenant?: string;
  rateClass: SimRateClass;
  /** The injected fault, or `outage`. */
  fault?: FaultKind | 'outage';
  /** Opaque session number (never the cookie or token). */
  sessionId?: string;
  /** Whether the call was admitted by the rate limiter (counted against its windows). */
  counted: boolean;
}

export interface SimulatorOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 'docs'. */
  seed?: 'docs' | 'empty' | GenerateOptions;
  /** Default true. */
  rateLimits?: boolean | RateLimitOverrides;
  /** Default 1; 10 makes every rate window, session idle time and token lifetime 10x shorter. */
  timeScale?: number;
  /** How long a ZTW activation runs once out of the queue, unscaled; default 3. */
  activationSeconds?: number;
  faults?: FaultConfig;
  /** Default 3600. */
  tokenTtlSeconds?: number;
  /** Default 1800. */
  sessionIdleSeconds?: number;
  /** Added to every answer, default 0. */
  latencyMs?: number;
  /** Injectable time (ms since epoch). */
  clock?: { now(): number };
  /** How far a ZTW /auth timestamp may be from now, default 5 minutes (unscaled). */
  authTimestampToleranceMs?: number;
}

export interface RunningSimulator {
  url: string;
  port: number;
  /** Closes the server and destroys every socket, including hanging ones. */
  stop(): Promise<void>;
  callLog: CallLogEntry[];
  state: SimulatorState;
  setFaults(f: FaultConfig): void;
  setRateLimits(on: boolean | RateLimitOverrides): void;
  /** While on, every request hangs (never answered) until the client gives up or `stop()`. */
  setOutage(on: boolean): void;
  /** Clears the call log and every rate window. */
  reset(): void;
  /** The windows in force (scaled by `timeScale`), for `findRateViolations`. */
  effectiveLimits(): RateLimitTable;
}
