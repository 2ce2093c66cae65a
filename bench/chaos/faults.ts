import type { FaultConfig, FaultKind } from '../../simulator/index.ts';

/**
 * Rates of the fault kinds for the errors Zscaler's official clients retry (facts page, "Errors the
 * official clients retry"), one per kind: ZPA 400 `db.simultaneous.request`, 409
 * `api.concurrent.access.error`, 400 `non.restricted.entity.authorization.failed`; Cloud & Branch
 * Connector 412/409 "failed during enter Org barrier", 400/409 "an expected precondition was not
 * met", 401 "Resource Access Blocked", 401 "session already invalidated". Every one is transient:
 * none may end a request FAILED.
 */
export const RETRIED_ERROR_RATES = {
  simultaneousRequest: 0.005,
  concurrentAccess: 0.005,
  nonRestrictedAuth: 0.005,
  orgBarrier: 0.005,
  preconditionFailed: 0.005,
  resourceAccessBlocked: 0.005,
  sessionInvalidated: 0.005,
} as const;

export type RetriedErrorKind = keyof typeof RETRIED_ERROR_RATES;

/**
 * The kinds of `RETRIED_ERROR_RATES` in the chaos mix. Each must be a simulator `FaultKind`
 * (simulator/types.ts), so a kind is listed here once the simulator injects it; the type refuses a
 * kind the simulator does not know.
 */
export const RETRIED_ERROR_KINDS_IN_MIX: readonly (RetriedErrorKind & FaultKind)[] = [
  'simultaneousRequest',
  'concurrentAccess',
  'nonRestrictedAuth',
  'orgBarrier',
  'preconditionFailed',
  'resourceAccessBlocked',
  'sessionInvalidated',
];

/** Fault rates of a chaos run (fractions of calls), as the issue states them. */
export interface ChaosFaultRates extends Partial<Record<RetriedErrorKind & FaultKind, number>> {
  tooManyRequests: number;
  serverError: number;
  unavailable: number;
  timeout: number;
  reset: number;
  /** 409 edit locks, on writes. */
  editLock: number;
  /** Token or session invalidated (401). */
  expiredAuth: number;
  /** Writes applied, then answered 500 or not at all (ambiguous outcomes). */
  appliedThenError: number;
  appliedThenTimeout: number;
}

/**
 * 10% 429, 5% 500/503, 2% timeouts, 1% resets, edit locks, expired sessions, ambiguous writes, and
 * 0.5% of each retried error the simulator injects (`RETRIED_ERROR_KINDS_IN_MIX`).
 */
export const ISSUE_FAULT_RATES: ChaosFaultRates = {
  ...Object.fromEntries(RETRIED_ERROR_KINDS_IN_MIX.map((k) => [k, RETRIED_ERROR_RATES[k]])),
  tooManyRequests: 0.1,
  serverError: 0.025,
  unavailable: 0.025,
  timeout: 0.02,
  reset: 0.01,
  editLock: 0.03,
  expiredAuth: 0.01,
  appliedThenError: 0.01,
  appliedThenTimeout: 0.005,
};

/** The retried-error kinds not in the mix yet (the simulator does not inject them), for the report. */
export function retriedErrorKindsMissing(): RetriedErrorKind[] {
  const inMix = new Set<string>(RETRIED_ERROR_KINDS_IN_MIX);
  return (Object.keys(RETRIED_ERROR_RATES) as RetriedErrorKind[]).filter((k) => !inMix.has(k));
}

/**
 * The simulator's fault configuration of a chaos run: one rule over every Zscaler call (auth calls
 * included: they time out and fail too, but are never rate limited or "expired"), seeded so a run
 * can be replayed. Rates apply per call; edit locks and ambiguous writes only fire on writes.
 *
 * @example
 * await startSimulator({ faults: chaosFaults(ISSUE_FAULT_RATES, 42) });
 */
export function chaosFaults(rates: ChaosFaultRates, seed: number): FaultConfig {
  return { seed, ...rates };
}

/** No faults (the outage run and the recovery phase). */
export const NO_FAULTS: FaultConfig = { seed: 1 };
