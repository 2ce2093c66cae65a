import { randomUUID } from 'node:crypto';
import { issuesOf } from '../requests/issues.ts';
import type { Accept, AcceptanceDeps } from './acceptance.ts';
import { type EventOutcome, outcomeOf } from './event-outcome.ts';
import { auditBestEffort } from './rejection-audit.ts';
import { mapScheduleEvent, ScheduleEventSchema } from './schedule-event.ts';
import { resolveScheduleSource } from './source-resolution.ts';

/**
 * A schedule's event (EventBridge Scheduler, or a rule) into an `inventory.snapshot` request of the
 * schedule source, one per run (the event id is the idempotency key). An event no schedule source
 * takes is audited as rejected.
 *
 * @example
 * const outcome = await takeScheduleEvent(deps, accept, event);
 */
export async function takeScheduleEvent(
  deps: AcceptanceDeps,
  accept: Accept,
  event: unknown,
): Promise<EventOutcome> {
  const parsed = ScheduleEventSchema.safeParse(event);
  if (!parsed.success) {
    return { outcome: 'rejected', reason: 'malformed schedule event', issues: issuesOf(parsed.error) };
  }
  const policy = resolveScheduleSource(deps.config, parsed.data.detail.source);
  if (!policy) {
    const requestId = (deps.newId ?? randomUUID)();
    await auditBestEffort(deps, {
      requestId,
      type: 'rejected',
      tenant: parsed.data.detail.tenant,
      action: 'inventory.snapshot',
      detail: { reason: 'no-source', eventId: parsed.data.id },
    });
    return { outcome: 'rejected', requestId, reason: 'no schedule source is configured for this event' };
  }
  return outcomeOf(() =>
    accept(mapScheduleEvent(parsed.data), policy, {
      received: { event: 'schedule', eventId: parsed.data.id },
    }),
  );
}
