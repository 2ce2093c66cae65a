import { NotFoundError } from '../zscaler/errors.ts';
import type { EcVm } from '../zscaler/schemas/ztw.ts';
import type { ZtwClient } from '../zscaler/ztw/client.ts';
import { ActivationCoalescer } from './activation-coalescer.ts';
import { MissingServiceError } from './errors.ts';
import type { Job, JobContext, JobOutcome, PlannedCall } from './job.ts';

/** What the job keeps between its runs (`ctx.progress`). */
interface Progress {
  phase: 'deleted';
  groupId: number;
  vmId: number;
  /** The deletion's sequence in the tenant's activation marker. */
  seq: number;
  name?: string;
}

interface Data {
  groupId: number;
  vmId: number;
  name?: string;
}

const vmPath = (g: number, v: number) => `/ecgroup/${g}/vm/${v}`;

/**
 * `ecVm.delete`: deletes a Cloud or Branch Connector VM (by group + VM id, or by the cloud
 * instance id), then waits (deferred) for the tenant's one coalesced activation after the burst
 * of deletions, and verifies the VM answers 404. Runs in two phases kept in `ctx.progress`:
 * a redelivery after the DELETE never sends it again.
 *
 * @example
 * JOBS['ecVm.delete'] = ecVmDeleteJob;
 */
export const ecVmDeleteJob: Job<'ecVm.delete', Data> = {
  action: 'ecVm.delete',
  async plan(ctx) {
    const progress = ctx.progress as Progress | undefined;
    if (progress?.phase === 'deleted') {
      return {
        calls: [
          {
            api: 'ztw',
            method: 'PUT',
            path: '/ecAdminActivateStatus/activate',
            operation: 'ecAdminActivateStatus.activate',
            write: true,
            note: 'once per tenant burst, after the quiet period; skipped when another job activated',
          },
          {
            api: 'ztw',
            method: 'GET',
            path: vmPath(progress.groupId, progress.vmId),
            operation: 'ecVm.get',
            write: false,
            note: 'verify 404',
          },
        ],
        resources: [
          {
            kind: 'ecVm',
            id: `${progress.groupId}/${progress.vmId}`,
            ...(progress.name ? { name: progress.name } : {}),
            effect: 'read',
          },
        ],
      };
    }
    const ztw = await ctx.ztw();
    const ref = ctx.request.vm;
    let found: { groupId: number; vm: EcVm } | undefined;
    const reads: PlannedCall[] = [];
    if (ref.by === 'id') {
      reads.push({
        api: 'ztw',
        method: 'GET',
        path: vmPath(ref.groupId, ref.vmId),
        operation: 'ecVm.get',
        write: false,
      });
      try {
        found = { groupId: ref.groupId, vm: await ztw.getVm(ref.groupId, ref.vmId) };
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    } else {
      reads.push({ api: 'ztw', method: 'GET', path: '/ecgroup', operation: 'ecGroup.list', write: false });
      found = await findByInstanceId(ztw, ref.instanceId);
    }
    if (!found) {
      return {
        calls: reads,
        resources: [],
        outcome: { status: 'succeeded', result: { alreadyGone: true, vm: ref } },
      };
    }
    const { groupId, vm } = found;
    const deletePath = ref.by === 'id' ? vmPath(groupId, vm.id) : `/ecVm/uuid/${ref.instanceId}`;
    return {
      calls: [
        {
          api: 'ztw',
          method: 'DELETE',
          path: deletePath,
          operation: ref.by === 'id' ? 'ecVm.delete' : 'ecVm.deleteByInstanceId',
          write: true,
        },
        {
          api: 'ztw',
          method: 'PUT',
          path: '/ecAdminActivateStatus/activate',
          operation: 'ecAdminActivateStatus.activate',
          write: true,
          note: 'once per tenant burst, after the quiet period',
        },
        {
          api: 'ztw',
          method: 'GET',
          path: vmPath(groupId, vm.id),
          operation: 'ecVm.get',
          write: false,
          note: 'verify 404',
        },
      ],
      resources: [
        {
          kind: 'ecVm',
          id: `${groupId}/${vm.id}`,
          ...(vm.name ? { name: vm.name } : {}),
          effect: 'delete',
          facts: {
            groupId,
            vmId: vm.id,
            ...(typeof vm.vmInstanceId === 'string' ? { instanceId: vm.vmInstanceId } : {}),
          },
        },
      ],
      data: { groupId, vmId: vm.id, ...(vm.name ? { name: vm.name } : {}) },
    };
  },
  async execute(ctx, plan) {
    const coalescer = new ActivationCoalescer(requireControl(ctx));
    const progress = ctx.progress as Progress | undefined;
    if (progress?.phase === 'deleted') return activateAndVerify(ctx, coalescer, progress);
    const data = plan.data as Data;
    const ztw = await ctx.ztw();
    const ref = ctx.request.vm;
    try {
      if (ref.by === 'id') await ztw.deleteVm(data.groupId, data.vmId);
      else await ztw.deleteVmByInstanceId(ref.instanceId);
    } catch (err) {
      // A VM deleted but not yet activated answers 404 to a second DELETE: it is deleted.
      if (!(err instanceof NotFoundError)) throw err;
    }
    const now = ctx.clock.now();
    const seq = await coalescer.noteDeletion(ctx.tenant.name, now);
    const next: Progress = {
      phase: 'deleted',
      groupId: data.groupId,
      vmId: data.vmId,
      seq,
      ...(data.name ? { name: data.name } : {}),
    };
    return ctx.defer(now + ctx.settings.activationQuietMs, 'awaiting the coalesced activation', { ...next });
  },
};

async function activateAndVerify(
  ctx: JobContext<'ecVm.delete'>,
  coalescer: ActivationCoalescer,
  p: Progress,
): Promise<JobOutcome> {
  const tenant = ctx.tenant.name;
  const owner = ctx.record.requestId;
  const step = await coalescer.next(tenant, p.seq, owner, ctx.clock.now(), ctx.settings.activationQuietMs);
  if (step.kind === 'wait') return ctx.defer(step.notBefore, step.why, { ...p });
  const ztw = await ctx.ztw();
  let activatedHere = false;
  if (step.kind === 'activate') {
    await ztw.activate();
    await coalescer.activated(tenant, owner, step.through);
    activatedHere = true;
    await ctx.note('state', { activation: 'done', through: step.through });
  }
  try {
    await ztw.getVm(p.groupId, p.vmId);
  } catch (err) {
    if (err instanceof NotFoundError) {
      return {
        status: 'succeeded',
        result: {
          deleted: `${p.groupId}/${p.vmId}`,
          ...(p.name ? { name: p.name } : {}),
          activatedHere,
          verified: true,
        },
      };
    }
    throw err;
  }
  return {
    status: 'failed',
    reason: `VM ${p.groupId}/${p.vmId} is still present after activation`,
    code: 'not-deleted',
  };
}

async function findByInstanceId(
  ztw: ZtwClient,
  instanceId: string,
): Promise<{ groupId: number; vm: EcVm } | undefined> {
  for await (const group of ztw.listEcGroups()) {
    const vm = group.ecVMs?.find((v) => v.vmInstanceId === instanceId);
    if (vm) return { groupId: group.id, vm };
  }
  return undefined;
}

function requireControl(ctx: Pick<JobContext, 'services'>) {
  const control = ctx.services.control;
  if (!control) throw new MissingServiceError('ecVm.delete needs the control store (services.control)');
  return control;
}
