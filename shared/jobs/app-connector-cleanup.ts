import { buildSearch, type SearchCondition } from '../zscaler/zpa/search.ts';
import { bulkDeleteCalls, deleteInChunks } from './bulk-delete.ts';
import { connectorResource, DISCONNECTED, microtenantOf } from './connector-facts.ts';
import type { Job } from './job.ts';

/**
 * `appConnector.cleanup`: finds connectors disconnected for longer than `disconnectedFor` with the
 * docs' search (`controlChannelStatus EQ ZPN_STATUS_DISCONNECTED AND
 * lastBrokerDisconnectTimeDuration GT 15d`), optionally within one group, and deletes them in
 * chunks. The plan is `partial`: protected connectors are excluded (and audited), the rest go.
 *
 * @example
 * JOBS['appConnector.cleanup'] = appConnectorCleanupJob;
 */
export const appConnectorCleanupJob: Job<'appConnector.cleanup'> = {
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
    const reads = [
      {
        api: 'zpa' as const,
        method: 'GET' as const,
        path: `/connector?search=${search}`,
        operation: 'appConnector.search',
        write: false,
      },
    ];
    if (found.length === 0) {
      return {
        calls: reads,
        resources: [],
        outcome: { status: 'succeeded', result: { deleted: 0, search } },
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
    if (ids.length === 0) return { status: 'succeeded', result: { deleted: 0, excludedAll: true } };
    return deleteInChunks(ctx, ids, microtenantOf(ctx.request));
  },
};
