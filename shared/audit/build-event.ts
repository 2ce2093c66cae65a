import { randomUUID } from 'node:crypto';
import type { AuditEvent, AuditEventInput } from './events.ts';
import { redact, redactString } from './redact.ts';

let sequence = 0;

/**
 * The stored form of an event: redacted detail and strings, a fresh id, and a sort key that orders
 * a request's events by time (and by write order within one process and millisecond).
 */
export function buildAuditEvent(input: AuditEventInput, nowMs: number): AuditEvent {
  const at = new Date(nowMs).toISOString();
  const eventId = randomUUID();
  sequence = (sequence + 1) % 1_000_000;
  const opt = (v: string | undefined) => (v === undefined || v === '' ? undefined : redactString(v));
  const event: AuditEvent = {
    requestId: input.requestId,
    type: input.type,
    sk: `${at}#${String(sequence).padStart(6, '0')}#${eventId.slice(0, 8)}`,
    eventId,
    at,
  };
  const tenant = opt(input.tenant);
  const ticket = opt(input.ticket);
  const resource = opt(input.resource);
  const action = opt(input.action);
  const source = opt(input.source);
  if (tenant) event.tenant = tenant;
  if (ticket) event.ticket = ticket;
  if (resource) event.resource = resource;
  if (action) event.action = action;
  if (source) event.source = source;
  if (input.detail) event.detail = redact(input.detail);
  return event;
}
