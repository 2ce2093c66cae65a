import { describe, expect, it } from 'vitest';
import {
  ISSUE_FAULT_RATES,
  RETRIED_ERROR_KINDS_IN_MIX,
  RETRIED_ERROR_RATES,
  retriedErrorKindsMissing,
} from '../../../bench/chaos/faults.ts';
import { FAULT_KINDS } from '../../../simulator/faults.ts';

describe('chaos fault mix', () => {
  it('injects every retried-error kind the simulator knows, and only those', () => {
    const known = new Set<string>(FAULT_KINDS);
    const simulatorHas = Object.keys(RETRIED_ERROR_RATES).filter((k) => known.has(k));
    // A kind the simulator gained must join the mix (bench/chaos/faults.ts, RETRIED_ERROR_KINDS_IN_MIX).
    expect([...RETRIED_ERROR_KINDS_IN_MIX].sort()).toEqual(simulatorHas.sort());
    for (const k of RETRIED_ERROR_KINDS_IN_MIX) expect(ISSUE_FAULT_RATES[k]).toBe(RETRIED_ERROR_RATES[k]);
    expect(retriedErrorKindsMissing().every((k) => !known.has(k))).toBe(true);
  });

  it('keeps the issue rates: 10% 429, 5% 500/503, 2% timeouts, 1% resets', () => {
    expect(ISSUE_FAULT_RATES).toMatchObject({
      tooManyRequests: 0.1,
      timeout: 0.02,
      reset: 0.01,
    });
    expect(ISSUE_FAULT_RATES.serverError + ISSUE_FAULT_RATES.unavailable).toBeCloseTo(0.05);
    // Every kind of the mix is one the simulator draws.
    for (const k of Object.keys(ISSUE_FAULT_RATES)) expect(FAULT_KINDS).toContain(k);
  });
});
