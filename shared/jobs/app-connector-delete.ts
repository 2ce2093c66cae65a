import type { ConnectorRef } from '../requests/request.ts';
import type { AppConnector } from '../zscaler/schemas/app-connector.ts';
import { connectorResource, microtenantOf } from './connector-facts.ts';
import { type ConnectorLookup, findConnector } from './connector-lookup.ts';
import type { ConnectorTarget, MatchAnswer } from './connector-match.ts';
import type { Job, JobContext, JobOutcome, PlannedCall } from './job.ts';
import { deleteAndConfirm, joinDelete, sharedDelete } from './shared-delete.ts';
import { joinLookup, sharedLookup } from './shared-lookup.ts';

type Data =
  | { phase: 'delete'; id: string; name: string }
  /** Joined a shared bulk delete on an earlier run: settle from its result. */
  | { phase: 'settle'; id: string; name: string; round: string };

/** What the job keeps between runs while its deletion is coalesced with others (`ctx.progress`). */
interface Progress {
  /** Joined a shared lookup (so it never joins another one for the same lookup). */
  lookupJoined?: boolean;
  lookupRound?: string;
  deleteRound?: string;
  /** Times it joined a delete round (a round turned away unsent is joined again, a few times). */
  deleteJoins?: number;
  id?: string;
  name?: string;
}

/** Delete rounds joined again after their bulk call was turned away unsent, before going alone. */
const MAX_DELETE_JOINS = 3;

const targetOf = (ref: ConnectorRef): ConnectorTarget =>
  ref.by === 'id'
    ? { connectorId: ref.id, ...(ref.groupId ? { groupId: ref.groupId } : {}) }
    : ref.by === 'name'
      ? { name: ref.name, ...(ref.groupId ? { groupId: ref.groupId } : {}) }
      : { privateIp: ref.privateIp, groupId: ref.groupId };

const deleteCalls = (id: string): PlannedCall[] => [
  { api: 'zpa', method: 'DELETE', path: `/connector/${id}`, operation: 'appConnector.delete', write: true },
  {
    api: 'zpa',
    method: 'GET',
    path: `/connector/${id}`,
    operation: 'appConnector.get',
    write: false,
    note: 'confirm it is gone (404)',
  },
];

/**
 * `appConnector.delete`: finds the connector (by id, name, or private IP within a group), deletes
 * it, then confirms that it is gone. Not found at plan time = already gone (success, no DELETE), so
 * a redelivered request never deletes twice.
 *
 * Deletions of a tenant that arrive together are coalesced (`worker.deletionWindowMs`): the first
 * goes alone and at once; the others join a round and share one paged listing to find their
 * connectors, then, each after its own guardrails, bulk deletes and one listing that reads them back
 * (`shared-lookup.ts`, `shared-delete.ts`). A connector the shared calls cannot confirm gone is
 * deleted and read back alone.
 *
 * @example
 * JOBS['appConnector.delete'] = appConnectorDeleteJob;
 */
export const appConnectorDeleteJob: Job<'appConnector.delete', Data> = {
  action: 'appConnector.delete',
  async plan(ctx) {
    const mt = microtenantOf(ctx.request);
    const progress = (ctx.progress ?? {}) as Progress;
    if (progress.deleteRound && progress.id) {
      const { id, name = '', deleteRound: round } = progress;
      return {
        calls: [
          {
            api: 'zpa',
            method: 'POST',
            path: '/connector/bulkDelete',
            operation: 'appConnector.bulkDelete',
            write: true,
            note: `shared with the other deletions of round ${round}; then one listing reads them back`,
          },
        ],
        resources: [{ kind: 'appConnector', id, name, effect: 'read' }],
        data: { phase: 'settle', id, name, round },
      };
    }
    const target = targetOf(ctx.request.connector);
    let lookup: ConnectorLookup | undefined;
    if (progress.lookupRound) {
      const shared = await sharedLookup(ctx, progress.lookupRound, target, mt);
      if (shared.kind === 'wait') {
        return {
          calls: [],
          resources: [],
          outcome: ctx.defer(shared.notBefore, shared.why, { ...progress }),
        };
      }
      if (shared.kind === 'retry') {
        return {
          calls: [],
          resources: [],
          outcome: ctx.defer(shared.notBefore, `shared lookup failed: ${shared.why}`, {
            lookupJoined: false,
          }),
        };
      }
      if (shared.kind === 'answer') lookup = fromAnswer(shared.answer, shared.call);
    } else if (!progress.lookupJoined) {
      const joined = await joinLookup(ctx, target, mt);
      if (joined.kind === 'joined') {
        return {
          calls: [],
          resources: [],
          outcome: ctx.defer(
            joined.closesAt,
            `joined shared lookup round ${joined.round} with the tenant's other deletions`,
            { lookupJoined: true, lookupRound: joined.round },
          ),
        };
      }
    }
    lookup ??= await findConnector(await ctx.zpa(), ctx.request.connector, mt);
    if ('refused' in lookup) {
      return {
        calls: lookup.calls,
        resources: [],
        outcome: { status: 'failed', reason: lookup.refused, code: 'ambiguous-target' },
      };
    }
    if (!lookup.found) {
      return {
        calls: lookup.calls,
        resources: [],
        outcome: { status: 'succeeded', result: { alreadyGone: true, connector: ctx.request.connector } },
      };
    }
    const c = lookup.found;
    return {
      calls: deleteCalls(c.id),
      resources: [connectorResource(c)],
      data: { phase: 'delete', id: c.id, name: c.name },
    };
  },
  async execute(ctx, plan) {
    const data = plan.data as Data;
    const mt = microtenantOf(ctx.request);
    const progress = (ctx.progress ?? {}) as Progress;
    if (data.phase === 'settle') {
      const shared = await sharedDelete(ctx, data.round, data.id, mt);
      if (shared.kind === 'wait') return ctx.defer(shared.notBefore, shared.why, { ...progress });
      if (shared.kind === 'gone') {
        return {
          status: 'succeeded',
          result: {
            deleted: data.id,
            name: data.name,
            confirmed: true,
            sharedCall: { round: shared.round, leader: shared.leader, calls: shared.calls },
          },
        };
      }
      if (shared.kind === 'rejoin' && (progress.deleteJoins ?? 0) < MAX_DELETE_JOINS) {
        return joinDeleteRound(ctx, data, progress, shared.notBefore);
      }
      return deleteAlone(ctx, data.id, data.name);
    }
    return joinDeleteRound(ctx, data, progress, undefined);
  },
};

/** Joins a delete round (then settles from it on a later run), or deletes alone now. */
async function joinDeleteRound(
  ctx: JobContext<'appConnector.delete'>,
  data: Data,
  progress: Progress,
  notBefore: number | undefined,
): Promise<JobOutcome> {
  const mt = microtenantOf(ctx.request);
  const joined = await joinDelete(ctx, data.id, mt);
  if (joined.kind !== 'joined') return deleteAlone(ctx, data.id, data.name);
  return ctx.defer(
    Math.max(joined.closesAt, notBefore ?? 0),
    `joined shared bulk delete round ${joined.round} with the tenant's other deletions`,
    {
      lookupJoined: true,
      deleteRound: joined.round,
      deleteJoins: (progress.deleteJoins ?? 0) + 1,
      id: data.id,
      name: data.name,
    },
  );
}

async function deleteAlone(
  ctx: JobContext<'appConnector.delete'>,
  id: string,
  name: string,
): Promise<JobOutcome> {
  const r = await deleteAndConfirm(await ctx.zpa(), id, microtenantOf(ctx.request));
  if (r.gone) {
    return {
      status: 'succeeded',
      result: { deleted: id, name, confirmed: true, ...(r.alreadyGone ? { alreadyGone: true } : {}) },
    };
  }
  return {
    status: 'failed',
    reason: `connector ${id} is still present after its deletion`,
    code: 'not-deleted',
  };
}

/** A shared lookup's answer in the form of a one-by-one lookup (the shared call named). */
function fromAnswer(answer: MatchAnswer, call: string): ConnectorLookup {
  const calls: PlannedCall[] = [
    {
      api: 'zpa',
      method: 'GET',
      path: '/connector',
      operation: 'appConnector.list',
      write: false,
      note: `shared: ${call}`,
    },
  ];
  if ('refused' in answer) return { refused: answer.refused, calls };
  if ('none' in answer) return { found: undefined, calls };
  return { found: answer.found as AppConnector, calls };
}
