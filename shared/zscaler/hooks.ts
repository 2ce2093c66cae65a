/**
 * The seams around every Zscaler call: `before` runs ahead of each attempt (the rate limiter
 * lives here), `after` runs when the attempt has an outcome (the audit trail and metrics live here).
 */
export type ApiFamily = 'zpa' | 'ztw';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Which budget a call spends. ZPA: `read` (GET) and `write` (POST, PUT, DELETE share one budget).
 * ZTW: `read` (GET), `write` (POST/PUT), `delete`, `activate` (PUT ecAdminActivateStatus/activate).
 * `none`: not rate limited (authentication endpoints).
 */
export type RateClass = 'read' | 'write' | 'delete' | 'activate' | 'none';

export interface ZscalerCall {
  /** Configured tenant name (not Zscaler's customer id). */
  tenant: string;
  api: ApiFamily;
  method: HttpMethod;
  /** Path with query string, as sent; never contains credentials. */
  path: string;
  /** Logical operation, e.g. `appConnector.delete`. */
  operation: string;
  rateClass: RateClass;
  idempotent: boolean;
  /** 1 for the first attempt. */
  attempt: number;
}

export interface ZscalerCallResult {
  call: ZscalerCall;
  ok: boolean;
  /** HTTP status, absent when no response arrived (timeout, reset). */
  status?: number;
  latencyMs: number;
  /** Time the `before` hook spent waiting for a permit. */
  limiterWaitMs: number;
  /** Name of the typed error class when `ok` is false. */
  errorClass?: string;
  /** Wait the server asked for (429/503), in milliseconds. */
  retryAfterMs?: number;
}

export interface CallHooks {
  /**
   * Runs before each attempt. May wait briefly and resolve with the milliseconds waited, or throw
   * `RetryLaterError` when the call must not happen before some time T.
   */
  before?(call: ZscalerCall): Promise<number | undefined>;
  /** Runs after each attempt. Errors thrown here are swallowed by the client (observability must not break calls). */
  after?(result: ZscalerCallResult): Promise<void> | void;
}

/** Combines several hook sets; `before` hooks run in order and their waits add up. */
export function composeHooks(...sets: (CallHooks | undefined)[]): CallHooks {
  const list = sets.filter((s): s is CallHooks => s !== undefined);
  return {
    async before(call) {
      let waited = 0;
      for (const h of list) waited += (await h.before?.(call)) ?? 0;
      return waited;
    },
    async after(result) {
      for (const h of list) {
        try {
          await h.after?.(result);
        } catch {
          // An observer failing must not fail the call it observes.
        }
      }
    },
  };
}
