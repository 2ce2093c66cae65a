import { describe, expect, it } from 'vitest';
import {
  type CollectedRequest,
  checkDeadLetters,
  checkFailuresAudited,
  checkFinalStates,
  checkGuardedDeletions,
  checkIntakeAnswers,
  checkLifecycleCompleted,
  checkNoDuplicateGroups,
  checkRateLimits,
  summarizeViolations,
} from '../../../bench/chaos/checks.ts';
import type { CallLogEntry, RateLimitTable } from '../../../simulator/index.ts';

const ok = (id: string, over: Partial<CollectedRequest> = {}): CollectedRequest => ({
  requestId: id,
  state: 'SUCCEEDED',
  action: 'appConnector.delete',
  events: [{ type: 'state' }, { type: 'succeeded' }],
  ...over,
});

describe('checkFinalStates', () => {
  it('holds when each request is final with exactly its one outcome event', () => {
    expect(checkFinalStates([ok('a'), ok('b', { state: 'FAILED', events: [{ type: 'failed' }] })])).toEqual(
      [],
    );
  });
  it('reports a request not final, one missing, and one with two outcomes', () => {
    const v = checkFinalStates([
      ok('running', { state: 'RUNNING' }),
      ok('gone', { state: 'MISSING' }),
      ok('twice', { events: [{ type: 'succeeded' }, { type: 'failed' }] }),
      ok('mismatch', { state: 'FAILED', events: [{ type: 'succeeded' }] }),
    ]);
    expect(v.map((x) => x.detail)).toEqual([
      expect.stringContaining('running (appConnector.delete) is still RUNNING'),
      expect.stringContaining('gone was accepted but has no record'),
      expect.stringContaining(
        'twice is SUCCEEDED but its audit trail has outcome events [succeeded, failed]',
      ),
      expect.stringContaining('mismatch is FAILED'),
    ]);
    expect(v.every((x) => x.check === 'final-state')).toBe(true);
  });
});

describe('checkNoDuplicateGroups', () => {
  const base = {
    namesAtStart: new Set(['existing']),
    appliedPosts: { appConnectorGroup: 1, pccGroup: 0 },
  };
  it('holds for one new group per name and one applied POST', () => {
    expect(
      checkNoDuplicateGroups({
        ...base,
        groups: [
          { kind: 'appConnectorGroup', name: 'Existing' },
          { kind: 'appConnectorGroup', name: 'New' },
        ],
        requests: [{ requestId: 'r', kind: 'appConnectorGroup', name: 'New', state: 'SUCCEEDED' }],
      }),
    ).toEqual([]);
  });
  it('reports a name twice, more applied POSTs than new groups, a duplicate.name failure and a missing group', () => {
    const v = checkNoDuplicateGroups({
      namesAtStart: new Set(),
      appliedPosts: { appConnectorGroup: 3, pccGroup: 0 },
      groups: [
        { kind: 'appConnectorGroup', name: 'Lyon' },
        { kind: 'appConnectorGroup', name: 'LYON' },
      ],
      requests: [
        {
          requestId: 'dup',
          kind: 'appConnectorGroup',
          name: 'Lyon',
          state: 'FAILED',
          error: { message: 'name exists', code: 'duplicate.name' },
        },
        { requestId: 'lost', kind: 'pccGroup', name: 'Paris', state: 'SUCCEEDED' },
      ],
    });
    expect(v.map((x) => x.detail)).toEqual([
      'appConnectorGroup "lyon" exists more than once',
      '3 appConnectorGroup POSTs were applied for 2 new groups',
      expect.stringContaining('dup POSTed appConnectorGroup "Lyon" again'),
      expect.stringContaining('lost SUCCEEDED but no pccGroup "Paris" exists'),
    ]);
  });
});

describe('checkGuardedDeletions', () => {
  const input = {
    protectedIds: new Set(['p']),
    connectedIds: new Set(['p', 'c', 'f', 't']),
    forcedIds: new Set(['f']),
    disconnectedAt: new Map([['t', 1_000]]),
    deletedAt: new Map<string, number>(),
  };
  it('holds when protected and unforced connected connectors remain', () => {
    expect(checkGuardedDeletions({ ...input, remaining: new Set(['p', 'c']) })).toEqual([]);
  });
  it('reports a deleted protected connector, an unforced connected one, and a teardown deleted before its instance went down', () => {
    const v = checkGuardedDeletions({
      ...input,
      remaining: new Set(),
      deletedAt: new Map([['t', 400]]),
    });
    expect(v.map((x) => x.detail)).toEqual([
      'protected connector p was deleted',
      'connected connector c was deleted without force',
      'connector t was deleted 600 ms before its instance went down',
    ]);
  });
});

describe('checkRateLimits', () => {
  const limits: RateLimitTable = {
    zpa: { read: [{ limit: 2, windowMs: 1_000 }], write: [{ limit: 1, windowMs: 1_000 }] },
    ztw: {},
  };
  const call = (at: number, method = 'GET'): CallLogEntry => ({
    at,
    api: 'zpa',
    method,
    path: '/x',
    query: '',
    status: 200,
    tenant: 't',
    rateClass: method === 'GET' ? 'read' : 'write',
    counted: true,
  });
  it('holds within the windows', () => {
    expect(checkRateLimits([call(0), call(100), call(1_200), call(0, 'DELETE')], limits)).toEqual([]);
  });
  it('reports three reads in one second', () => {
    const v = checkRateLimits([call(0), call(100), call(900)], limits);
    expect(v).toHaveLength(1);
    expect(v[0]?.detail).toMatch(/^zpa read: 3 calls in 1000 ms \(limit 2\)/);
  });
});

describe('checkFailuresAudited', () => {
  it('holds when each failure has its message and an outcome event with a reason', () => {
    expect(
      checkFailuresAudited([
        ok('f', {
          state: 'FAILED',
          error: { message: 'boom' },
          events: [{ type: 'failed', detail: { reason: 'boom' } }],
        }),
        ok('s'),
      ]),
    ).toEqual([]);
  });
  it('reports a failure without message and a rejection without a reasoned audit event', () => {
    const v = checkFailuresAudited([
      ok('f', { state: 'FAILED', events: [{ type: 'failed', detail: { reason: 'x' } }] }),
      ok('r', { state: 'REJECTED', error: { message: 'no' }, events: [{ type: 'rejected', detail: {} }] }),
    ]);
    expect(v.map((x) => x.detail)).toEqual([
      'request f is FAILED without an error message',
      'request r is REJECTED without a "rejected" audit event giving a reason',
    ]);
  });
});

describe('checkDeadLetters', () => {
  it('holds when the DLQ holds exactly the poison and no request was dead-lettered', () => {
    expect(checkDeadLetters({ dlqBodies: ['x', 'y'], poisonBodies: ['y', 'x'], deadLettered: [] })).toEqual(
      [],
    );
  });
  it('reports a processable message in the DLQ, poison that never got there and a dead-lettered request', () => {
    const v = checkDeadLetters({
      dlqBodies: ['{"requestId":"r1"}'],
      poisonBodies: ['poison'],
      deadLettered: [{ requestId: 'r1', reason: 'timed out 5 times' }],
    });
    expect(v.map((x) => x.detail)).toEqual([
      'the DLQ holds a processable message: {"requestId":"r1"}',
      'an unprocessable message never reached the DLQ: poison',
      'request r1 was dead-lettered: timed out 5 times',
    ]);
  });
});

describe('checkLifecycleCompleted', () => {
  it('reports a settled teardown whose lifecycle action was never completed, not one still running', () => {
    const v = checkLifecycleCompleted(
      [
        { requestId: 'a', instanceId: 'i-a', state: 'SUCCEEDED' },
        { requestId: 'b', instanceId: 'i-b', state: 'FAILED' },
        { requestId: 'c', instanceId: 'i-c', state: 'RUNNING' },
      ],
      new Set(['i-a']),
    );
    expect(v.map((x) => x.detail)).toEqual([expect.stringContaining('teardown b ended FAILED')]);
  });
});

describe('checkIntakeAnswers', () => {
  it('reports a refused submission and a duplicate that became a new request', () => {
    const v = checkIntakeAnswers([
      { label: '#1 delete', status: 202, requestId: 'a' },
      { label: '#2 delete', status: 400 },
      { label: '#3 duplicate', status: 200, requestId: 'a', originalRequestId: 'a' },
      { label: '#4 duplicate', status: 202, requestId: 'b', originalRequestId: 'a' },
    ]);
    expect(v.map((x) => x.detail)).toEqual([
      '#2 delete was answered 400 without a request id',
      '#4 duplicate became request b, not the original a',
    ]);
  });
});

describe('summarizeViolations', () => {
  it('lists each as check: detail, at most n per check', () => {
    const v = ['a', 'b', 'c'].map((d) => ({ check: 'final-state' as const, detail: d }));
    expect(summarizeViolations(v, 2)).toEqual([
      'final-state: a',
      'final-state: b',
      'final-state: … and 1 more',
    ]);
  });
});
