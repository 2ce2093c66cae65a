import type { AuditLog, AuditQueryOptions } from '../shared/audit/audit-log.ts';
import type { AuditEvent, AuditEventInput } from '../shared/audit/events.ts';

/**
 * The local stack's readable progress: an `AuditLog` decorator that passes every call through and
 * prints one line per appended event (after redaction, since it prints what was stored), e.g.
 * `3f2a9c1e appConnectorGroup.create acme · zscaler POST /appConnectorGroup → 201 (34 ms)`.
 * Same port, same adapter underneath: the domain does not know it is watched.
 *
 * @example
 * const audit = new ProgressAuditLog(new DynamoAuditLog(doc, table), (line) => console.log(line));
 */
export class ProgressAuditLog implements AuditLog {
  readonly #inner: AuditLog;
  readonly #print: (line: string) => void;

  constructor(inner: AuditLog, print: (line: string) => void) {
    this.#inner = inner;
    this.#print = print;
  }

  async append(event: AuditEventInput): Promise<AuditEvent> {
    const stored = await this.#inner.append(event);
    try {
      this.#print(formatAuditLine(stored, { time: false }));
    } catch {
      // Printing must never fail a write.
    }
    return stored;
  }

  byRequest(requestId: string, options?: AuditQueryOptions): Promise<AuditEvent[]> {
    return this.#inner.byRequest(requestId, options);
  }
  byTicket(ticket: string, options?: AuditQueryOptions): Promise<AuditEvent[]> {
    return this.#inner.byTicket(ticket, options);
  }
  byResource(resource: string, options?: AuditQueryOptions): Promise<AuditEvent[]> {
    return this.#inner.byResource(resource, options);
  }
}

/** One readable line for an audit event (time, short request id, action, tenant, what happened). */
export function formatAuditLine(e: AuditEvent, options: { time?: boolean } = {}): string {
  const time = options.time === false ? '' : e.at.slice(11, 19);
  const id = e.requestId.slice(0, 8);
  const head = [time, id, e.action ?? '', e.tenant ?? ''].filter(Boolean).join(' ');
  return `${head} · ${describeEvent(e)}`;
}

/** What an audit event says, in a few words. */
export function describeEvent(e: Pick<AuditEvent, 'type' | 'detail' | 'resource' | 'ticket'>): string {
  const d = (e.detail ?? {}) as Record<string, unknown>;
  const str = (v: unknown) =>
    v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  switch (e.type) {
    case 'received':
      return `received${e.ticket ? ` (ticket ${e.ticket})` : ''}${d.route ? ` via ${str(d.route)}` : ''}`;
    case 'zscaler.call': {
      const wait =
        typeof d.limiterWaitMs === 'number' && d.limiterWaitMs > 0 ? `, waited ${d.limiterWaitMs} ms` : '';
      const latency = d.latencyMs !== undefined ? ` (${str(d.latencyMs)} ms${wait})` : '';
      return `zscaler ${str(d.method)} ${str(d.path)} → ${str(d.status ?? d.error ?? '?')}${latency}`;
    }
    case 'state':
      return `state ${str(d.from)} → ${str(d.to)}${d.reason ? ` (${str(d.reason)})` : ''}`;
    case 'rejected':
      return `rejected: ${str(d.reason)}${d.message ? ` — ${str(d.message)}` : ''}${
        Array.isArray(d.issues)
          ? ` — ${(d.issues as { path?: string; message?: string }[]).map((i) => `${i.path}: ${i.message}`).join('; ')}`
          : ''
      }`;
    case 'failed':
      return `FAILED: ${str(d.reason ?? d.message ?? d.error)}`;
    case 'deferred':
      return `deferred until ${str(d.notBefore)}${d.reason ? ` (${str(d.reason)})` : ''}`;
    case 'planned': {
      const calls = Array.isArray(d.calls) ? (d.calls as { method?: string; path?: string }[]) : [];
      return `planned ${calls.length} call(s)${calls.length ? `: ${calls.map((c) => `${c.method} ${c.path}`).join(', ')}` : ''}`;
    }
    case 'succeeded':
      return `SUCCEEDED${d.result ? ` ${str(d.result)}` : ''}`;
    default: {
      const extra = e.resource ? ` ${e.resource}` : '';
      const keys = Object.keys(d).filter((k) => k !== 'issues');
      const brief =
        keys.length > 0 ? ` ${str(Object.fromEntries(keys.slice(0, 4).map((k) => [k, d[k]])))}` : '';
      return `${e.type}${extra}${brief.length > 160 ? `${brief.slice(0, 157)}…` : brief}`;
    }
  }
}
