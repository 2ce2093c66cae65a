import * as z from 'zod';
import type { RequestState } from '../requests/state-machine.ts';
import { NotifyConfigError } from './errors.ts';

/**
 * Ticket callback settings: for an ITSM source (by its configured name), where its outcome goes
 * (ServiceNow work note, Jira comment, or a signed POST), which secret holds the credentials, and
 * how deliveries are retried. Part of the app config (`notify`).
 *
 * Secret shapes: ServiceNow `{"username","password"}` (basic) or `{"token"}` (OAuth bearer); Jira
 * `{"email","apiToken"}` (Cloud) or `{"token"}` (Data Center PAT); generic `{"hmac"}` or a plain string key.
 *
 * @example
 * const settings = parseNotifySettings({
 *   callbacks: [{ kind: 'servicenow', source: 'servicenow', instanceUrl: 'https://acme.service-now.com', secretName: 'zcops/itsm/servicenow' }],
 * });
 */

const sourceName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'source must be a configured source name');
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const ServiceNowCallbackSchema = z.strictObject({
  kind: z.literal('servicenow'),
  source: sourceName,
  /** `https://<instance>.service-now.com`. */
  instanceUrl: httpUrl,
  /** Table of the tickets (`change_request`, `sc_req_item`, `incident`, …). */
  table: z
    .string()
    .regex(/^[a-z0-9_]{1,80}$/, 'table must be a ServiceNow table name')
    .default('change_request'),
  /** Journal field written (`work_notes`, or `comments` for customer-visible notes). */
  field: z.enum(['work_notes', 'comments']).default('work_notes'),
  secretName: z.string().min(1),
});

export const JiraCallbackSchema = z.strictObject({
  kind: z.literal('jira'),
  source: sourceName,
  /** `https://<site>.atlassian.net` or the Data Center base URL. */
  baseUrl: httpUrl,
  /** REST API version: 3 (Cloud, Atlassian Document Format) or 2 (plain text, Cloud and Data Center). */
  apiVersion: z.enum(['2', '3']).default('3'),
  secretName: z.string().min(1),
});

export const GenericCallbackSchema = z.strictObject({
  kind: z.literal('generic'),
  source: sourceName,
  url: httpUrl,
  /** Secret holding the HMAC-SHA256 key the body is signed with. */
  secretName: z.string().min(1),
});

export const CallbackTargetSchema = z.discriminatedUnion('kind', [
  ServiceNowCallbackSchema,
  JiraCallbackSchema,
  GenericCallbackSchema,
]);
export type CallbackTarget = z.output<typeof CallbackTargetSchema>;
export type ServiceNowCallback = z.output<typeof ServiceNowCallbackSchema>;
export type JiraCallback = z.output<typeof JiraCallbackSchema>;
export type GenericCallback = z.output<typeof GenericCallbackSchema>;

export const CallbackRetrySchema = z.strictObject({
  /** Attempts per callback, first included. */
  attempts: z.int().min(1).max(10).default(4),
  /** Back-off base: attempt n waits a random time up to `baseDelayMs * 2^(n-1)` (full jitter). */
  baseDelayMs: z.int().min(0).max(60_000).default(500),
  maxDelayMs: z.int().min(0).max(300_000).default(10_000),
  /** Per attempt: connect, headers and body each within this. */
  timeoutMs: z.int().min(100).max(60_000).default(10_000),
});
export type CallbackRetry = z.output<typeof CallbackRetrySchema>;

/** The states a ticket can be told about: every final state, and HELD (waiting for approval). */
export const NOTIFY_STATES = [
  'SUCCEEDED',
  'FAILED',
  'REJECTED',
  'DEAD_LETTERED',
  'HELD',
] as const satisfies readonly RequestState[];

export const NotifySettingsSchema = z
  .strictObject({
    callbacks: z.array(CallbackTargetSchema).default([]),
    retry: CallbackRetrySchema.prefault({}),
    /** States that are told (final states and HELD by default). */
    notifyOn: z.array(z.enum(NOTIFY_STATES)).default([...NOTIFY_STATES]),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.callbacks.forEach((c, i) => {
      if (seen.has(c.source)) {
        ctx.addIssue({
          code: 'custom',
          path: ['callbacks', i, 'source'],
          message: `source "${c.source}" has two callbacks`,
        });
      }
      seen.add(c.source);
    });
  });
export type NotifySettings = z.output<typeof NotifySettingsSchema>;
export type NotifySettingsInput = z.input<typeof NotifySettingsSchema>;

/** Validates callback settings; throws `NotifyConfigError` naming every bad field. */
export function parseNotifySettings(input: unknown): NotifySettings {
  const parsed = NotifySettingsSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new NotifyConfigError(
    `invalid notify settings: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    issues,
  );
}
