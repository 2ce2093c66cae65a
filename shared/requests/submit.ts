import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.ts';
import type { AuditEventInput } from '../audit/events.ts';
import { resourceKey } from '../audit/resource.ts';
import type { SourcePolicy } from '../config/sources.ts';
import type { Clock } from '../core/clock.ts';
import {
  IdempotencyConflictError,
  IntakeUnavailableError,
  PolicyDeniedError,
  RequestValidationError,
  StateConflictError,
  SubmissionInProgressError,
} from './errors.ts';
import type { Issue } from './issues.ts';
import { issuesOf } from './issues.ts';
import type { JobMessage } from './job-message.ts';
import type { JobQueue } from './job-queue.ts';
import { hashOf } from './keys.ts';
import { authorize } from './policy.ts';
import { type CanonicalRequest, CanonicalRequestSchema } from './request.ts';
import {
  type IdempotencyRecord,
  NOT_ACCEPTED_REASON,
  newRequestRecord,
  type RequestRecord,
} from './request-record.ts';
import type { RequestStore } from './request-store.ts';
import type { RequestState } from './state-machine.ts';
import { targetOf } from './target.ts';

/** Where a request comes from: the authenticated source's name and policy. */
export interface SubmitSource {
  policy: SourcePolicy;
}

/** A minimal logger (Powertools Logger fits). */
export interface SubmitLogger {
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

export interface SubmitDeps {
  store: RequestStore;
  audit: AuditLog;
  queue: JobQueue;
  clock: Clock;
  /** Configured tenant names. */
  tenants: ReadonlySet<string>;
  logger?: SubmitLogger;
  /** Request ids (UUIDs); injectable for tests. */
  newId?: () => string;
  /** A claim older than this whose request never got queued is taken over. Default 60 s. */
  inProgressLeaseMs?: number;
  /** How long dedupe keys live. Default 30 days. */
  keyRetentionSeconds?: number;
}

export interface SubmitContext {
  /** Problems found before validation (ITSM mapping), reported with the schema's. */
  issues?: Issue[];
  /** Maps canonical paths to the source's own field names, so answers name the field they sent. */
  origins?: Record<string, string>;
  /** Extra detail for the `received` audit event (route, size, ...). Redacted before writing. */
  received?: Record<string, unknown>;
  /**
   * The sender's id of this delivery (Jira's `X-Atlassian-Webhook-Identifier`): claimed like an
   * idempotency key, so a redelivery answers the original request and the same id with another
   * body is a conflict. The ticket + action + target key still applies as well.
   */
  deliveryId?: string;
}

export interface SubmitResult {
  /** `accepted`: recorded and enqueued now. `duplicate`: an earlier submission, answered as is. */
  outcome: 'accepted' | 'duplicate';
  requestId: string;
  state: RequestState;
  request: CanonicalRequest;
}

/**
 * Validates, authorises, dedupes, records, audits and enqueues one request. Nothing is half-done:
 * the request is either recorded and enqueued (`accepted`), or the caller gets a typed error and
 * the request does not count as accepted.
 *
 * Steps and failure handling (no transactions: each step is one conditional single-item write):
 * 1. Validate (`RequestValidationError`, every issue) and authorise (`PolicyDeniedError`). Both are
 *    audited best-effort under a fresh request id (a broken audit never turns a 4xx into a 5xx).
 * 2. Dedupe: claim the key (idempotency key, else ref + action + target) with a conditional put.
 *    If taken: same key + other body → `IdempotencyConflictError`; original already queued or
 *    beyond → `duplicate` with its state; original never got queued and its claim is younger than
 *    the lease → `SubmissionInProgressError` (retry shortly); older (the intake crashed) → take
 *    over with a conditional replace and finish the original's job (at most one taker wins).
 * 3. Audit `received` + `validated`, record the request RECEIVED. Failure → the claim is released,
 *    `IntakeUnavailableError` (503): nothing was accepted, a retry with the same key works.
 * 4. Enqueue. Failure → the request goes RECEIVED → REJECTED (`stateReason: intake-failed`), the
 *    claim is released, `IntakeUnavailableError`. If the send failed ambiguously and the message
 *    did land, the worker finds the request REJECTED and drops it: it never runs. If even the
 *    cleanup fails, the stale claim is taken over later (step 2), so a retry still works.
 * 5. Mark QUEUED and audit `queued`. A failure here is only logged: the message is on the queue,
 *    and a worker finding its request RECEIVED applies RECEIVED → QUEUED itself.
 * A crash between any two steps leaves either nothing, a claim without a queued request (taken
 * over after the lease), or a queued message (which the worker runs once, conditional transitions
 * guarding against duplicates).
 *
 * @example
 * const result = await submit(body, { policy }, { store, audit, queue, clock: systemClock, tenants: new Set(['acme']) });
 * // { outcome: 'accepted', requestId: '…', state: 'QUEUED', request }
 */
export async function submit(
  input: unknown,
  source: SubmitSource,
  deps: SubmitDeps,
  context: SubmitContext = {},
): Promise<SubmitResult> {
  const { policy } = source;
  const requestId = (deps.newId ?? randomUUID)();
  const lease = deps.inProgressLeaseMs ?? 60_000;
  const retention = deps.keyRetentionSeconds ?? 30 * 24 * 3600;
  const base = { requestId, source: policy.name, detail: undefined } satisfies Partial<AuditEventInput>;

  // 1. Validate and authorise.
  const draft = withSource(input, policy);
  const parsed = CanonicalRequestSchema.safeParse(draft);
  const issues: Issue[] = [...(context.issues ?? [])];
  if (parsed.success) {
    if (!deps.tenants.has(parsed.data.tenant)) {
      issues.push({ path: 'tenant', message: `tenant "${parsed.data.tenant}" is not configured` });
    }
  } else {
    // A path the mapping already explained (e.g. an unknown ITSM action) is not reported twice.
    const explained = new Set(issues.map((i) => i.path));
    issues.push(...issuesOf(parsed.error).filter((i) => !explained.has(i.path)));
  }
  if (issues.length > 0 || !parsed.success) {
    const named = nameFields(dedupeIssues(issues), context.origins);
    await bestEffort(deps, [
      { ...base, type: 'received', ...loose(draft), detail: context.received },
      { ...base, type: 'rejected', ...loose(draft), detail: { reason: 'validation', issues: named } },
    ]);
    const error = new RequestValidationError(named);
    error.requestId = requestId;
    throw error;
  }
  const request = parsed.data;
  const target = targetOf(request);
  const ticket = request.source.ref;
  const tags = {
    requestId,
    tenant: request.tenant,
    ticket,
    action: request.action,
    source: policy.name,
    resource: resourceFromTarget(request.tenant, target),
  };
  try {
    authorize(request, policy);
  } catch (err) {
    if (!(err instanceof PolicyDeniedError)) throw err;
    await bestEffort(deps, [
      { ...tags, type: 'received', detail: context.received },
      { ...tags, type: 'rejected', detail: { reason: 'policy', rule: err.rule, message: err.message } },
    ]);
    err.requestId = requestId;
    throw err;
  }

  // 2. Dedupe.
  const key = dedupeKey(request, policy.name, target);
  const bodyHash = hashOf(request);
  const now = deps.clock.now();
  const claim: IdempotencyRecord | undefined = key
    ? { key, requestId, bodyHash, claimedAtMs: now }
    : undefined;
  const expiresAt = Math.floor(now / 1000) + retention;
  const delivery: IdempotencyRecord | undefined = context.deliveryId
    ? { key: `delivery:${policy.name}:${context.deliveryId}`, requestId, bodyHash, claimedAtMs: now }
    : undefined;
  if (delivery) {
    const answer = await claimOrResolve(delivery, request, deps, lease, expiresAt, tags);
    if (answer) return answer;
  }
  // The delivery claim stays only on the request this submission records and queues.
  const releaseDelivery = () =>
    delivery
      ? quietly(deps, 'release delivery', () => deps.store.releaseKey(delivery.key, requestId))
      : Promise.resolve();
  if (claim) {
    const answer = await claimOrResolve(claim, request, deps, lease, expiresAt, tags).catch(async (err) => {
      await releaseDelivery();
      throw err;
    });
    if (answer) {
      if (answer.requestId !== requestId) await releaseDelivery();
      return answer;
    }
  }

  // 3. Audit and record.
  const at = new Date(deps.clock.now()).toISOString();
  const record = newRequestRecord({
    requestId,
    state: 'RECEIVED',
    request,
    target,
    ticket,
    sourceName: policy.name,
    sourceKind: policy.kind,
    at,
  });
  try {
    await deps.audit.append({ ...tags, type: 'received', detail: context.received });
    await deps.audit.append({
      ...tags,
      type: 'validated',
      detail: { target, dryRun: request.dryRun === true },
    });
    await deps.store.create(record);
  } catch (err) {
    if (claim) await quietly(deps, 'release key', () => deps.store.releaseKey(claim.key, requestId));
    await releaseDelivery();
    await bestEffort(deps, [{ ...tags, type: 'rejected', detail: { reason: 'unavailable', error: err } }]);
    throw new IntakeUnavailableError('the request could not be recorded; retry', requestId, { cause: err });
  }

  // 4. Enqueue, 5. mark QUEUED.
  const state = await enqueue(record, deps, tags, claim).catch(async (err) => {
    await releaseDelivery();
    throw err;
  });
  return { outcome: 'accepted', requestId, state, request };
}

/**
 * Claims a dedupe key; when it is taken, answers as `resolveExisting` does. `undefined`: the claim
 * is ours (fresh, or a stale one taken over) and the submission goes on.
 */
async function claimOrResolve(
  claim: IdempotencyRecord,
  request: CanonicalRequest,
  deps: SubmitDeps,
  lease: number,
  expiresAt: number,
  tags: Omit<AuditEventInput, 'type'>,
): Promise<SubmitResult | undefined> {
  let result: Awaited<ReturnType<RequestStore['claimKey']>>;
  try {
    result = await deps.store.claimKey(claim, expiresAt);
  } catch (err) {
    throw new IntakeUnavailableError('the requests table is unavailable', undefined, { cause: err });
  }
  if (result.claimed) return undefined;
  return resolveExisting(result.existing, claim, request, deps, lease, expiresAt, tags);
}

/** Sends the job and marks the request QUEUED; on a failed send, undoes the acceptance. */
async function enqueue(
  record: RequestRecord,
  deps: SubmitDeps,
  tags: Omit<AuditEventInput, 'type'>,
  claim: IdempotencyRecord | undefined,
): Promise<RequestState> {
  const message: JobMessage = {
    v: 1,
    requestId: record.requestId,
    tenant: record.tenant,
    action: record.action,
    enqueuedAt: new Date(deps.clock.now()).toISOString(),
    deferrals: 0,
  };
  try {
    await deps.queue.send(message);
  } catch (err) {
    await quietly(deps, 'mark not accepted', () =>
      deps.store.transition(record.requestId, 'REJECTED', {
        from: 'RECEIVED',
        patch: {
          stateReason: NOT_ACCEPTED_REASON,
          error: { message: 'the jobs queue refused the request', code: 'enqueue-failed' },
        },
      }),
    );
    if (claim) await quietly(deps, 'release key', () => deps.store.releaseKey(claim.key, record.requestId));
    await bestEffort(deps, [{ ...tags, type: 'rejected', detail: { reason: 'enqueue-failed', error: err } }]);
    throw new IntakeUnavailableError(
      'the jobs queue is unavailable; the request was not accepted, retry',
      record.requestId,
      {
        cause: err,
      },
    );
  }
  let state: RequestState = 'QUEUED';
  try {
    state = (await deps.store.transition(record.requestId, 'QUEUED', { from: 'RECEIVED' })).state;
  } catch (err) {
    // The message is on the queue; a worker that finds the request RECEIVED applies RECEIVED → QUEUED.
    if (err instanceof StateConflictError && err.actual) state = err.actual;
    else
      deps.logger?.warn('request enqueued but not marked QUEUED', {
        requestId: record.requestId,
        error: err,
      });
  }
  await bestEffort(deps, [{ ...tags, type: 'queued', detail: { deferrals: 0 } }]);
  return state;
}

/**
 * Answers a submission whose key is claimed already: a duplicate, a conflict, an in-progress
 * submission, or (claim stale, original never queued) a takeover. Returns `undefined` when the
 * caller now owns the claim and should record its own request.
 */
async function resolveExisting(
  existing: IdempotencyRecord,
  claim: IdempotencyRecord,
  request: CanonicalRequest,
  deps: SubmitDeps,
  lease: number,
  expiresAt: number,
  tags: Omit<AuditEventInput, 'type'>,
): Promise<SubmitResult | undefined> {
  const keyed = request.idempotencyKey !== undefined || claim.key.startsWith('delivery:');
  if (keyed && existing.bodyHash !== claim.bodyHash) {
    await bestEffort(deps, [
      {
        ...tags,
        type: 'rejected',
        detail: { reason: 'idempotency-conflict', originalRequestId: existing.requestId },
      },
    ]);
    throw new IdempotencyConflictError(existing.requestId);
  }
  let original: RequestRecord | undefined;
  try {
    original = await deps.store.get(existing.requestId);
  } catch (err) {
    throw new IntakeUnavailableError('the requests table is unavailable', undefined, { cause: err });
  }
  const notAccepted = original?.state === 'REJECTED' && original.stateReason === NOT_ACCEPTED_REASON;
  if (original && original.state !== 'RECEIVED' && !notAccepted) {
    await bestEffort(deps, [
      {
        ...tags,
        requestId: original.requestId,
        type: 'duplicate',
        detail: { duplicateOf: original.requestId, state: original.state },
      },
    ]);
    return {
      outcome: 'duplicate',
      requestId: original.requestId,
      state: original.state,
      request: original.request,
    };
  }
  const age = deps.clock.now() - existing.claimedAtMs;
  if (!notAccepted && age < lease) {
    throw new SubmissionInProgressError(existing.requestId, Math.max(1, Math.ceil((lease - age) / 1000)));
  }
  // Stale (a crashed intake) or given up: take the claim over; only one taker wins.
  const resumeOriginal = original?.state === 'RECEIVED';
  const takeover: IdempotencyRecord = resumeOriginal
    ? { ...existing, claimedAtMs: claim.claimedAtMs }
    : claim;
  let won: boolean;
  try {
    won = await deps.store.replaceClaim(takeover, existing.requestId, existing.claimedAtMs, expiresAt);
  } catch (err) {
    throw new IntakeUnavailableError('the requests table is unavailable', undefined, { cause: err });
  }
  if (!won) throw new SubmissionInProgressError(existing.requestId, 1);
  if (!resumeOriginal || !original) return undefined;
  // The original was recorded but never queued: finish its job instead of creating another.
  const origTags = { ...tags, requestId: original.requestId };
  const state = await enqueue(original, deps, origTags, takeover);
  return { outcome: 'duplicate', requestId: original.requestId, state, request: original.request };
}

/**
 * The dedupe key: the idempotency key (per source), else the source's reference (ticket) with
 * action and target; none when neither is given (such requests are never deduped).
 */
export function dedupeKey(request: CanonicalRequest, sourceName: string, target: string): string | undefined {
  if (request.idempotencyKey !== undefined) return `idem:${sourceName}:${request.idempotencyKey}`;
  if (request.source.ref !== undefined)
    return `ref:${request.tenant}:${request.source.ref}:${request.action}:${target}`;
  return undefined;
}

/** Fills `source` from the authenticated source: kind and name are never taken from the body. */
function withSource(input: unknown, policy: SourcePolicy): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const body = input as Record<string, unknown>;
  const given = body.source;
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given)))
    return input;
  return { ...body, source: { ...(given as object | undefined), kind: policy.kind, name: policy.name } };
}

/** Tags readable from an invalid body, for the audit of its rejection (strings only, short). */
function loose(draft: unknown): Partial<AuditEventInput> {
  if (!draft || typeof draft !== 'object') return {};
  const d = draft as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.length <= 200 ? v : undefined);
  const src = d.source && typeof d.source === 'object' ? (d.source as Record<string, unknown>) : {};
  return { tenant: str(d.tenant), action: str(d.action), ticket: str(src.ref) };
}

function resourceFromTarget(tenant: string, target: string): string | undefined {
  return target === 'inventory' || target.includes('bulk=') ? undefined : resourceKey(tenant, target);
}

function dedupeIssues(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function nameFields(issues: Issue[], origins: Record<string, string> | undefined): Issue[] {
  if (!origins) return issues;
  return issues.map((i) => {
    const field = origins[i.path] ?? origins[i.path.replace(/\[\d+\]$/, '')];
    return field ? { ...i, field } : i;
  });
}

/** Writes audit events, logging (not throwing) on failure. */
async function bestEffort(deps: SubmitDeps, events: AuditEventInput[]): Promise<void> {
  for (const event of events) {
    await quietly(deps, `audit ${event.type}`, () => deps.audit.append(event));
  }
}

async function quietly(deps: SubmitDeps, what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    deps.logger?.error(`${what} failed`, { error: err });
  }
}
