import { NotFoundError } from '../zscaler/errors.ts';
import type { AppConnector } from '../zscaler/schemas/app-connector.ts';
import { bulkDeleteCalls, deleteInChunks } from './bulk-delete.ts';
import { connectorResource, microtenantOf } from './connector-facts.ts';
import type { Job, PlannedCall } from './job.ts';

/** Up to this many ids are read one by one; more, and every page of connectors is read instead. */
export const INDIVIDUAL_LOOKUP_MAX = 20;

interface Data {
  ids: string[];
}

/**
 * `appConnector.bulkDelete`: reads the named connectors (names and status for the guardrails; ids
 * no longer present are already gone), then deletes the rest in chunks of at most 100
 * (`POST connector/bulkDelete`). One protected or connected connector refuses the whole request:
 * the ids were named explicitly. With `groupId`, every id must belong to that group.
 *
 * @example
 * JOBS['appConnector.bulkDelete'] = appConnectorBulkDeleteJob;
 */
export const appConnectorBulkDeleteJob: Job<'appConnector.bulkDelete', Data> = {
  action: 'appConnector.bulkDelete',
  async plan(ctx) {
    const zpa = await ctx.zpa();
    const mt = microtenantOf(ctx.request);
    const wanted = ctx.request.ids;
    const found: AppConnector[] = [];
    const reads: PlannedCall[] = [];
    if (wanted.length <= INDIVIDUAL_LOOKUP_MAX) {
      for (const id of wanted) {
        reads.push({
          api: 'zpa',
          method: 'GET',
          path: `/connector/${id}`,
          operation: 'appConnector.get',
          write: false,
        });
        try {
          found.push(await zpa.appConnectors.get(id, mt));
        } catch (err) {
          if (!(err instanceof NotFoundError)) throw err;
        }
      }
    } else {
      reads.push({
        api: 'zpa',
        method: 'GET',
        path: '/connector',
        operation: 'appConnector.list',
        write: false,
      });
      const set = new Set(wanted);
      for await (const c of zpa.appConnectors.list(mt)) if (set.has(c.id)) found.push(c);
    }
    const groupId = ctx.request.groupId;
    const outside = groupId === undefined ? [] : found.filter((c) => c.appConnectorGroupId !== groupId);
    if (outside.length > 0) {
      return {
        calls: reads,
        resources: [],
        outcome: {
          status: 'failed',
          reason: `connectors ${outside.map((c) => c.id).join(', ')} are not in group ${groupId}`,
          code: 'wrong-group',
        },
      };
    }
    const alreadyGone = wanted.length - found.length;
    if (found.length === 0) {
      return {
        calls: reads,
        resources: [],
        outcome: { status: 'succeeded', result: { deleted: 0, alreadyGone } },
      };
    }
    const ids = found.map((c) => c.id);
    return {
      calls: bulkDeleteCalls(ids, ctx.settings.bulkDeleteChunk),
      resources: found.map(connectorResource),
      data: { ids },
    };
  },
  async execute(ctx, plan) {
    // The guardrails refuse the whole request rather than drop ids (not `partial`): delete them all.
    const ids = plan.resources
      .filter((r) => r.effect === 'delete' && r.id !== undefined)
      .map((r) => r.id as string);
    const outcome = await deleteInChunks(ctx, ids, microtenantOf(ctx.request));
    if (outcome.status !== 'succeeded') return outcome;
    return {
      status: 'succeeded',
      result: { ...outcome.result, alreadyGone: ctx.request.ids.length - ids.length },
    };
  },
};
