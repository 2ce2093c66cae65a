import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../core/clock.ts';
import type { JobQueue } from '../requests/job-queue.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import type { RequestStore } from '../requests/request-store.ts';
import type { ControlStore } from './control-store.ts';
import { DeletionCap } from './deletion-cap.ts';
import { NotHeldError } from './errors.ts';

export interface ApproveDeps {
  store: RequestStore;
  audit: AuditLog;
  queue: JobQueue;
  control: ControlStore;
  clock: Clock;
}

/**
 * An operator approves a HELD request: it is admitted past the deletion cap, moved HELD → QUEUED,
 * audited (`approved`), and its job is sent again. Throws `NotHeldError` unless it is HELD.
 *
 * @example
 * await approve(deps, requestId, { by: 'alice' });
 */
export async function approve(
  deps: ApproveDeps,
  requestId: string,
  options: { by: string; note?: string },
): Promise<RequestRecord> {
  const record = await deps.store.get(requestId);
  const now = deps.clock.now();
  // An approval whose send failed left the request QUEUED: approving again only sends again.
  const resend = record?.state === 'QUEUED' && record.stateReason?.startsWith('approved by ') === true;
  if (!record || (record.state !== 'HELD' && !resend)) throw new NotHeldError(requestId, record?.state);
  await new DeletionCap(deps.control).approve(requestId, options.by, now);
  const next = resend
    ? record
    : await deps.store.transition(requestId, 'QUEUED', {
        from: 'HELD',
        patch: { stateReason: `approved by ${options.by}` },
      });
  if (!resend)
    await deps.audit.append({
      requestId,
      type: 'approved',
      tenant: record.tenant,
      ticket: record.ticket,
      source: record.sourceName,
      action: record.action,
      detail: {
        by: options.by,
        ...(options.note ? { note: options.note } : {}),
        heldFor: record.stateReason,
      },
    });
  // A failed send leaves it QUEUED with no message: the error reaches the operator, who approves again.
  await deps.queue.send({
    v: 1,
    requestId,
    tenant: record.tenant,
    action: record.action,
    enqueuedAt: new Date(now).toISOString(),
    deferrals: record.deferrals,
  });
  return next;
}
