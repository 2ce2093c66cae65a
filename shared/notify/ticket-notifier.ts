import type { AuditLog } from '../audit/audit-log.ts';
import type { AuditEvent } from '../audit/events.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import type { OutcomeListener } from '../jobs/outcome-listener.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import type { SecretSource } from '../secrets/secret-source.ts';
import { backoffMs } from './backoff.ts';
import { type Delivered, deliverGeneric, deliverJira, deliverServiceNow } from './channels.ts';
import type { CallbackTarget, NotifySettings } from './config.ts';
import { loadCallbackAuth } from './credentials.ts';
import { CallbackDeliveryError } from './errors.ts';
import { createHttpSend, type HttpSend } from './http.ts';
import { outcomeOf } from './message.ts';

export interface TicketNotifierOptions {
  settings: NotifySettings;
  secrets: SecretSource;
  audit: AuditLog;
  clock?: Clock;
  /** HTTP transport (default undici). */
  send?: HttpSend;
  /** Jitter source (tests). */
  random?: () => number;
  /** Where failures of the audit itself are reported (default console.error). */
  onAuditError?: (error: unknown) => void;
}

/** What a notification did, as audited. */
export interface NotifyReport {
  channel: CallbackTarget['kind'];
  ok: boolean;
  attempts: number;
  status?: number;
  ref?: string;
  error?: string;
}

/**
 * Tells an ITSM ticket how its request ended: a ServiceNow work note, a Jira comment or a signed
 * POST, chosen by the request's source. Runs when a request settles (final state or HELD); retries
 * with exponential back-off and full jitter on network errors, timeouts, 429 and 5xx (honouring
 * Retry-After); audits every outcome as a `callback` event. It never throws and never changes the
 * request: a failed callback is only audited.
 *
 * @example
 * const notifier = new TicketNotifier({ settings: parseNotifySettings(config.notify), secrets, audit });
 * await notifier.settled(record); // the worker's OutcomeListener
 */
export class TicketNotifier implements OutcomeListener {
  readonly #options: TicketNotifierOptions;
  readonly #clock: Clock;
  readonly #send: HttpSend;
  readonly #random: () => number;
  readonly #targets: Map<string, CallbackTarget>;

  constructor(options: TicketNotifierOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#send = options.send ?? createHttpSend();
    this.#random = options.random ?? Math.random;
    this.#targets = new Map(options.settings.callbacks.map((c) => [c.source, c]));
  }

  /** The callback a record would get, or undefined (not from ITSM, no callback, state not told). */
  targetFor(record: RequestRecord): CallbackTarget | undefined {
    if (record.sourceKind !== 'itsm') return undefined;
    if (!(this.#options.settings.notifyOn as readonly string[]).includes(record.state)) return undefined;
    return this.#targets.get(record.sourceName);
  }

  async settled(record: RequestRecord): Promise<void> {
    await this.notify(record);
  }

  /** Told already when nothing is to be sent, or a `callback` event for this state is in the trail. */
  alreadyTold(record: RequestRecord, trail: readonly AuditEvent[]): boolean {
    if (!this.targetFor(record)) return true;
    return trail.some((e) => e.type === 'callback' && e.detail?.state === record.state);
  }

  /** Sends the callback of `record` if it has one; answers what happened (undefined: nothing to send). */
  async notify(record: RequestRecord): Promise<NotifyReport | undefined> {
    const target = this.targetFor(record);
    if (!target) return undefined;
    let report: NotifyReport;
    try {
      report = await this.#deliver(target, record);
    } catch (error) {
      // Credentials or an unexpected failure: still only audited.
      report = { channel: target.kind, ok: false, attempts: 0, error: describe(error) };
    }
    try {
      await this.#options.audit.append({
        requestId: record.requestId,
        type: 'callback',
        tenant: record.tenant,
        ticket: record.ticket,
        source: record.sourceName,
        action: record.action,
        detail: { ...report, state: record.state },
      });
    } catch (error) {
      (this.#options.onAuditError ?? ((e) => console.error('callback audit failed', describe(e))))(error);
    }
    return report;
  }

  async #deliver(target: CallbackTarget, record: RequestRecord): Promise<NotifyReport> {
    const retry = this.#options.settings.retry;
    const auth = await loadCallbackAuth(this.#options.secrets, target.kind, target.secretName);
    const message = outcomeOf(record);
    let last: unknown;
    for (let attempt = 1; attempt <= retry.attempts; attempt++) {
      const ctx = { send: this.#send, auth, timeoutMs: retry.timeoutMs, nowMs: this.#clock.now() };
      try {
        let done: Delivered;
        if (target.kind === 'servicenow') done = await deliverServiceNow(target, message, ctx);
        else if (target.kind === 'jira') done = await deliverJira(target, message, ctx);
        else done = await deliverGeneric(target, message, ctx);
        return {
          channel: target.kind,
          ok: true,
          attempts: attempt,
          status: done.status,
          ...(done.ref ? { ref: done.ref } : {}),
        };
      } catch (error) {
        last = error;
        const retryable = error instanceof CallbackDeliveryError && error.retryable;
        if (!retryable || attempt === retry.attempts) {
          return {
            channel: target.kind,
            ok: false,
            attempts: attempt,
            ...(error instanceof CallbackDeliveryError && error.status !== undefined
              ? { status: error.status }
              : {}),
            error: describe(error),
          };
        }
        await this.#clock.sleep(backoffMs(retry, attempt, error.retryAfterMs, this.#random));
      }
    }
    return { channel: target.kind, ok: false, attempts: retry.attempts, error: describe(last) };
  }
}

/** An error's own message: ours never carry credentials or response bodies. */
function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return 'unknown error';
}
