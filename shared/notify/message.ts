import type { RequestRecord } from '../requests/request-record.ts';

/** What a ticket is told about a request's outcome. */
export interface OutcomeMessage {
  requestId: string;
  tenant: string;
  action: string;
  state: string;
  ticket?: string;
  source: string;
  /** Why it ended so (failure reason, held reason, rejection); absent on plain success. */
  reason?: string;
  result?: Record<string, unknown>;
  at: string;
}

const MAX_RESULT_CHARS = 1500;

/** The outcome of a settled request, as every channel sends it. */
export function outcomeOf(record: RequestRecord): OutcomeMessage {
  const reason = record.error?.message ?? record.stateReason;
  return {
    requestId: record.requestId,
    tenant: record.tenant,
    action: record.action,
    state: record.state,
    ...(record.ticket === undefined ? {} : { ticket: record.ticket }),
    source: record.sourceName,
    ...(reason === undefined ? {} : { reason }),
    ...(record.result === undefined ? {} : { result: record.result }),
    at: record.updatedAt,
  };
}

const HEADLINE: Record<string, string> = {
  SUCCEEDED: 'completed',
  FAILED: 'failed',
  REJECTED: 'was rejected',
  DEAD_LETTERED: 'could not be processed (dead-lettered)',
  HELD: 'is held for approval',
};

/**
 * The human text of a work note or comment: a headline, the request, and the reason or result.
 *
 * @example
 * outcomeText(outcomeOf(record)).split('\n')[0]; // 'zcops: appConnector.delete completed (SUCCEEDED)'
 */
export function outcomeText(m: OutcomeMessage): string {
  const lines = [
    `zcops: ${m.action} ${HEADLINE[m.state] ?? m.state.toLowerCase()} (${m.state})`,
    `Request: ${m.requestId}`,
    `Tenant: ${m.tenant}`,
  ];
  if (m.reason) lines.push(`Reason: ${m.reason}`);
  if (m.result && Object.keys(m.result).length > 0) {
    let result = JSON.stringify(m.result);
    if (result.length > MAX_RESULT_CHARS) result = `${result.slice(0, MAX_RESULT_CHARS)}…`;
    lines.push(`Result: ${result}`);
  }
  lines.push(`At: ${m.at}`);
  return lines.join('\n');
}
