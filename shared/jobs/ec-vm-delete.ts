import type { VmRef } from '../requests/request.ts';
import { NotFoundError } from '../zscaler/errors.ts';
import type { EcVm } from '../zscaler/schemas/ztw.ts';
import { activationPhase } from '../zscaler/ztw/activation-phase.ts';
import type { ZtwClient } from '../zscaler/ztw/client.ts';
import { ActivationCoalescer } from './activation-coalescer.ts';
import { MissingServiceError } from './errors.ts';
import type { Job, JobContext, JobOutcome, PlannedCall } from './job.ts';

/** What the job keeps between its runs (`ctx.progress`). */
interface Progress extends Record<string, unknown> {
  phase: 'deleted';
  /** The VM as the request named it: by group + VM id, or by the cloud instance id. */
  vm: VmRef;
  /** Zscaler's VM id (both forms), for the result. */
  vmId: number;
  /** The deletion's sequence in the tenant's activation marker. */
  seq: number;
  name?: string;
  /** Reads that still found the VM after its activation was reported done. */
  stillPresent?: number;
}

/** The form progress had before the request named its VM in it (`groupId`/`vmId` only). */
interface OlderProgress {
  phase: 'deleted';
  groupId: number;
  vmId: number;
  seq: number;
  name?: string;
}

interface Data {
  vmId: number;
  name?: string;
}

/** Reads that find the VM present after an activation reported done, before the job says so. */
const MAX_STILL_PRESENT = 3;

const vmPath = (g: number, v: number) => `/ecgroup/${g}/vm/${v}`;
const uuidPath = (instanceId: string) => `/ecVm/uuid/${instanceId}`;
const pathOf = (ref: VmRef) => (ref.by === 'id' ? vmPath(ref.groupId, ref.vmId) : uuidPath(ref.instanceId));
const labelOf = (ref: VmRef) => (ref.by === 'id' ? `${ref.groupId}/${ref.vmId}` : ref.instanceId);

function readCall(ref: VmRef, note?: string): PlannedCall {
  return {
    api: 'ztw',
    method: 'GET',
    path: pathOf(ref),
    operation: ref.by === 'id' ? 'ecVm.get' : 'ecVm.getByInstanceId',
    write: false,
    ...(note ? { note } : {}),
  };
}

/**
 * The authoritative read of the VM: `GET /ecgroup/{id}/vm/{vmid}`, or for an instance id
 * `GET /ecVm/uuid/{vmInstanceId}` (listings carry no instance ids, so they are never searched).
 * Undefined only on 404: the VM is known absent. Anything else is thrown and classified.
 */
async function readVm(ztw: ZtwClient, ref: VmRef): Promise<EcVm | undefined> {
  try {
    return ref.by === 'id'
      ? await ztw.getVm(ref.groupId, ref.vmId)
      : await ztw.getVmByInstanceId(ref.instanceId);
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/**
 * `ecVm.delete`: deletes a Cloud or Branch Connector VM (by group + VM id, or by the cloud instance
 * id through `/ecVm/uuid`), then has the tenant's one coalesced activation applied after the burst of
 * deletions, follows it through `GET /ecAdminActivateStatus` until Zscaler reports it done or failed
 * (in-process while short, handed back to the queue while long), and reads the VM back: SUCCEEDED
 * only once it answers 404. Nothing is concluded from a read made while the activation is queued
 * or running. Runs in phases kept in `ctx.progress`: a redelivery after the DELETE never sends it again.
 *
 * @example
 * JOBS['ecVm.delete'] = ecVmDeleteJob;
 */
export const ecVmDeleteJob: Job<'ecVm.delete', Data> = {
  action: 'ecVm.delete',
  async plan(ctx) {
    const progress = progressOf(ctx.progress);
    if (progress) {
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
            path: '/ecAdminActivateStatus',
            operation: 'ecAdminActivateStatus.get',
            write: false,
            note: 'until ADM_ACTV_DONE or ADM_ACTV_FAIL',
          },
          readCall(progress.vm, 'verify 404'),
        ],
        resources: [
          {
            kind: 'ecVm',
            id: labelOf(progress.vm),
            ...(progress.name ? { name: progress.name } : {}),
            effect: 'read',
          },
        ],
      };
    }
    const ztw = await ctx.ztw();
    const ref = ctx.request.vm;
    const vm = await readVm(ztw, ref);
    if (!vm) {
      // 404 from the authoritative read: the VM is known absent.
      return {
        calls: [readCall(ref)],
        resources: [],
        outcome: { status: 'succeeded', result: { alreadyGone: true, vm: ref, verified: true } },
      };
    }
    return {
      calls: [
        {
          api: 'ztw',
          method: 'DELETE',
          path: pathOf(ref),
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
          path: '/ecAdminActivateStatus',
          operation: 'ecAdminActivateStatus.get',
          write: false,
          note: 'until ADM_ACTV_DONE or ADM_ACTV_FAIL',
        },
        readCall(ref, 'verify 404'),
      ],
      resources: [
        {
          kind: 'ecVm',
          id: labelOf(ref),
          ...(vm.name ? { name: vm.name } : {}),
          effect: 'delete',
          facts: {
            vmId: vm.id,
            ...(ref.by === 'id' ? { groupId: ref.groupId } : { instanceId: ref.instanceId }),
          },
        },
      ],
      data: { vmId: vm.id, ...(vm.name ? { name: vm.name } : {}) },
    };
  },
  async execute(ctx, plan) {
    const coalescer = new ActivationCoalescer(requireControl(ctx));
    const progress = progressOf(ctx.progress);
    if (progress) return afterDeletion(ctx, coalescer, progress);
    const data = plan.data as Data;
    const ztw = await ctx.ztw();
    const ref = ctx.request.vm;
    try {
      if (ref.by === 'id') await ztw.deleteVm(ref.groupId, ref.vmId);
      else await ztw.deleteVmByInstanceId(ref.instanceId);
    } catch (err) {
      // A VM deleted but not yet activated answers 404 to a second DELETE: the activation and the
      // read back decide, never this answer.
      if (!(err instanceof NotFoundError)) throw err;
    }
    const now = ctx.clock.now();
    const seq = await coalescer.noteDeletion(ctx.tenant.name, now);
    const next: Progress = {
      phase: 'deleted',
      vm: ref,
      vmId: data.vmId,
      seq,
      ...(data.name ? { name: data.name } : {}),
    };
    return ctx.defer(now + ctx.settings.activationQuietMs, 'awaiting the coalesced activation', next);
  },
};

function progressOf(raw: Record<string, unknown> | undefined): Progress | undefined {
  if (raw?.phase !== 'deleted') return undefined;
  if (raw.vm) return raw as Progress;
  const old = raw as unknown as OlderProgress;
  return {
    phase: 'deleted',
    vm: { by: 'id', groupId: old.groupId, vmId: old.vmId },
    vmId: old.vmId,
    seq: old.seq,
    ...(old.name ? { name: old.name } : {}),
  };
}

/** After the DELETE: the coalesced activation (claimed, followed or awaited), then the read back. */
async function afterDeletion(
  ctx: JobContext<'ecVm.delete'>,
  coalescer: ActivationCoalescer,
  p: Progress,
): Promise<JobOutcome> {
  const tenant = ctx.tenant.name;
  const owner = ctx.record.requestId;
  const step = await coalescer.next(tenant, p.seq, owner, ctx.clock.now(), ctx.settings.activationQuietMs);
  switch (step.kind) {
    case 'wait':
      return ctx.defer(step.notBefore, step.why, p);
    case 'activated':
      return verify(ctx, p, { kind: 'done' });
    case 'failed':
      return verify(ctx, p, { kind: 'failed', detail: step.detail });
    case 'follow':
      return follow(ctx, coalescer, p, step.through, undefined);
    case 'activate': {
      const ztw = await ctx.ztw();
      const answer = await ztw.activate();
      await coalescer.sent(tenant, owner, ctx.clock.now());
      await ctx.note('state', {
        activation: 'requested',
        through: step.through,
        ...(answer?.adminActivateStatus ? { adminActivateStatus: answer.adminActivateStatus } : {}),
      });
      return follow(ctx, coalescer, p, step.through, answer?.adminActivateStatus);
    }
  }
}

/**
 * Follows the activation this job asked for until Zscaler reports it done or failed: polls
 * `GET /ecAdminActivateStatus` (its own budget, 10/s) for up to `activationWaitMs`, then hands the
 * job back to the queue to look again. A status that says nothing about it (the session is new,
 * another admin edited since) sends it to the VM itself: gone means applied; still there means the
 * activation is not seen, and the claim is given up so that the next run activates again.
 */
async function follow(
  ctx: JobContext<'ecVm.delete'>,
  coalescer: ActivationCoalescer,
  p: Progress,
  through: number,
  first: string | undefined,
): Promise<JobOutcome> {
  const tenant = ctx.tenant.name;
  const owner = ctx.record.requestId;
  const ztw = await ctx.ztw();
  const waitMs = ctx.settings.activationWaitMs;
  const stepMs = Math.min(1_000, Math.max(50, Math.round(waitMs / 10)));
  const deadline = ctx.clock.now() + waitMs;
  let status = first;
  let polled = false;
  for (;;) {
    if (status === undefined && !polled) {
      status = (await ztw.activationStatus()).adminActivateStatus;
      polled = true;
    }
    const phase = activationPhase(status);
    if (phase === 'done') {
      await coalescer.activated(tenant, owner, through);
      await ctx.note('state', { activation: 'done', through });
      return verify(ctx, p, { kind: 'done' });
    }
    if (phase === 'failed') {
      const detail = `Zscaler reported ${status}`;
      await coalescer.failed(tenant, owner, through, detail);
      await ctx.note('state', { activation: 'failed', through, adminActivateStatus: status });
      return verify(ctx, p, { kind: 'failed', detail });
    }
    if (phase === 'unknown') {
      // The status does not describe this activation: the VM itself says whether it was applied.
      const vm = await readVm(ztw, p.vm);
      if (!vm) {
        await coalescer.activated(tenant, owner, through);
        return succeeded(p);
      }
      await coalescer.release(tenant, owner);
      // Not at once: the VM may just not read 404 yet; each new activation spends the 1/s budget.
      return ctx.defer(
        ctx.clock.now() + Math.max(stepMs, waitMs),
        `DELETE of VM ${labelOf(p.vm)} accepted; its activation is not seen (status ${status ?? 'none'}): activating again`,
        p,
      );
    }
    // Queued or running: wait, in-process while the run may, else from the queue.
    const now = ctx.clock.now();
    if (now + stepMs > deadline) {
      return ctx.defer(
        now + Math.max(stepMs, waitMs),
        `DELETE of VM ${labelOf(p.vm)} accepted; activation ${status} (checking again)`,
        p,
      );
    }
    await ctx.clock.sleep(stepMs);
    status = (await ztw.activationStatus()).adminActivateStatus;
    polled = true;
  }
}

/** Reads the VM back once its activation ended; only a 404 makes the request SUCCEEDED. */
async function verify(
  ctx: JobContext<'ecVm.delete'>,
  p: Progress,
  activation: { kind: 'done' } | { kind: 'failed'; detail: string },
): Promise<JobOutcome> {
  const ztw = await ctx.ztw();
  const vm = await readVm(ztw, p.vm);
  if (!vm) return succeeded(p);
  const label = labelOf(p.vm);
  if (activation.kind === 'failed') {
    return {
      status: 'failed',
      reason: `DELETE of VM ${label} accepted, activation failed (${activation.detail}): the VM is still present and its deletion is pending in Zscaler until the next activation`,
      code: 'activation-failed',
      result: { deleteAccepted: true, vm: p.vm, vmId: p.vmId, activation: 'failed', verified: false },
    };
  }
  // Reported done, yet present: never concluded from a read while an activation is under way.
  const phase = activationPhase((await ztw.activationStatus()).adminActivateStatus);
  if (phase === 'pending')
    return ctx.defer(ctx.clock.now() + ctx.settings.activationWaitMs, 'activation under way', p);
  const stillPresent = (p.stillPresent ?? 0) + 1;
  if (stillPresent < MAX_STILL_PRESENT) {
    return ctx.defer(
      ctx.clock.now() + ctx.settings.activationWaitMs,
      `DELETE of VM ${label} accepted and activated, VM still present (read ${stillPresent}); checking again`,
      { ...p, stillPresent },
    );
  }
  return {
    status: 'failed',
    reason: `DELETE of VM ${label} accepted and its activation reported done, but the VM was still present on ${stillPresent} reads`,
    code: 'not-deleted',
    result: { deleteAccepted: true, vm: p.vm, vmId: p.vmId, activation: 'done', verified: false },
  };
}

function succeeded(p: Progress): JobOutcome {
  return {
    status: 'succeeded',
    result: {
      deleted: labelOf(p.vm),
      vmId: p.vmId,
      ...(p.name ? { name: p.name } : {}),
      verified: true,
    },
  };
}

function requireControl(ctx: Pick<JobContext, 'services'>) {
  const control = ctx.services.control;
  if (!control) throw new MissingServiceError('ecVm.delete needs the control store (services.control)');
  return control;
}
