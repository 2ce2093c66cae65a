import { NotFoundError } from '../zscaler/errors.ts';
import { buildSearch, type SearchCondition } from '../zscaler/zpa/search.ts';
import { bulkDeleteCalls, deleteInChunks, sentIdsOf } from './bulk-delete.ts';
import { connectorResource, DISCONNECTED, microtenantOf } from './connector-facts.ts';
import type { Job, PlannedCall } from './job.ts';

/**
 * `appConnector.cleanup`: finds connectors disconnected for longer than `disconnectedFor` with the
 * docs' search (`controlChannelStatus EQ ZPN_STATUS_DISCONNECTED AND
 * lastBrokerDisconnectTimeDuration GT 15d`), optionally within one group, and deletes them in
 * chunks. The plan is `partial`: protected connectors are excluded (and audited), the rest go.
 *
 * @example
 * JOBS['appConnector.cleanup'] = appConnectorCleanupJob;
 */
interface Data {
  /** Ids an earlier run's bulk delete sent that now read back as gone: that call landed. */
  alreadyDeleted: string[];
}

export const appConnectorCleanupJob: Job<'appConnector.cleanup', Data> = {
  action: 'appConnector.cleanup',
  async plan(ctx) {
    const zpa = await ctx.zpa();
    const mt = microtenantOf(ctx.request);
    const conditions: SearchCondition[] = [
      { field: 'controlChannelStatus', op: 'EQ', value: DISCONNECTED },
      { field: 'lastBrokerDisconnectTimeDuration', op: 'GT', value: ctx.request.disconnectedFor },
    ];
    const search = buildSearch(conditions);
    const groupId = ctx.request.groupId;
    const found = [];
    for await (const c of zpa.appConnectors.search(conditions, mt)) {
      if (groupId === undefined || c.appConnectorGroupId === groupId) found.push(c);
    }
    const reads: PlannedCall[] = [
      {
        api: 'zpa' as const,
        method: 'GET' as const,
        path: `/connector?search=${search}`,
        operation: 'appConnector.search',
        write: false,
      },
    ];
    // An earlier run's bulk delete that ended unclearly may have landed: the search no longer finds
    // what it removed, so each id it sent and the search misses is read back; gone means removed.
    const foundIds = new Set(found.map((c) => c.id));
    const alreadyDeleted: string[] = [];
    for (const id of sentIdsOf(ctx.progress)) {
      if (foundIds.has(id)) continue;
      reads.push({
        api: 'zpa',
        method: 'GET',
        path: `/connector/${id}`,
        operation: 'appConnector.get',
        write: false,
      });
      try {
        await zpa.appConnectors.get(id, mt);
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        alreadyDeleted.push(id);
      }
    }
    if (found.length === 0) {
      return {
        calls: reads,
        resources: [],
        outcome: {
          status: 'succeeded',
          result: {
            deleted: alreadyDeleted.length,
            search,
            ...(alreadyDeleted.length > 0
              ? { ids: alreadyDeleted, deletedByEarlierRun: alreadyDeleted }
              : {}),
          },
        },
      };
    }
    return {
      calls: [
        ...reads,
        ...bulkDeleteCalls(
          found.map((c) => c.id),
          ctx.settings.bulkDeleteChunk,
        ),
      ],
      resources: found.map(connectorResource),
      partial: true,
      data: { alreadyDeleted },
    };
  },
  narrow(ctx, plan) {
    const ids = plan.resources
      .filter((r) => r.effect === 'delete' && r.id !== undefined)
      .map((r) => r.id as string);
    const reads = plan.calls.filter((c) => !c.write);
    return { ...plan, calls: [...reads, ...bulkDeleteCalls(ids, ctx.settings.bulkDeleteChunk)] };
  },
  async execute(ctx, plan) {
    const ids = plan.resources
      .filter((r) => r.effect === 'delete' && r.id !== undefined)
      .map((r) => r.id as string);
    const alreadyDeleted = plan.data?.alreadyDeleted ?? [];
    if (ids.length === 0) {
      return {
        status: 'succeeded',
        result: {
          deleted: alreadyDeleted.length,
          excludedAll: true,
          ...(alreadyDeleted.length > 0 ? { ids: alreadyDeleted, deletedByEarlierRun: alreadyDeleted } : {}),
        },
      };
    }
    return deleteInChunks(ctx, ids, microtenantOf(ctx.request), alreadyDeleted);
  },
};
