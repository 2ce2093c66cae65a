import type { AuditEvent } from '../audit/events.ts';
import type { RequestRecord } from '../requests/request-record.ts';

/**
 * Told when a request settles (a final state, or HELD), after the state is written. Worker part 2
 * implements the ticket callbacks (ServiceNow work note, Jira comment, signed POST) with it. A
 * listener must never change the request's outcome: the run loop catches and logs what it throws,
 * and the listener audits its own attempts (`callback` events).
 *
 * @example
 * const listener: OutcomeListener = { async settled(record) { await notifyTicket(record); } };
 */
export interface OutcomeListener {
  settled(record: RequestRecord): Promise<void>;
  /**
   * Whether the request's audit trail shows this listener already acted on its settlement. A worker
   * killed after auditing the outcome but before telling the listeners leaves its message
   * unacknowledged; the redelivery asks this and tells the listeners that had not acted yet.
   * Listeners without it are told only with the settlement itself.
   */
  alreadyTold?(record: RequestRecord, trail: readonly AuditEvent[]): boolean;
}
