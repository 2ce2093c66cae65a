import type { ZcopsConfig } from '../infra/config.ts';
import type { AuditLog, AuditQueryOptions } from '../shared/audit/audit-log.ts';
import type { AuditEvent, AuditEventInput } from '../shared/audit/events.ts';
import { type CallbackTarget, parseNotifySettings } from '../shared/notify/config.ts';
import type { LocalSecrets } from './secrets.ts';
import type { ItsmStandIns } from './services/itsm-stand-ins.ts';

/** Secret name of a source's callback credentials in the local stack. */
export const callbackSecretName = (source: string): string => `zcops/itsm/${source}`;

/**
 * Points the ticket callbacks of every ITSM source at the local stand-ins: ServiceNow sources get a
 * work note on the ServiceNow stand-in, Jira sources a comment on the Jira stand-in, any other ITSM
 * source a signed POST to the generic one. Answers the configuration with `notify` filled in and the
 * callbacks' secrets (the credentials the stand-ins accept). A configuration that already has
 * callbacks is kept as it is (they are the operator's own).
 *
 * @example
 * const { config: withCallbacks, secrets } = standInCallbacks(config, await startItsmStandIns());
 */
export function standInCallbacks(
  config: ZcopsConfig,
  itsm: ItsmStandIns,
): { config: ZcopsConfig; secrets: LocalSecrets } {
  if (config.notify.callbacks.length > 0) return { config, secrets: {} };
  const callbacks: CallbackTarget[] = [];
  const secrets: LocalSecrets = {};
  for (const source of config.sources) {
    if (source.kind !== 'itsm') continue;
    const secretName = callbackSecretName(source.name);
    const system = source.itsm?.system;
    if (system === 'servicenow') {
      callbacks.push({
        kind: 'servicenow',
        source: source.name,
        instanceUrl: itsm.servicenow.url,
        table: 'change_request',
        field: 'work_notes',
        secretName,
      });
      secrets[secretName] = JSON.parse(itsm.credentials.servicenow) as Record<string, unknown>;
    } else if (system === 'jira') {
      callbacks.push({
        kind: 'jira',
        source: source.name,
        baseUrl: itsm.jira.url,
        apiVersion: '3',
        secretName,
      });
      secrets[secretName] = JSON.parse(itsm.credentials.jira) as Record<string, unknown>;
    } else {
      callbacks.push({ kind: 'generic', source: source.name, url: itsm.generic.url, secretName });
      secrets[secretName] = JSON.parse(itsm.credentials.generic) as Record<string, unknown>;
    }
  }
  // Loopback stand-ins answer at once: short retries keep a failing demo quick.
  const notify = parseNotifySettings({
    callbacks,
    retry: { baseDelayMs: 100, maxDelayMs: 1_000, timeoutMs: 5_000 },
  });
  return { config: { ...config, notify }, secrets };
}

/**
 * The local stack's view of the ITSM side, as an `AuditLog` decorator (every call passes through):
 * - a ticket the stack receives (`received` from an ITSM source) is created in its stand-in, as the
 *   real ServiceNow or Jira has the ticket that sent the webhook, so its callback finds it;
 * - each callback the worker makes (`callback`) is shown from the stand-in's side: the work note,
 *   comment or POST it actually received.
 *
 * @example
 * const audit = new ItsmStandInAuditLog(new ProgressAuditLog(inner, print), itsm, config, print);
 */
export class ItsmStandInAuditLog implements AuditLog {
  readonly #inner: AuditLog;
  readonly #itsm: ItsmStandIns;
  readonly #targets: Map<string, CallbackTarget>;
  readonly #print: (line: string) => void;
  readonly #opened = new Set<string>();

  constructor(inner: AuditLog, itsm: ItsmStandIns, config: ZcopsConfig, print: (line: string) => void) {
    this.#inner = inner;
    this.#itsm = itsm;
    this.#targets = new Map(config.notify.callbacks.map((c) => [c.source, c]));
    this.#print = print;
  }

  async append(event: AuditEventInput): Promise<AuditEvent> {
    const target = event.source ? this.#targets.get(event.source) : undefined;
    if (event.type === 'received' && target && event.ticket) this.#open(target, event.ticket);
    const stored = await this.#inner.append(event);
    if (event.type === 'callback' && target) {
      try {
        this.#print(this.#describe(target, stored));
      } catch {
        // Printing must never fail a write.
      }
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

  /** Creates the ticket in its stand-in once (a repeated webhook for the same ticket adds nothing). */
  #open(target: CallbackTarget, ticket: string): void {
    const key = `${target.source}/${ticket}`;
    if (this.#opened.has(key)) return;
    this.#opened.add(key);
    if (target.kind === 'servicenow') this.#itsm.servicenow.addRecord(target.table, ticket);
    else if (target.kind === 'jira') this.#itsm.jira.addIssue(ticket);
  }

  /** One line: what the stand-in received for this callback. */
  #describe(target: CallbackTarget, e: AuditEvent): string {
    const d = (e.detail ?? {}) as { ok?: boolean; error?: string; status?: number };
    const ticket = e.ticket ?? '?';
    if (d.ok !== true) {
      return `itsm stand-in: the ${target.kind} callback for ${ticket} failed (${d.error ?? `HTTP ${d.status ?? '?'}`})`;
    }
    if (target.kind === 'servicenow') {
      const note = this.#itsm.servicenow.notes(ticket).at(-1);
      return `itsm stand-in: ServiceNow ${target.table} ${ticket} got a ${note?.field ?? target.field} entry: ${firstLine(note?.value)}`;
    }
    if (target.kind === 'jira') {
      const comment = this.#itsm.jira.comments(ticket).at(-1);
      return `itsm stand-in: Jira ${ticket} got comment ${comment?.id ?? '?'}: ${firstLine(comment?.text)}`;
    }
    const delivery = this.#itsm.generic.deliveries.at(-1);
    return `itsm stand-in: generic callback for ${ticket} received (signature ${delivery?.signatureValid ? 'valid' : 'INVALID'})`;
  }
}

function firstLine(text: string | undefined): string {
  return text === undefined ? '(nothing)' : `"${text.split('\n')[0]}"`;
}
