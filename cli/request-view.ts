import { describeEvent } from '../local/progress-log.ts';
import type { AuditLog } from '../shared/audit/audit-log.ts';
import type { AuditEvent } from '../shared/audit/events.ts';
import type { RequestRecord } from '../shared/requests/request-record.ts';
import type { RequestStore } from '../shared/requests/request-store.ts';
import { requestView } from '../shared/requests/request-view.ts';
import { FINAL_STATES, type RequestState } from '../shared/requests/state-machine.ts';
import { EXIT } from './exit-codes.ts';
import { renderFields, renderTable } from './table.ts';

/** States after which a request will not change again (HELD waits for an operator). */
export const SETTLED_STATES: readonly RequestState[] = [...FINAL_STATES, 'HELD'];

/** The exit code a request's state maps onto: 4 for FAILED/REJECTED/DEAD_LETTERED, else 0. */
export function exitCodeOf(state: RequestState): number {
  return state === 'FAILED' || state === 'REJECTED' || state === 'DEAD_LETTERED'
    ? EXIT.requestFailed
    : EXIT.ok;
}

/** A request as `status --json` shows it (the canonical request redacted). */
export function requestJson(record: RequestRecord, trail?: readonly AuditEvent[]): Record<string, unknown> {
  return { ...requestView(record), ...(trail ? { audit: trail.map(auditJson) } : {}) };
}

export function auditJson(e: AuditEvent): Record<string, unknown> {
  return {
    at: e.at,
    requestId: e.requestId,
    type: e.type,
    ...(e.tenant ? { tenant: e.tenant } : {}),
    ...(e.ticket ? { ticket: e.ticket } : {}),
    ...(e.resource ? { resource: e.resource } : {}),
    ...(e.action ? { action: e.action } : {}),
    ...(e.source ? { source: e.source } : {}),
    ...(e.detail ? { detail: e.detail } : {}),
  };
}

/** A request for people: its fields, then its audit trail as a table. */
export function renderRequest(record: RequestRecord, trail: readonly AuditEvent[]): string {
  const fields = renderFields([
    ['request', record.requestId],
    ['state', `${record.state}${record.stateReason ? ` (${record.stateReason})` : ''}`],
    ['action', record.action],
    ['tenant', record.tenant],
    ['target', record.target],
    ['ticket', record.ticket],
    ['source', `${record.sourceName} (${record.sourceKind})`],
    ['dry run', record.request.dryRun === true ? 'yes' : undefined],
    ['attempts', record.attempts],
    ['deferrals', record.deferrals || undefined],
    ['not before', record.notBefore],
    ['created', record.createdAt],
    ['updated', record.updatedAt],
    ['result', record.result],
    [
      'error',
      record.error
        ? `${record.error.message}${record.error.code ? ` [${record.error.code}]` : ''}`
        : undefined,
    ],
  ]);
  return `${fields}\n${renderTrail(trail)}`;
}

/** An audit trail as a table (time, request, event, what it says). */
export function renderTrail(trail: readonly AuditEvent[], withRequest = false): string {
  if (trail.length === 0) return '(no audit events)\n';
  return renderTable(
    trail.map((e) => ({
      time: e.at.replace('T', ' ').slice(0, 23),
      request: e.requestId.slice(0, 8),
      event: describeEvent(e),
    })),
    withRequest ? ['time', 'request', 'event'] : ['time', 'event'],
    { maxWidth: 100 },
  );
}

/** Reads a request and its trail. */
export async function loadRequest(
  store: RequestStore,
  audit: AuditLog,
  requestId: string,
): Promise<{ record: RequestRecord; trail: AuditEvent[] } | undefined> {
  const record = await store.get(requestId);
  if (!record) return undefined;
  return { record, trail: await audit.byRequest(requestId) };
}

/**
 * Polls a request until it settles (final or HELD), `timeoutMs` passes or `signal` aborts.
 * `onPoll` sees every read (progress bars). Answers the last record read.
 */
export async function waitForSettled(
  store: RequestStore,
  requestId: string,
  options: {
    timeoutMs: number;
    intervalMs?: number;
    signal?: AbortSignal;
    onPoll?: (r: RequestRecord) => Promise<void> | void;
  },
): Promise<{ record: RequestRecord | undefined; settled: boolean }> {
  const deadline = Date.now() + options.timeoutMs;
  let record: RequestRecord | undefined;
  for (;;) {
    record = await store.get(requestId);
    if (record) await options.onPoll?.(record);
    if (record && SETTLED_STATES.includes(record.state)) return { record, settled: true };
    if (Date.now() >= deadline || options.signal?.aborted) return { record, settled: false };
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
  }
}
