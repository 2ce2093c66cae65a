import { type Clock, systemClock } from '../core/clock.ts';
import type { AuditLog, AuditQueryOptions } from './audit-log.ts';
import { buildAuditEvent } from './build-event.ts';
import type { AuditEvent, AuditEventInput } from './events.ts';

/**
 * The audit trail in memory (unit tests, fuzzing). Same redaction and ordering as the DynamoDB
 * adapter; `events` exposes everything written, in write order.
 */
export class MemoryAuditLog implements AuditLog {
  readonly events: AuditEvent[] = [];
  readonly #clock: Clock;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  async append(input: AuditEventInput): Promise<AuditEvent> {
    const event = buildAuditEvent(input, this.#clock.now());
    this.events.push(structuredClone(event));
    return event;
  }

  async byRequest(requestId: string, options?: AuditQueryOptions): Promise<AuditEvent[]> {
    return this.#select((e) => e.requestId === requestId, options);
  }

  async byTicket(ticket: string, options?: AuditQueryOptions): Promise<AuditEvent[]> {
    return this.#select((e) => e.ticket === ticket, options);
  }

  async byResource(resource: string, options?: AuditQueryOptions): Promise<AuditEvent[]> {
    return this.#select((e) => e.resource === resource, options);
  }

  #select(match: (e: AuditEvent) => boolean, options: AuditQueryOptions = {}): AuditEvent[] {
    return this.events
      .filter(match)
      .sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0))
      .slice(0, options.limit ?? 1000)
      .map((e) => structuredClone(e));
  }
}
