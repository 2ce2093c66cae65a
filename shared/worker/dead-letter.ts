import { RequestNotFoundError, StateConflictError } from '../requests/errors.ts';
import { parseJobMessage } from '../requests/job-message.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import { isFinal, statesLeadingTo } from '../requests/state-machine.ts';
import type { WorkerDeps } from './deps.ts';
import { notifySettled } from './notify.ts';

type DeadLetterDeps = Pick<WorkerDeps, 'store' | 'audit' | 'logger' | 'listeners' | 'metrics'>;

/**
 * Marks a request DEAD_LETTERED with `reason` and error `code` (audited, listeners told) unless it
 * already settled. Answers the request as it is afterwards.
 *
 * @example
 * await markDeadLettered(deps, requestId, 'crashed on every receive: TypeError ...');
 */
export async function markDeadLettered(
  deps: DeadLetterDeps,
  requestId: string,
  reason: string,
  /** `unexpected` when a job met an error that declares no disposition. */
  code: 'dead-lettered' | 'unexpected' = 'dead-lettered',
): Promise<RequestRecord> {
  const record = await deps.store.get(requestId);
  if (!record) throw new RequestNotFoundError(requestId);
  if (isFinal(record.state) || record.state === 'HELD') return record;
  let next: RequestRecord;
  try {
    next = await deps.store.transition(requestId, 'DEAD_LETTERED', {
      from: statesLeadingTo('DEAD_LETTERED').filter((s) => s === record.state),
      patch: { stateReason: 'dead-lettered', error: { message: reason, code } },
    });
  } catch (err) {
    if (err instanceof StateConflictError) return (await deps.store.get(requestId)) ?? record;
    throw err;
  }
  await deps.audit.append({
    requestId,
    type: 'dead-lettered',
    tenant: next.tenant,
    ticket: next.ticket,
    source: next.sourceName,
    action: next.action,
    detail: { reason, from: record.state },
  });
  await notifySettled(deps as WorkerDeps, next);
  return next;
}

/**
 * Handles one message drained from the DLQ: marks its request DEAD_LETTERED (a message that reached
 * the DLQ without the worker's final-receive marking, e.g. a Lambda timeout). Answers what it did.
 *
 * Redriving: a DLQ message is redriven by sending a NEW job message for the request only after an
 * operator decided to run it again — a DEAD_LETTERED request is final and its old message is
 * skipped, so a redrive creates a new request from the old one's canonical request (`zcops
 * redrive <requestId>` submits it with the original as `source.ref`), and the DLQ message is then
 * deleted. SQS's own "start DLQ redrive" moves messages back unchanged; the worker acknowledges
 * them as skipped (final request), so it is harmless but does nothing.
 *
 * @example
 * for (const m of dlqMessages) await drainDeadLetter(deps, m.Body!, 'reached the DLQ');
 */
export async function drainDeadLetter(
  deps: DeadLetterDeps,
  body: string,
  reason = 'the job message reached the dead-letter queue',
): Promise<{ requestId?: string; state?: RequestRecord['state']; error?: string }> {
  let requestId: string;
  try {
    requestId = parseJobMessage(body).requestId;
  } catch (err) {
    return { error: (err as Error).message };
  }
  try {
    const record = await markDeadLettered(deps, requestId, reason);
    return { requestId, state: record.state };
  } catch (err) {
    return { requestId, error: (err as Error).message };
  }
}
