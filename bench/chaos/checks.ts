import type { RequestState } from '../../shared/requests/state-machine.ts';
import { isFinal } from '../../shared/requests/state-machine.ts';
import { type CallLogEntry, findRateViolations, type RateLimitTable } from '../../simulator/index.ts';

/**
 * The chaos run's checks. Each is a pure function of what the run collected (the simulator's state
 * and call log, the tables, the DLQ) and answers the violations it found, one line each, empty when
 * the property holds. Unit tests feed each a violating case (test/unit/chaos/checks.test.ts).
 */

/** One broken property. */
export interface Violation {
  check: CheckName;
  detail: string;
}

export type CheckName =
  | 'final-state'
  | 'group-created-twice'
  | 'guarded-deletion'
  | 'rate-limit'
  | 'failure-audited'
  | 'dead-letter'
  | 'lifecycle-completed'
  | 'intake'
  /** The deployed shape only: an AWS call a function's role would deny. */
  | 'iam';

/** A request as read back from the requests and audit tables. */
export interface CollectedRequest {
  requestId: string;
  state: RequestState | 'MISSING';
  action?: string;
  error?: { message: string; code?: string };
  /** Audit events of the request (type and detail). */
  events: { type: string; detail?: Record<string, unknown> }[];
}

const FINAL_EVENT: Record<string, string> = {
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  REJECTED: 'rejected',
  DEAD_LETTERED: 'dead-lettered',
};
const FINAL_EVENT_TYPES = new Set(Object.values(FINAL_EVENT));

/**
 * Every request accepted by the intake is in exactly one final state: its record is final, and its
 * audit trail has exactly one outcome event, the one of that state.
 *
 * @example
 * checkFinalStates([{ requestId: 'r1', state: 'RUNNING', events: [] }]); // [{ check: 'final-state', ... }]
 */
export function checkFinalStates(requests: readonly CollectedRequest[]): Violation[] {
  const out: Violation[] = [];
  for (const r of requests) {
    if (r.state === 'MISSING') {
      out.push({ check: 'final-state', detail: `request ${r.requestId} was accepted but has no record` });
      continue;
    }
    if (!isFinal(r.state)) {
      out.push({ check: 'final-state', detail: `request ${r.requestId} (${r.action}) is still ${r.state}` });
      continue;
    }
    const outcomes = r.events.filter((e) => FINAL_EVENT_TYPES.has(e.type)).map((e) => e.type);
    if (outcomes.length !== 1 || outcomes[0] !== FINAL_EVENT[r.state]) {
      out.push({
        check: 'final-state',
        detail: `request ${r.requestId} is ${r.state} but its audit trail has outcome events [${outcomes.join(', ')}]`,
      });
    }
  }
  return out;
}

/** A group in the simulator after the run. */
export interface GroupSeen {
  kind: 'appConnectorGroup' | 'pccGroup';
  name: string;
}

/** A group creation request after the run. */
export interface CreateRequestSeen {
  requestId: string;
  kind: 'appConnectorGroup' | 'pccGroup';
  name: string;
  state: RequestState | 'MISSING';
  error?: { message: string; code?: string };
}

/**
 * No group was created twice: names are unique per kind (case-insensitive), the POSTs the simulator
 * applied are no more than the groups that are new, no creation failed on `duplicate.name` (a POST
 * sent without looking the name up first), and every creation that succeeded left its group.
 *
 * @example
 * checkNoDuplicateGroups({ groups, appliedPosts: { appConnectorGroup: 3, pccGroup: 0 }, namesAtStart, requests });
 */
export function checkNoDuplicateGroups(input: {
  groups: readonly GroupSeen[];
  appliedPosts: Record<GroupSeen['kind'], number>;
  /** Lower-case names of the groups that existed before the run. */
  namesAtStart: ReadonlySet<string>;
  requests: readonly CreateRequestSeen[];
}): Violation[] {
  const out: Violation[] = [];
  const v = (detail: string) => out.push({ check: 'group-created-twice', detail });
  for (const kind of ['appConnectorGroup', 'pccGroup'] as const) {
    const names = input.groups.filter((g) => g.kind === kind).map((g) => g.name.toLowerCase());
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) v(`${kind} "${n}" exists more than once`);
      seen.add(n);
    }
    const created = names.filter((n) => !input.namesAtStart.has(n)).length;
    if (input.appliedPosts[kind] > created) {
      v(`${input.appliedPosts[kind]} ${kind} POSTs were applied for ${created} new groups`);
    }
    for (const r of input.requests.filter((q) => q.kind === kind)) {
      const text = `${r.error?.code ?? ''} ${r.error?.message ?? ''}`;
      if (r.state === 'FAILED' && /duplicate\.name/i.test(text)) {
        v(`request ${r.requestId} POSTed ${kind} "${r.name}" again and failed on duplicate.name`);
      }
      if (r.state === 'SUCCEEDED' && !seen.has(r.name.toLowerCase())) {
        v(`request ${r.requestId} SUCCEEDED but no ${kind} "${r.name}" exists`);
      }
    }
  }
  return out;
}

/**
 * No protected or connected App Connector was deleted without force: every protected connector is
 * still there; every connector connected at start is still there unless a forced request named it,
 * or the harness took its instance down before it was deleted (teardown).
 *
 * @example
 * checkGuardedDeletions({ protectedIds, connectedIds, forcedIds, remaining, disconnectedAt, deletedAt });
 */
export function checkGuardedDeletions(input: {
  protectedIds: ReadonlySet<string>;
  connectedIds: ReadonlySet<string>;
  /** Connected connectors a request with `force` from a source that may force named. */
  forcedIds: ReadonlySet<string>;
  /** Connector ids present after the run. */
  remaining: ReadonlySet<string>;
  /** When the harness disconnected a connector (its instance went down), simulator ms. */
  disconnectedAt: ReadonlyMap<string, number>;
  /** When a single DELETE of a connector was applied, simulator ms (bulk deletions: unknown). */
  deletedAt: ReadonlyMap<string, number>;
}): Violation[] {
  const out: Violation[] = [];
  for (const id of input.protectedIds) {
    if (!input.remaining.has(id)) {
      out.push({ check: 'guarded-deletion', detail: `protected connector ${id} was deleted` });
    }
  }
  for (const id of input.connectedIds) {
    if (input.remaining.has(id) || input.protectedIds.has(id) || input.forcedIds.has(id)) continue;
    const down = input.disconnectedAt.get(id);
    if (down === undefined) {
      out.push({ check: 'guarded-deletion', detail: `connected connector ${id} was deleted without force` });
      continue;
    }
    const deleted = input.deletedAt.get(id);
    if (deleted !== undefined && deleted < down) {
      out.push({
        check: 'guarded-deletion',
        detail: `connector ${id} was deleted ${down - deleted} ms before its instance went down`,
      });
    }
  }
  return out;
}

/**
 * No call over Zscaler's rate limits: the simulator's call log audited with sliding windows
 * (stricter than the server's fixed ones), every call the client sent counting.
 *
 * @example
 * checkRateLimits(sim.callLog, sim.effectiveLimits());
 */
export function checkRateLimits(callLog: readonly CallLogEntry[], limits: RateLimitTable): Violation[] {
  return findRateViolations(callLog, limits).map((r) => ({
    check: 'rate-limit',
    detail: `${r.api} ${r.rateClass}: ${r.count} calls in ${r.window.windowMs} ms (limit ${r.window.limit}) at ${new Date(r.from).toISOString()}`,
  }));
}

/**
 * Every failure has an audit record and a reason: a FAILED, REJECTED or DEAD_LETTERED request
 * carries an error message, and its trail has the matching outcome event with a non-empty
 * `detail.reason`.
 *
 * @example
 * checkFailuresAudited([{ requestId: 'r1', state: 'FAILED', events: [] }]); // one violation
 */
export function checkFailuresAudited(requests: readonly CollectedRequest[]): Violation[] {
  const out: Violation[] = [];
  for (const r of requests) {
    if (r.state !== 'FAILED' && r.state !== 'REJECTED' && r.state !== 'DEAD_LETTERED') continue;
    if (!r.error?.message?.trim()) {
      out.push({
        check: 'failure-audited',
        detail: `request ${r.requestId} is ${r.state} without an error message`,
      });
    }
    const type = FINAL_EVENT[r.state];
    const audited = r.events.some(
      (e) => e.type === type && typeof e.detail?.reason === 'string' && e.detail.reason.trim() !== '',
    );
    if (!audited) {
      out.push({
        check: 'failure-audited',
        detail: `request ${r.requestId} is ${r.state} without a "${type}" audit event giving a reason`,
      });
    }
  }
  return out;
}

/**
 * The DLQ holds only what is truly unprocessable: exactly the poison messages the run sent (each of
 * them, nothing else), and no accepted request ended DEAD_LETTERED (every one of them was valid).
 *
 * @example
 * checkDeadLetters({ dlqBodies, poisonBodies, deadLettered: ['r1'] }); // one violation
 */
export function checkDeadLetters(input: {
  dlqBodies: readonly string[];
  poisonBodies: readonly string[];
  /** Accepted requests that ended DEAD_LETTERED. */
  deadLettered: readonly { requestId: string; reason?: string }[];
}): Violation[] {
  const out: Violation[] = [];
  const poison = new Set(input.poisonBodies);
  const inDlq = new Set(input.dlqBodies);
  for (const body of input.dlqBodies) {
    if (!poison.has(body)) {
      out.push({
        check: 'dead-letter',
        detail: `the DLQ holds a processable message: ${body.slice(0, 160)}`,
      });
    }
  }
  for (const body of input.poisonBodies) {
    if (!inDlq.has(body)) {
      out.push({
        check: 'dead-letter',
        detail: `an unprocessable message never reached the DLQ: ${body.slice(0, 80)}`,
      });
    }
  }
  for (const r of input.deadLettered) {
    out.push({
      check: 'dead-letter',
      detail: `request ${r.requestId} was dead-lettered: ${r.reason ?? '(no reason)'}`,
    });
  }
  return out;
}

/**
 * Every teardown that settled completed its lifecycle action (CONTINUE), so no instance waits for
 * its heartbeat timeout.
 *
 * @example
 * checkLifecycleCompleted([{ requestId, instanceId: 'i-1', state: 'SUCCEEDED' }], new Set()); // one violation
 */
export function checkLifecycleCompleted(
  teardowns: readonly { requestId: string; instanceId: string; state: RequestState | 'MISSING' }[],
  completed: ReadonlySet<string>,
): Violation[] {
  return teardowns
    .filter((t) => t.state !== 'MISSING' && isFinal(t.state) && !completed.has(t.instanceId))
    .map((t) => ({
      check: 'lifecycle-completed',
      detail: `teardown ${t.requestId} ended ${t.state} but the lifecycle action of ${t.instanceId} was never completed`,
    }));
}

/** What the intake answered one submission of the run. */
export interface AnswerSeen {
  label: string;
  status: number;
  requestId?: string;
  /** For duplicates: the request id the original submission was answered. */
  originalRequestId?: string;
}

/**
 * The intake accepted every submission of the run (all were valid and authorised): 202, or 200 for a
 * resubmission, which names the original request (a duplicate never becomes a second request).
 *
 * @example
 * checkIntakeAnswers([{ label: 'duplicate', status: 202, requestId: 'b', originalRequestId: 'a' }]); // one violation
 */
export function checkIntakeAnswers(answers: readonly AnswerSeen[]): Violation[] {
  const out: Violation[] = [];
  for (const a of answers) {
    if ((a.status !== 202 && a.status !== 200) || !a.requestId) {
      out.push({
        check: 'intake',
        detail: `${a.label} was answered ${a.status}${a.requestId ? '' : ' without a request id'}`,
      });
    } else if (a.originalRequestId !== undefined && a.requestId !== a.originalRequestId) {
      out.push({
        check: 'intake',
        detail: `${a.label} became request ${a.requestId}, not the original ${a.originalRequestId}`,
      });
    }
  }
  return out;
}

/** Violations as the JSON line lists them: `check: detail`, at most `perCheck` lines per check. */
export function summarizeViolations(violations: readonly Violation[], perCheck = 5): string[] {
  const byCheck = new Map<string, Violation[]>();
  for (const v of violations) byCheck.set(v.check, [...(byCheck.get(v.check) ?? []), v]);
  const out: string[] = [];
  for (const [check, list] of byCheck) {
    for (const v of list.slice(0, perCheck)) out.push(`${check}: ${v.detail}`);
    if (list.length > perCheck) out.push(`${check}: … and ${list.length - perCheck} more`);
  }
  return out;
}
