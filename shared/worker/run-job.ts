import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '../audit/events.ts';
import { deletionsPerHourOf } from '../config/worker.ts';
import { DeletionCap } from '../guardrails/deletion-cap.ts';
import { checkGuardrails } from '../guardrails/guardrails.ts';
import { PauseSwitch } from '../guardrails/pause-switch.ts';
import { ProtectedNames } from '../guardrails/protected-names.ts';
import type { Job, JobOutcome, JobSettings } from '../jobs/job.ts';
import { JOBS, jobFor } from '../jobs/registry.ts';
import { StateConflictError } from '../requests/errors.ts';
import { type JobMessage, parseJobMessage } from '../requests/job-message.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import { isFinal } from '../requests/state-machine.ts';
import { markDeadLettered } from './dead-letter.ts';
import { delayFor, sendDelayed } from './deferral.ts';
import type { WorkerDeps } from './deps.ts';
import { outcomeOfError, type Rejection } from './error-outcome.ts';
import { UnexpectedJobError, UnprocessableMessageError } from './errors.ts';
import { buildJobContext } from './job-context.ts';
import { acquireLease } from './lease.ts';
import { notifySettled } from './notify.ts';
import { audit } from './request-audit.ts';

/** Still exported here (public API); it lives in `request-audit.ts`. */
export { audit } from './request-audit.ts';

/** One SQS record as the run loop needs it. */
export interface IncomingJob {
  body: string;
  /** SQS `ApproximateReceiveCount`. */
  receiveCount: number;
  messageId?: string;
}

/** What happened to a message that was acknowledged. */
export type RunResult =
  | { kind: 'settled'; state: RequestRecord['state'] }
  | { kind: 'deferred'; notBefore: number; delaySeconds: number }
  | { kind: 'skipped'; reason: string };

/** A message arriving this much before its request's `notBefore` is sent on again. */
const EARLY_TOLERANCE_MS = 1_000;

const processId = randomUUID();

/**
 * Processes one job message. Resolves when the message may be acknowledged (the request settled,
 * was deferred with a new delayed message, or needed nothing); throws when it must be retried.
 * On the final receive (`receiveCount >= worker.maxReceiveCount`) a failing message first marks its
 * request DEAD_LETTERED, so when SQS moves it to the DLQ the request's state already says so: with
 * code `unexpected` when a job met an error that declares no disposition, `dead-lettered` otherwise.
 *
 * Idempotency: the request's state machine is the record of what happened. A final or HELD
 * request's message is skipped; a run takes a lease on the request (`run:<id>`) before it moves to
 * RUNNING, so a duplicate delivered while a run is going on is skipped, and a run whose worker died
 * is resumed once its lease expires. Jobs re-read Zscaler before writing (already gone = success;
 * group found by name = no POST), so a resumed run never repeats a change.
 *
 * @example
 * await runJobMessage(deps, { body: record.body, receiveCount: Number(record.attributes.ApproximateReceiveCount) });
 */
export async function runJobMessage(deps: WorkerDeps, incoming: IncomingJob): Promise<RunResult> {
  let requestId: string | undefined;
  try {
    let message: JobMessage;
    try {
      message = parseJobMessage(incoming.body);
    } catch (err) {
      requestId = looseRequestId(incoming.body);
      throw new UnprocessableMessageError((err as Error).message, requestId, { cause: err });
    }
    requestId = message.requestId;
    return await runMessage(deps, message);
  } catch (err) {
    if (incoming.receiveCount >= deps.config.worker.maxReceiveCount && requestId) {
      const reason = `the job could not be processed after ${incoming.receiveCount} receives: ${(err as Error).message}`;
      try {
        await markDeadLettered(
          deps,
          requestId,
          reason,
          err instanceof UnexpectedJobError ? 'unexpected' : 'dead-lettered',
        );
      } catch (markErr) {
        deps.logger.error('could not mark the request DEAD_LETTERED', {
          requestId,
          error: (markErr as Error).message,
        });
      }
    }
    throw err;
  }
}

async function runMessage(deps: WorkerDeps, message: JobMessage): Promise<RunResult> {
  const { store, clock } = deps;
  let record = await store.get(message.requestId);
  if (!record) {
    throw new UnprocessableMessageError(`request ${message.requestId} not found`, message.requestId);
  }
  if (isFinal(record.state) || record.state === 'HELD') {
    if (isFinal(record.state)) await recordMissingOutcome(deps, record);
    return { kind: 'skipped', reason: `request is ${record.state}` };
  }
  if (record.state === 'RECEIVED') {
    // Intake crashed between enqueue and marking QUEUED: the message is the proof it was accepted.
    record = await transitionOrReload(deps, record, 'QUEUED', ['RECEIVED'], {
      stateReason: 'worker-received',
    });
    if (record.state !== 'QUEUED') return { kind: 'skipped', reason: `request is ${record.state}` };
  }
  const now = clock.now();
  if (
    record.state === 'DEFERRED' &&
    record.notBefore &&
    Date.parse(record.notBefore) > now + EARLY_TOLERANCE_MS
  ) {
    // A chained long deferral (or a duplicate): send the rest of the wait on, change nothing.
    const notBefore = Date.parse(record.notBefore);
    const { delaySeconds } = await sendDelayed(deps.queue, message, notBefore, now, { deferred: false });
    return { kind: 'deferred', notBefore, delaySeconds };
  }

  const runId = `${deps.workerId ?? processId}:${randomUUID()}`;
  const lease = await acquireLease(
    deps.control,
    `run:${record.requestId}`,
    runId,
    deps.config.worker.leaseSeconds * 1000,
    now,
  );
  if (!lease.held) {
    // Another worker holds the run, or held it and crashed: this message may be the crashed run's own
    // redelivery (the lease outlives the visibility timeout), so acknowledging it alone could leave
    // the request RUNNING forever. Hand it back for when the lease ends: a live run has settled by
    // then (the copy is skipped), a dead one is resumed.
    await sendDelayed(deps.queue, message, lease.until, now, { deferred: false });
    return {
      kind: 'skipped',
      reason: `request is being run by another worker until ${new Date(lease.until).toISOString()}; checked again then`,
    };
  }
  // A deferral's message goes out once the lease is released: sent while it is still held, a copy
  // delivered at once (a 0 s delay, another poller) would find the lease busy and wait for its end.
  let handBack: (() => Promise<unknown>) | undefined;
  let result: RunResult;
  try {
    const from = record.state;
    // Why the previous run deferred: a refusal met again on this run is then met twice in a row.
    const previousReason = record.stateReason;
    try {
      record = await store.transition(record.requestId, 'RUNNING', {
        from: ['QUEUED', 'DEFERRED', 'RUNNING'],
        patch: { incrementAttempts: true, stateReason: from === 'RUNNING' ? 'resumed' : 'claimed' },
      });
    } catch (err) {
      if (!(err instanceof StateConflictError)) throw err;
      return { kind: 'skipped', reason: `request is ${err.actual ?? 'missing'}` };
    }
    await audit(deps, record, 'state', {
      from,
      to: 'RUNNING',
      attempt: record.attempts,
      deferrals: record.deferrals,
    });
    const started = clock.now();
    try {
      const outcome = await runJob(deps, record, runId, previousReason);
      result = await settle(deps, record, message, outcome, (send) => {
        handBack = send;
      });
    } finally {
      deps.metrics?.jobDuration(clock.now() - started);
    }
  } finally {
    await lease.release();
  }
  if (handBack) await handBack();
  return result;
}

/**
 * Plan → audit → guardrails → execute. A thrown error becomes the outcome its disposition declares
 * (`error-outcome.ts`); one that declares none is rethrown as an `UnexpectedJobError`.
 */
async function runJob(
  deps: WorkerDeps,
  record: RequestRecord,
  runId: string,
  previousReason: string | undefined,
): Promise<JobOutcome | Rejection> {
  const { config, clock } = deps;
  const now = clock.now();
  const paused = await (deps.pauses ?? new PauseSwitch(deps.control)).state(record.tenant);
  if (paused) {
    const reason = `tenant ${record.tenant} is paused (${paused.reason}, by ${paused.by})`;
    await audit(deps, record, 'guardrail', { rule: 'pause', decision: 'deferred', reason });
    return { status: 'deferred', notBefore: now + config.worker.pollIntervalSeconds * 1000, reason };
  }
  const job = jobFor(deps.jobs ?? JOBS, record.action) as Job | undefined;
  if (!job)
    return { status: 'failed', reason: `no job is registered for action ${record.action}`, code: 'no-job' };
  const tenant = config.tenants.find((t) => t.name === record.tenant);
  if (!tenant)
    return { status: 'failed', reason: `tenant ${record.tenant} is not configured`, code: 'no-tenant' };

  const run = buildJobContext(deps, { record, tenant, settings: settingsOf(deps), runId });
  const { ctx } = run;
  try {
    const plan = await job.plan(ctx);
    if (plan.outcome) {
      await audit(deps, record, 'planned', {
        calls: [],
        resources: plan.resources,
        outcome: plan.outcome.status,
        dryRun: ctx.dryRun,
      });
      return plan.outcome;
    }
    await audit(deps, record, 'planned', {
      calls: plan.calls,
      resources: plan.resources,
      dryRun: ctx.dryRun,
    });
    const decision = await checkGuardrails(plan, {
      tenant: record.tenant,
      requestId: record.requestId,
      force: record.request.force === true,
      policy: config.sources.find((s) => s.name === record.sourceName),
      protectedNames: new ProtectedNames(config.guardrails.protectedNamePatterns),
      cap: new DeletionCap(deps.control),
      deletionsPerHour: deletionsPerHourOf(config.guardrails, record.tenant),
      dryRun: ctx.dryRun,
      nowMs: clock.now(),
      note: (n) =>
        ctx.note(
          'guardrail',
          {
            rule: n.rule,
            decision: n.decision,
            reason: n.reason,
            ...(n.resource ? { resource: n.resource } : {}),
          },
          n.resource?.id === undefined ? undefined : `${n.resource.kind}/${n.resource.id}`,
        ),
    });
    if (decision.kind === 'refuse')
      return { stop: 'REJECTED', reason: decision.reason, code: `guardrail:${decision.rule}` };
    if (decision.kind === 'hold') {
      // A dry-run makes no deletion, so it never waits for approval: it reports the hold instead.
      if (ctx.dryRun) {
        return {
          status: 'succeeded',
          result: { dryRun: true, wouldHold: decision.reason, plannedCalls: plan.calls },
        };
      }
      return { status: 'held', reason: decision.reason };
    }
    const allowed =
      decision.plan.resources.length !== plan.resources.length && job.narrow
        ? job.narrow(ctx, decision.plan)
        : decision.plan;
    if (ctx.dryRun) {
      return {
        status: 'succeeded',
        result: { dryRun: true, plannedCalls: allowed.calls, resources: allowed.resources },
      };
    }
    return await job.execute(ctx, allowed);
  } catch (err) {
    const w = config.worker;
    const outcome = outcomeOfError(err, {
      nowMs: clock.now(),
      backoffMs: { busy: w.editLockDelaySeconds * 1000, transient: w.transientDelaySeconds * 1000 },
      previousReason,
    });
    if (!outcome) throw new UnexpectedJobError(err);
    return outcome;
  } finally {
    await run.close();
  }
}

/** Applies an outcome to the request, then tells the listeners when it settled. */
async function settle(
  deps: WorkerDeps,
  record: RequestRecord,
  message: JobMessage,
  outcome: JobOutcome | Rejection,
  /** Takes the deferral's send, which the caller makes after releasing the run's lease. */
  deferSend: (send: () => Promise<unknown>) => void,
): Promise<RunResult> {
  const { store, clock, config } = deps;
  const now = clock.now();
  let next: RequestRecord;
  if ('stop' in outcome) {
    next = await store.transition(record.requestId, 'REJECTED', {
      from: 'RUNNING',
      patch: { stateReason: outcome.code, error: { message: outcome.reason, code: outcome.code } },
    });
    await audit(deps, next, 'rejected', { reason: outcome.reason, code: outcome.code });
  } else if (outcome.status === 'deferred') {
    const ageMs = now - Date.parse(record.createdAt);
    const maxAgeMs = config.worker.maxAgeHours * 3_600_000;
    if (ageMs >= maxAgeMs || outcome.notBefore - Date.parse(record.createdAt) > maxAgeMs) {
      const reason = `gave up after ${Math.round(ageMs / 60_000)} minutes (maximum age ${config.worker.maxAgeHours} h): ${outcome.reason}`;
      next = await store.transition(record.requestId, 'FAILED', {
        from: 'RUNNING',
        patch: { stateReason: 'max-age', error: { message: reason, code: 'max-age' } },
      });
      await audit(deps, next, 'failed', { reason, code: 'max-age' });
    } else {
      // DEFERRED first, then (after the lease is released) the message. A worker dying in between
      // never acknowledged the incoming message: SQS redelivers it and it runs the DEFERRED request.
      const delaySeconds = delayFor(outcome.notBefore, now);
      deferSend(() => sendDelayed(deps.queue, message, outcome.notBefore, now, { deferred: true }));
      next = await store.transition(record.requestId, 'DEFERRED', {
        from: 'RUNNING',
        patch: {
          stateReason: outcome.reason,
          notBefore: new Date(outcome.notBefore).toISOString(),
          incrementDeferrals: true,
          ...(outcome.progress ? { result: outcome.progress } : {}),
        },
      });
      await audit(deps, next, 'deferred', {
        reason: outcome.reason,
        notBefore: new Date(outcome.notBefore).toISOString(),
        delaySeconds,
        deferrals: next.deferrals,
      });
      deps.metrics?.deferred();
      return {
        kind: 'deferred',
        notBefore: outcome.notBefore,
        delaySeconds: delayFor(outcome.notBefore, now),
      };
    }
  } else if (outcome.status === 'held') {
    next = await store.transition(record.requestId, 'HELD', {
      from: 'RUNNING',
      patch: { stateReason: outcome.reason },
    });
    await audit(deps, next, 'held', { reason: outcome.reason });
  } else if (outcome.status === 'succeeded') {
    next = await store.transition(record.requestId, 'SUCCEEDED', {
      from: 'RUNNING',
      patch: { stateReason: 'succeeded', result: outcome.result },
    });
    await audit(deps, next, 'succeeded', { result: outcome.result });
  } else {
    next = await store.transition(record.requestId, 'FAILED', {
      from: 'RUNNING',
      patch: {
        stateReason: outcome.code ?? 'failed',
        error: { message: outcome.reason, ...(outcome.code ? { code: outcome.code } : {}) },
        ...(outcome.result ? { result: outcome.result } : {}),
      },
    });
    await audit(deps, next, 'failed', {
      reason: outcome.reason,
      ...(outcome.code ? { code: outcome.code } : {}),
    });
  }
  await notifySettled(deps, next);
  return { kind: 'settled', state: next.state };
}

/** The audit event each final state's settlement writes. */
const OUTCOME_EVENT = {
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  REJECTED: 'rejected',
  DEAD_LETTERED: 'dead-lettered',
} as const;

/**
 * A settlement writes the state, then its outcome event, then tells the listeners. A worker that dies
 * in between leaves a final request whose trail lacks its outcome, and its message is redelivered
 * (the invocation never acknowledged it): that redelivery writes the missing event (`recovered`) and
 * tells the listeners, which the dead run never reached.
 */
async function recordMissingOutcome(deps: WorkerDeps, record: RequestRecord): Promise<void> {
  const type = OUTCOME_EVENT[record.state as keyof typeof OUTCOME_EVENT];
  if (!type) return;
  const trail = await deps.audit.byRequest(record.requestId, { limit: 10_000 });
  if (trail.some((e) => e.type === type)) {
    await tellListenersNotYetTold(deps, record, trail);
    return;
  }
  await audit(
    deps,
    record,
    type,
    record.state === 'SUCCEEDED'
      ? { result: record.result, recovered: true }
      : {
          reason: record.error?.message ?? record.stateReason ?? record.state,
          ...(record.error?.code ? { code: record.error.code } : {}),
          recovered: true,
        },
  );
  await notifySettled(deps, record);
}

/**
 * The outcome was audited but the run died before (all) its listeners were told: tell the ones whose
 * own trail shows no action yet (a ticket callback leaves a `callback` event, success or not).
 */
async function tellListenersNotYetTold(
  deps: WorkerDeps,
  record: RequestRecord,
  trail: readonly AuditEvent[],
): Promise<void> {
  for (const listener of deps.listeners ?? []) {
    if (!listener.alreadyTold || listener.alreadyTold(record, trail)) continue;
    try {
      await listener.settled(record);
    } catch (err) {
      deps.logger.warn('an outcome listener failed', {
        requestId: record.requestId,
        error: (err as Error).message,
      });
    }
  }
}

async function transitionOrReload(
  deps: WorkerDeps,
  record: RequestRecord,
  to: RequestRecord['state'],
  from: RequestRecord['state'][],
  patch: { stateReason: string },
): Promise<RequestRecord> {
  try {
    return await deps.store.transition(record.requestId, to, { from, patch });
  } catch (err) {
    if (!(err instanceof StateConflictError)) throw err;
    const again = await deps.store.get(record.requestId);
    if (!again)
      throw new UnprocessableMessageError(`request ${record.requestId} not found`, record.requestId);
    return again;
  }
}

function settingsOf(deps: WorkerDeps): JobSettings {
  const w = deps.config.worker;
  return {
    bulkDeleteChunk: w.bulkDeleteChunk,
    activationQuietMs: w.activationQuietSeconds * 1000,
    activationWaitMs: w.maxSleepMs,
    deletionWindowMs: w.deletionWindowMs,
    runLeaseMs: w.leaseSeconds * 1000,
    teardownGraceMs: w.teardownGraceSeconds * 1000,
    pollIntervalMs: w.pollIntervalSeconds * 1000,
  };
}

function looseRequestId(body: string): string | undefined {
  try {
    const raw = JSON.parse(body) as { requestId?: unknown };
    return typeof raw.requestId === 'string' && /^[0-9a-f-]{36}$/.test(raw.requestId)
      ? raw.requestId
      : undefined;
  } catch {
    return undefined;
  }
}
