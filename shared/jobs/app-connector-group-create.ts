import type { ZpaClient } from '../zscaler/zpa/client.ts';
import type { MicrotenantOption } from '../zscaler/zpa/context.ts';
import {
  deferCreate,
  executeGroupCreate,
  type GroupApi,
  type NamedGroup,
  planGroupCreate,
} from './group-create.ts';
import type { Job, PlannedCall } from './job.ts';

function groupApi(zpa: ZpaClient, opts: MicrotenantOption): GroupApi {
  return {
    kind: 'appConnectorGroup',
    label: 'App Connector group',
    path: '/appConnectorGroup',
    findByName: (name) => zpa.appConnectorGroups.findByName(name, opts) as Promise<NamedGroup | undefined>,
    create: (body) => zpa.appConnectorGroups.create(body as never, opts),
  };
}

/**
 * `appConnectorGroup.create`: resolves `versionProfileName` to its id (GET versionProfiles), looks
 * the group up by name, without letter case as ZPA compares names (same configuration: success
 * without a POST; different, or a name differing in case: FAILED saying so), else POSTs it. The
 * create answer carries no id (docs): the group is read back by name before SUCCEEDED.
 *
 * @example
 * JOBS['appConnectorGroup.create'] = appConnectorGroupCreateJob;
 */
export const appConnectorGroupCreateJob: Job<'appConnectorGroup.create', { body: Record<string, unknown> }> =
  {
    action: 'appConnectorGroup.create',
    async plan(ctx) {
      const zpa = await ctx.zpa();
      const group = ctx.request.group as Record<string, unknown>;
      const mt = typeof group.microtenantId === 'string' ? { microtenantId: group.microtenantId } : {};
      const reads: PlannedCall[] = [];
      let body = group;
      const profileName = ctx.request.versionProfileName;
      if (profileName !== undefined) {
        reads.push({
          api: 'zpa',
          method: 'GET',
          path: '/visible/versionProfiles',
          operation: 'versionProfile.list',
          write: false,
        });
        const profile = await zpa.versionProfiles.findByName(profileName);
        if (!profile) {
          return {
            calls: reads,
            resources: [],
            outcome: {
              status: 'failed',
              reason: `no version profile is named "${profileName}"`,
              code: 'unknown-version-profile',
            },
          };
        }
        body = { ...group, overrideVersionProfile: true, versionProfileId: profile.id };
      }
      const plan = await planGroupCreate(groupApi(zpa, mt), body, reads, {
        progress: ctx.progress,
        defer: deferCreate(ctx),
      });
      return plan.outcome ? plan : { ...plan, calls: [...reads, ...plan.calls] };
    },
    async execute(ctx, plan) {
      const zpa = await ctx.zpa();
      const body = (plan.data as { body: Record<string, unknown> }).body;
      const mt = typeof body.microtenantId === 'string' ? { microtenantId: body.microtenantId } : {};
      return executeGroupCreate(groupApi(zpa, mt), body, deferCreate(ctx));
    },
  };
