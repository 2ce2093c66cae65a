import type { LifecycleAction } from '../../intake/lifecycle-event.ts';
import type { AppConnector } from '../../zscaler/schemas/app-connector.ts';
import { connectorResource, isConnected, microtenantOf } from '../connector-facts.ts';
import type { ConnectorTarget } from '../connector-match.ts';
import type { Job, JobContext, JobOutcome, PlannedCall, PlanResource } from '../job.ts';
import { deleteAndConfirm, joinDelete, sharedDelete } from '../shared-delete.ts';
import { joinLookup, sharedLookup } from '../shared-lookup.ts';
import { completeLifecycle } from './complete-lifecycle.ts';
import { findTeardownConnector, type TeardownLookup } from './find-connector.ts';
import { progressFields, readProgress, type TeardownProgress } from './progress.ts';

type Ctx = JobContext<'appConnector.teardown'>;

type TeardownData =
  | { phase: 'lifecycle'; progress: TeardownProgress }
  | { phase: 'delete'; progress: TeardownProgress; connectorId: string; name: string; graceExpired: boolean }
  /** Joined a shared bulk delete on an earlier run: settle from its result. */
  | {
      phase: 'settle';
      progress: TeardownProgress;
      connectorId: string;
      name: string;
      graceExpired: boolean;
      round: string;
    };

/** Delete rounds joined again after their bulk call was turned away unsent, before going alone. */
const MAX_DELETE_JOINS = 3;

/** The target of a shared lookup, by the rules of `findTeardownConnector` (id, then IP, then name). */
const sharedTarget = (t: {
  connectorId?: string | undefined;
  privateIp?: string | undefined;
  connectorName?: string | undefined;
  groupId: string;
}): ConnectorTarget =>
  t.connectorId
    ? { connectorId: t.connectorId, groupId: t.groupId }
    : t.privateIp
      ? { privateIp: t.privateIp, groupId: t.groupId }
      : { ...(t.connectorName ? { name: t.connectorName } : {}), groupId: t.groupId };

const lifecycleCall = (l: LifecycleAction): PlannedCall => ({
  api: 'aws',
  method: 'POST',
  path: `autoscaling:CompleteLifecycleAction?AutoScalingGroupName=${l.asgName}&LifecycleHookName=${l.hookName}&InstanceId=${l.instanceId}`,
  operation: 'autoscaling.completeLifecycleAction',
  write: true,
  note: 'CONTINUE, before the deletion: the instance never waits for it',
});

const deleteCalls = (id: string, note?: string): PlannedCall[] => [
  {
    api: 'zpa',
    method: 'DELETE',
    path: `/connector/${id}`,
    operation: 'appConnector.delete',
    write: true,
    ...(note ? { note } : {}),
  },
  {
    api: 'zpa',
    method: 'GET',
    path: `/connector/${id}`,
    operation: 'appConnector.get',
    write: false,
    note: 'confirm it is gone (404)',
  },
];

/** The instance's private IP: from the request, an earlier run, or EC2 (AWS only, before it is gone). */
async function privateIpOf(
  ctx: Ctx,
  progress: TeardownProgress,
  calls: PlannedCall[],
): Promise<string | undefined> {
  const r = ctx.request;
  if (r.privateIp) return r.privateIp;
  if (progress.privateIp) return progress.privateIp;
  if (r.connectorName || progress.connectorId || r.provider !== 'aws' || !ctx.services.instanceAddresses)
    return undefined;
  calls.push({
    api: 'aws',
    method: 'POST',
    path: `ec2:DescribeInstances?InstanceId.1=${r.instanceId}`,
    operation: 'ec2.describeInstances',
    write: false,
  });
  return ctx.services.instanceAddresses.privateIpOf(r.instanceId);
}

/**
 * `appConnector.teardown`: an instance of an autoscaling group is terminating; remove its App
 * Connector from ZPA without holding the instance up.
 *
 * 1. First run: resolve the instance's private IP (from the event or EC2, while the instance still
 *    exists), complete the lifecycle action with CONTINUE, and hand the job straight back to the
 *    queue. Completing first means no guardrail outcome or Zscaler trouble can keep the instance
 *    waiting for its heartbeat timeout.
 * 2. Later runs: find the connector in the bound group (by IP, id or name). Once it shows
 *    DISCONNECTED, delete it (through the guardrails) and confirm it is gone. While it is still
 *    connected, defer (poll interval) until the grace period after the termination has passed;
 *    after it, a request with `force` deletes it anyway (the force guardrail checks the source may
 *    force), otherwise the request fails with the reason.
 *
 * Every step is audited: the plan of each run, `lifecycle.completed`, the deferrals, the deletion.
 *
 * @example
 * JOBS['appConnector.teardown'] = teardownJob;
 */
export const teardownJob: Job<'appConnector.teardown', TeardownData> = {
  action: 'appConnector.teardown',

  async plan(ctx) {
    const r = ctx.request;
    const progress = readProgress(ctx.progress);
    const calls: PlannedCall[] = [];
    const privateIp = await privateIpOf(ctx, progress, calls);
    const known: TeardownProgress = { ...progress, ...(privateIp ? { privateIp } : {}) };
    const lifecyclePending = r.lifecycle !== undefined && progress.lifecycleDone !== true;

    if (lifecyclePending && r.lifecycle && !ctx.dryRun) {
      calls.push(lifecycleCall(r.lifecycle));
      const resource: PlanResource = {
        kind: 'lifecycleAction',
        id: r.instanceId,
        effect: 'update',
        facts: {
          asgName: r.lifecycle.asgName,
          hookName: r.lifecycle.hookName,
          result: 'CONTINUE',
          ...(privateIp ? { privateIp } : {}),
        },
      };
      return { calls, resources: [resource], data: { phase: 'lifecycle', progress: known } };
    }
    if (lifecyclePending && r.lifecycle) calls.push(lifecycleCall(r.lifecycle));

    if (progress.deleteRound && progress.connectorId) {
      const name = progress.connectorName ?? '';
      calls.push({
        api: 'zpa',
        method: 'POST',
        path: '/connector/bulkDelete',
        operation: 'appConnector.bulkDelete',
        write: true,
        note: `shared with the other deletions of round ${progress.deleteRound}; then one listing reads them back`,
      });
      return {
        calls,
        resources: [{ kind: 'appConnector', id: progress.connectorId, name, effect: 'read' }],
        data: {
          phase: 'settle',
          progress: known,
          connectorId: progress.connectorId,
          name,
          graceExpired: progress.graceExpired === true,
          round: progress.deleteRound,
        },
      };
    }

    const mt = microtenantOf(r);
    const target = {
      connectorId: progress.connectorId,
      privateIp,
      connectorName: r.connectorName,
      groupId: r.groupId,
    };
    let found: TeardownLookup | undefined;
    if (progress.lookupRound) {
      const shared = await sharedLookup(ctx, progress.lookupRound, sharedTarget(target), mt);
      if (shared.kind === 'wait') {
        return {
          calls,
          resources: [],
          outcome: ctx.defer(shared.notBefore, shared.why, {
            ...progressFields(known),
            lookupRound: progress.lookupRound,
          }),
        };
      }
      if (shared.kind === 'retry') {
        return {
          calls,
          resources: [],
          outcome: ctx.defer(shared.notBefore, `shared lookup failed: ${shared.why}`, {
            ...progressFields(known),
            lookupJoined: false,
          }),
        };
      }
      if (shared.kind === 'answer') {
        const a = shared.answer;
        const call: PlannedCall = {
          api: 'zpa',
          method: 'GET',
          path: '/connector',
          operation: 'appConnector.list',
          write: false,
          note: `shared: ${shared.call}`,
        };
        found =
          'refused' in a
            ? { refused: a.refused, calls: [call] }
            : { connector: 'found' in a ? (a.found as AppConnector) : undefined, calls: [call] };
      }
    } else if (!progress.lookupJoined && !progress.connectorId) {
      const joined = await joinLookup(ctx, sharedTarget(target), mt);
      if (joined.kind === 'joined') {
        return {
          calls,
          resources: [],
          outcome: ctx.defer(
            joined.closesAt,
            `joined shared lookup round ${joined.round} with the tenant's other deletions`,
            { ...progressFields(known), lookupJoined: true, lookupRound: joined.round },
          ),
        };
      }
    }
    found ??= await findTeardownConnector(await ctx.zpa(), target, mt);
    calls.push(...found.calls);
    if ('refused' in found) {
      return {
        calls,
        resources: [],
        outcome: {
          status: 'failed',
          reason: found.refused,
          code: 'connector-not-identified',
          result: progressFields(known),
        },
      };
    }
    const c = found.connector;
    if (!c) {
      const result = {
        ...progressFields(known),
        connector: null,
        note: progress.connectorId
          ? `connector ${progress.connectorId} is already gone`
          : `no connector of group ${r.groupId} matches instance ${r.instanceId} (${privateIp ?? r.connectorName ?? 'no address'}); nothing to delete`,
      };
      return { calls, resources: [], outcome: { status: 'succeeded', result } };
    }

    const next: TeardownProgress = { ...known, connectorId: c.id, connectorName: c.name };
    const now = ctx.clock.now();
    const graceEnds = Date.parse(ctx.record.createdAt) + ctx.settings.teardownGraceMs;
    let graceExpired = false;
    if (isConnected(c)) {
      if (now < graceEnds) {
        const why = `waiting for connector ${c.name} (${c.id}) to disconnect; grace period ends ${new Date(graceEnds).toISOString()}`;
        if (ctx.dryRun) {
          calls.push(...deleteCalls(c.id, 'once it shows DISCONNECTED (it is connected now)'));
          return { calls, resources: [{ ...connectorResource(c), effect: 'read' }] };
        }
        return {
          calls,
          resources: [{ ...connectorResource(c), effect: 'read' }],
          outcome: ctx.defer(
            Math.min(now + ctx.settings.pollIntervalMs, graceEnds),
            why,
            progressFields(next),
          ),
        };
      }
      graceExpired = true;
      if (r.force !== true) {
        return {
          calls,
          resources: [],
          outcome: {
            status: 'failed',
            code: 'still-connected',
            reason: `connector ${c.name} (${c.id}) is still connected ${Math.round(ctx.settings.teardownGraceMs / 1000)} s after the termination; deleting a connected connector needs force (from a source allowed to force)`,
            result: progressFields(next),
          },
        };
      }
    }
    calls.push(
      ...deleteCalls(
        c.id,
        graceExpired ? 'grace period over: deleted although connected (force)' : undefined,
      ),
    );
    return {
      calls,
      resources: [connectorResource(c)],
      data: { phase: 'delete', progress: next, connectorId: c.id, name: c.name, graceExpired },
    };
  },

  async execute(ctx, plan) {
    const data = plan.data;
    if (!data) return { status: 'failed', reason: 'teardown plan carries no data', code: 'internal' };
    const r = ctx.request;
    const now = ctx.clock.now();

    if (data.phase === 'lifecycle') {
      const lifecycle = r.lifecycle;
      if (!lifecycle) return ctx.defer(now, 'no lifecycle action to complete', progressFields(data.progress));
      const done = await completeLifecycle(ctx.services.lifecycle, lifecycle);
      if (done.kind === 'retry') {
        return ctx.defer(
          now + ctx.settings.pollIntervalMs,
          `lifecycle action not completed yet: ${done.note}`,
          progressFields(data.progress),
        );
      }
      await ctx.note(
        'lifecycle.completed',
        {
          result: 'CONTINUE',
          completed: done.kind === 'completed',
          asgName: lifecycle.asgName,
          hookName: lifecycle.hookName,
          instanceId: lifecycle.instanceId,
          ...(done.kind === 'gone' ? { note: done.note } : {}),
        },
        `instance/${lifecycle.instanceId}`,
      );
      const progress: TeardownProgress = {
        ...data.progress,
        lifecycleDone: true,
        lifecycleAt: new Date(now).toISOString(),
        ...(done.kind === 'gone' ? { lifecycleNote: done.note } : {}),
      };
      // Back on the queue: the deletion is planned (and guarded) on its own run; together with the
      // tenant's other deletions of the moment when there are any (one shared listing finds them all).
      const joined = await joinLookup(
        ctx,
        sharedTarget({ ...progress, connectorName: r.connectorName, groupId: r.groupId }),
        microtenantOf(r),
      );
      if (joined.kind === 'joined') {
        return ctx.defer(
          joined.closesAt,
          `lifecycle action completed (CONTINUE); joined shared lookup round ${joined.round} with the tenant's other deletions`,
          { ...progressFields(progress), lookupJoined: true, lookupRound: joined.round },
        );
      }
      return ctx.defer(
        now,
        'lifecycle action completed (CONTINUE); the connector is handled next',
        progressFields({ ...progress, ...(ctx.settings.deletionWindowMs > 0 ? { lookupJoined: true } : {}) }),
      );
    }

    if (data.phase === 'settle') {
      const shared = await sharedDelete(ctx, data.round, data.connectorId, microtenantOf(r));
      if (shared.kind === 'wait') return ctx.defer(shared.notBefore, shared.why, settleProgress(data));
      if (shared.kind === 'gone') {
        return succeeded(ctx, data, {
          sharedCall: { round: shared.round, leader: shared.leader, calls: shared.calls },
        });
      }
      if (shared.kind === 'rejoin' && (data.progress.deleteJoins ?? 0) < MAX_DELETE_JOINS) {
        return joinDeleteRound(ctx, data, shared.notBefore);
      }
      return deleteAlone(ctx, data);
    }
    return joinDeleteRound(ctx, data, undefined);
  },
};

type DeleteData = Exclude<TeardownData, { phase: 'lifecycle' }>;

/** The progress a settling run keeps when it defers (the round joined, the connector). */
function settleProgress(data: Extract<TeardownData, { phase: 'settle' }>): Record<string, unknown> {
  return {
    ...progressFields(data.progress),
    deleteRound: data.round,
    deleteJoins: data.progress.deleteJoins ?? 1,
    connectorId: data.connectorId,
    connectorName: data.name,
    ...(data.graceExpired ? { graceExpired: true } : {}),
  };
}

/** Joins a delete round (then settles from it on a later run), or deletes alone now. */
async function joinDeleteRound(
  ctx: Ctx,
  data: DeleteData,
  notBefore: number | undefined,
): Promise<JobOutcome> {
  const joined = await joinDelete(ctx, data.connectorId, microtenantOf(ctx.request));
  if (joined.kind !== 'joined') return deleteAlone(ctx, data);
  return ctx.defer(
    Math.max(joined.closesAt, notBefore ?? 0),
    `joined shared bulk delete round ${joined.round} with the tenant's other deletions`,
    {
      ...progressFields(data.progress),
      lookupJoined: true,
      deleteRound: joined.round,
      deleteJoins: (data.progress.deleteJoins ?? 0) + 1,
      connectorId: data.connectorId,
      connectorName: data.name,
      ...(data.graceExpired ? { graceExpired: true } : {}),
    },
  );
}

/** Deletes the connector alone (`DELETE`, then the confirming `GET`). */
async function deleteAlone(ctx: Ctx, data: DeleteData): Promise<JobOutcome> {
  const r = await deleteAndConfirm(await ctx.zpa(), data.connectorId, microtenantOf(ctx.request));
  if (!r.gone) {
    return {
      status: 'failed',
      reason: `connector ${data.connectorId} is still present after its deletion`,
      code: 'not-deleted',
    };
  }
  return succeeded(ctx, data, r.alreadyGone ? { alreadyGone: true } : {});
}

function succeeded(ctx: Ctx, data: DeleteData, extra: Record<string, unknown>): JobOutcome {
  return {
    status: 'succeeded',
    result: {
      ...progressFields(data.progress),
      deleted: data.connectorId,
      name: data.name,
      confirmed: true,
      waitedMs: ctx.clock.now() - Date.parse(ctx.record.createdAt),
      ...(data.graceExpired ? { graceExpired: true } : {}),
      ...extra,
    },
  };
}
