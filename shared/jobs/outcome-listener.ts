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
}
