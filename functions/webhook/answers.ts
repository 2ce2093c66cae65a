import * as z from 'zod';
import { AUDIT_EVENT_TYPES } from '../../shared/audit/events.ts';
import { ACTIONS, SOURCE_KINDS } from '../../shared/requests/actions.ts';
import { REQUEST_STATES } from '../../shared/requests/state-machine.ts';
import { ERROR_CODES } from './http.ts';

/**
 * The webhook's answers as zod schemas: what `docs/openapi.json` publishes for every response, and
 * what the handler tests check its real answers against (so the document cannot drift from them).
 *
 * @example
 * AcceptedAnswerSchema.parse(JSON.parse(answer.body)); // { requestId, state, duplicate? }
 */

const RequestId = z.uuid().describe('the request id (a UUID)');

/** `202` (accepted now) and `200` (a duplicate: the original request, as it is now). */
export const AcceptedAnswerSchema = z.strictObject({
  requestId: RequestId,
  state: z.enum(REQUEST_STATES),
  /** Present on 200: this submission repeated an earlier one (same key, or same ticket + action + target). */
  duplicate: z.literal(true).optional(),
});

/** One validation problem. */
export const IssueSchema = z.strictObject({
  path: z.string().describe('the field, dotted with [n] for indexes; (root) for the whole body'),
  message: z.string(),
  field: z.string().optional().describe("the sender's own field name (ITSM mappings)"),
});

/** Every error answer: `{error: {code, message, ...}, requestId?}`. */
export const ErrorAnswerSchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    /** 400: every problem found, with its field. */
    issues: z.array(IssueSchema).optional(),
    /** 403: the policy rule that refused the request. */
    rule: z.string().optional(),
    /** 409: the request that owns the idempotency key or delivery. */
    originalRequestId: RequestId.optional(),
  }),
  /** The id the refused submission was audited under. */
  requestId: RequestId.optional(),
});

/** `GET /v1/requests/{id}`: the request, its outcome and its audit trail. */
export const RequestAnswerSchema = z.strictObject({
  requestId: RequestId,
  state: z.enum(REQUEST_STATES),
  action: z.enum(ACTIONS),
  tenant: z.string(),
  target: z.string(),
  ticket: z.string().optional(),
  source: z.strictObject({ name: z.string(), kind: z.enum(SOURCE_KINDS) }),
  attempts: z.int().min(0),
  deferrals: z.int().min(0),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  stateReason: z.string().optional(),
  notBefore: z.iso.datetime().optional(),
  result: z.record(z.string(), z.unknown()).optional(),
  error: z.strictObject({ message: z.string(), code: z.string().optional() }).optional(),
  dryRun: z.boolean(),
  /** The canonical request, secret-looking values redacted. */
  request: z.record(z.string(), z.unknown()),
  audit: z.array(
    z.strictObject({
      at: z.iso.datetime(),
      type: z.enum(AUDIT_EVENT_TYPES),
      resource: z.string().optional(),
      detail: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});
