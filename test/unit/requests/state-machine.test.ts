import { describe, expect, it } from 'vitest';
import { IllegalTransitionError } from '../../../shared/requests/errors.ts';
import {
  assertTransition,
  canTransition,
  FINAL_STATES,
  isFinal,
  REQUEST_STATES,
  statesLeadingTo,
  TRANSITIONS,
} from '../../../shared/requests/state-machine.ts';

describe('request state machine', () => {
  it('follows the designed path', () => {
    for (const [from, to] of [
      ['RECEIVED', 'QUEUED'],
      ['QUEUED', 'RUNNING'],
      ['RUNNING', 'DEFERRED'],
      ['DEFERRED', 'RUNNING'],
      ['RUNNING', 'HELD'],
      ['HELD', 'QUEUED'],
      ['RUNNING', 'SUCCEEDED'],
      ['RUNNING', 'FAILED'],
      ['RUNNING', 'REJECTED'],
      ['QUEUED', 'DEAD_LETTERED'],
    ] as const) {
      expect(canTransition(from, to), `${from}→${to}`).toBe(true);
    }
  });

  it('never leaves a final state, and throws a typed error on illegal moves', () => {
    for (const f of FINAL_STATES) {
      expect(TRANSITIONS[f]).toEqual([]);
      expect(isFinal(f)).toBe(true);
      for (const to of REQUEST_STATES) expect(() => assertTransition(f, to)).toThrow(IllegalTransitionError);
    }
    expect(() => assertTransition('RECEIVED', 'SUCCEEDED')).toThrow(/RECEIVED to SUCCEEDED/);
    expect(() => assertTransition('HELD', 'RUNNING')).toThrow(IllegalTransitionError);
  });

  it('every non-final state can reach a final state', () => {
    for (const s of REQUEST_STATES.filter((x) => !isFinal(x))) {
      const seen = new Set([s]);
      const queue = [s];
      while (queue.length) {
        for (const n of TRANSITIONS[queue.shift()!]) {
          if (seen.has(n)) continue;
          seen.add(n);
          queue.push(n);
        }
      }
      expect(
        FINAL_STATES.some((f) => seen.has(f)),
        s,
      ).toBe(true);
    }
    expect(statesLeadingTo('RUNNING').sort()).toEqual(['DEFERRED', 'QUEUED', 'RUNNING']);
  });
});
