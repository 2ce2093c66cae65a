import type { ZpaClient } from '../zscaler/zpa/client.ts';
import type { MicrotenantOption } from '../zscaler/zpa/context.ts';
import {
  deferCreate,
  executeGroupCreate,
  type GroupApi,
  type NamedGroup,
  planGroupCreate,
} from './group-create.ts';
import type { Job } from './job.ts';

function groupApi(zpa: ZpaClient, opts: MicrotenantOption): GroupApi {
  return {
    kind: 'pccGroup',
    label: 'Private Cloud Controller group',
    path: '/privateCloudControllerGroup',
    findByName: (name) => zpa.pccGroups.findByName(name, opts) as Promise<NamedGroup | undefined>,
    create: (body) => zpa.pccGroups.create(body as never, opts),
  };
}

/**
 * `pccGroup.create`: looks the Private Cloud Controller group up by name (same configuration:
 * success without a POST; different: FAILED with the fields that differ), else POSTs it.
 *
 * @example
 * JOBS['pccGroup.create'] = pccGroupCreateJob;
 */
export const pccGroupCreateJob: Job<'pccGroup.create', { body: Record<string, unknown> }> = {
  action: 'pccGroup.create',
  async plan(ctx) {
    const zpa = await ctx.zpa();
    const mt = ctx.request.microtenantId === undefined ? {} : { microtenantId: ctx.request.microtenantId };
    return planGroupCreate(groupApi(zpa, mt), ctx.request.group as Record<string, unknown>, [], {
      progress: ctx.progress,
      defer: deferCreate(ctx),
    });
  },
  async execute(ctx, plan) {
    const zpa = await ctx.zpa();
    const mt = ctx.request.microtenantId === undefined ? {} : { microtenantId: ctx.request.microtenantId };
    return executeGroupCreate(
      groupApi(zpa, mt),
      (plan.data as { body: Record<string, unknown> }).body,
      deferCreate(ctx),
    );
  },
};
