import { SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from '../core/webhook-signature.ts';
import type { GenericCallback, JiraCallback, ServiceNowCallback } from './config.ts';
import { authorizationHeader, type CallbackAuth } from './credentials.ts';
import { TicketNotFoundError } from './errors.ts';
import type { HttpSend } from './http.ts';
import { type OutcomeMessage, outcomeText } from './message.ts';

/** What one delivery attempt needs. */
export interface DeliveryContext {
  send: HttpSend;
  auth: CallbackAuth;
  timeoutMs: number;
  nowMs: number;
}

/** What a delivered callback reports for the audit (no body, no credential). */
export interface Delivered {
  status: number;
  /** The ITSM's id of what was written or addressed (ServiceNow sys_id, Jira comment id). */
  ref?: string;
}

const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };

/** ServiceNow numbers (CHG0030001, RITM0010001): letters and digits only, so they cannot extend the encoded query. */
const SN_NUMBER = /^[A-Za-z]{2,8}\d{1,20}$/;
/** Jira issue keys (OPS-123) or numeric ids. */
const JIRA_KEY = /^([A-Z][A-Z0-9_]{0,49}-\d{1,12}|\d{1,18})$/;

/**
 * A ServiceNow work note through the Table API: finds the record's `sys_id` by its number
 * (`GET /api/now/table/<table>?sysparm_query=number=<ticket>`), then appends to its journal field
 * (`PATCH /api/now/table/<table>/<sys_id>` with `{"work_notes": "…"}`).
 *
 * @example
 * await deliverServiceNow(target, message, { send, auth, timeoutMs: 10_000, nowMs: Date.now() });
 */
export async function deliverServiceNow(
  target: ServiceNowCallback,
  message: OutcomeMessage,
  ctx: DeliveryContext,
): Promise<Delivered> {
  const ticket = message.ticket;
  if (!ticket || !SN_NUMBER.test(ticket)) {
    throw new TicketNotFoundError(`"${ticket ?? ''}" is not a ServiceNow record number`);
  }
  const base = `${target.instanceUrl.replace(/\/+$/, '')}/api/now/table/${target.table}`;
  const headers = { ...JSON_HEADERS, authorization: authorizationHeader(ctx.auth) };
  const query = new URLSearchParams({
    sysparm_query: `number=${ticket}`,
    sysparm_fields: 'sys_id',
    sysparm_limit: '1',
  });
  const found = await ctx.send({ method: 'GET', url: `${base}?${query}`, headers, timeoutMs: ctx.timeoutMs });
  const sysId = (found.json as { result?: { sys_id?: unknown }[] } | undefined)?.result?.[0]?.sys_id;
  if (typeof sysId !== 'string' || !/^[0-9a-f]{32}$/.test(sysId)) {
    throw new TicketNotFoundError(`${target.table} ${ticket} was not found`);
  }
  const patched = await ctx.send({
    method: 'PATCH',
    url: `${base}/${sysId}`,
    headers,
    body: JSON.stringify({ [target.field]: outcomeText(message) }),
    timeoutMs: ctx.timeoutMs,
  });
  return { status: patched.status, ref: sysId };
}

/** Atlassian Document Format: one paragraph per line. */
function adf(text: string): Record<string, unknown> {
  return {
    type: 'doc',
    version: 1,
    content: text.split('\n').map((line) => ({ type: 'paragraph', content: [{ type: 'text', text: line }] })),
  };
}

/**
 * A Jira comment: `POST /rest/api/<2|3>/issue/<key>/comment` (v3 body in Atlassian Document Format,
 * v2 plain text).
 *
 * @example
 * await deliverJira(target, message, ctx); // { status: 201, ref: '10010' }
 */
export async function deliverJira(
  target: JiraCallback,
  message: OutcomeMessage,
  ctx: DeliveryContext,
): Promise<Delivered> {
  const key = message.ticket;
  if (!key || !JIRA_KEY.test(key)) throw new TicketNotFoundError(`"${key ?? ''}" is not a Jira issue key`);
  const text = outcomeText(message);
  const answer = await ctx.send({
    method: 'POST',
    url: `${target.baseUrl.replace(/\/+$/, '')}/rest/api/${target.apiVersion}/issue/${encodeURIComponent(key)}/comment`,
    headers: { ...JSON_HEADERS, authorization: authorizationHeader(ctx.auth) },
    body: JSON.stringify({ body: target.apiVersion === '3' ? adf(text) : text }),
    timeoutMs: ctx.timeoutMs,
  });
  const id = (answer.json as { id?: unknown } | undefined)?.id;
  return { status: answer.status, ...(typeof id === 'string' ? { ref: id } : {}) };
}

/**
 * A signed POST of the outcome as JSON to a generic callback URL, signed as zcops' own webhooks
 * are: `X-Zcops-Timestamp` (epoch seconds) and `X-Zcops-Signature: sha256=<hex HMAC of "<ts>.<body>">`.
 *
 * @example
 * await deliverGeneric(target, message, { ...ctx, auth: { type: 'hmac', key } });
 */
export async function deliverGeneric(
  target: GenericCallback,
  message: OutcomeMessage,
  ctx: DeliveryContext,
): Promise<Delivered> {
  if (ctx.auth.type !== 'hmac') throw new TypeError('a generic callback signs with an HMAC key');
  const body = JSON.stringify({ type: 'zcops.request.settled', ...message });
  const timestamp = String(Math.floor(ctx.nowMs / 1000));
  const answer = await ctx.send({
    method: 'POST',
    url: target.url,
    headers: {
      ...JSON_HEADERS,
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: sign(ctx.auth.key, timestamp, body),
    },
    body,
    timeoutMs: ctx.timeoutMs,
  });
  return { status: answer.status };
}
