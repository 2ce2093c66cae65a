import type { FaultConfig } from '../../simulator/index.ts';

/** Fault rates of a chaos run (fractions of calls), as the issue states them. */
export interface ChaosFaultRates {
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

/** 10% 429, 5% 500/503, 2% timeouts, 1% resets, edit locks, expired sessions, ambiguous writes. */
export const ISSUE_FAULT_RATES: ChaosFaultRates = {
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
