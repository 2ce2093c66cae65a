import * as z from 'zod';
import { ACTIONS, NAME_PATTERN } from './actions.ts';
import { JobMessageError } from './errors.ts';
import { issuesOf } from './issues.ts';
import { REQUEST_ID_PATTERN } from './keys.ts';

/**
 * The SQS job message: small on purpose. The worker loads the request from the requests table by
 * `requestId`; the other fields serve logs, metrics and routing without a read.
 *
 * @example
 * const body = serializeJobMessage({ v: 1, requestId, tenant: 'acme', action: 'appConnector.delete',
 *   enqueuedAt: new Date().toISOString(), deferrals: 0 });
 */
export const JobMessageSchema = z.strictObject({
  v: z.literal(1),
  requestId: z.string().regex(REQUEST_ID_PATTERN, 'requestId must be a UUID'),
  tenant: z.string().regex(NAME_PATTERN, 'tenant must be a tenant name'),
  action: z.enum(ACTIONS),
  /** ISO time this message was sent. */
  enqueuedAt: z.iso.datetime({ offset: true }),
  /** How many times the job was handed back with a delay (the worker increments it). */
  deferrals: z.int().min(0),
});
export type JobMessage = z.output<typeof JobMessageSchema>;

export function serializeJobMessage(message: JobMessage): string {
  return JSON.stringify(JobMessageSchema.parse(message));
}

/** Parses an SQS body; throws `JobMessageError` (the record cannot be processed at all). */
export function parseJobMessage(body: string): JobMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new JobMessageError([{ path: '(root)', message: 'body is not JSON' }]);
  }
  const parsed = JobMessageSchema.safeParse(raw);
  if (!parsed.success) throw new JobMessageError(issuesOf(parsed.error));
  return parsed.data;
}
