import type { AuditLog } from '../audit/audit-log.ts';
import type { TenantConfig } from '../config/tenant.ts';
import type { Clock } from '../core/clock.ts';
import type { Action } from '../requests/actions.ts';
import type { RequestOf } from '../requests/request.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import type { HttpMethod } from '../zscaler/hooks.ts';
import type { ZpaClient } from '../zscaler/zpa/client.ts';
import type { ZtwClient } from '../zscaler/ztw/client.ts';
import type { JobServices } from './services.ts';

/**
 * The job contract. Every action is a `Job`: the run loop (`shared/worker/`) loads the request,
 * claims it (RUNNING), calls `plan`, audits the plan (`planned`), runs the guardrails on it, and
 * only then calls `execute` (never in dry-run). Jobs are re-planned on every run (a deferred job
 * plans again when it comes back), so a plan must be computed from Zscaler's current state plus
 * `ctx.progress`, never from memory.
 *
 * @example
 * export const pccGroupCreateJob: Job<'pccGroup.create'> = {
 *   action: 'pccGroup.create',
 *   async plan(ctx) {
 *     const zpa = await ctx.zpa();
 *     // ...look the group up by name...
 *     return { calls: [{ api: 'zpa', method: 'POST', path: '/privateCloudControllerGroup', operation: 'pccGroup.create', write: true }],
 *              resources: [{ kind: 'pccGroup', name: ctx.request.group.name, effect: 'create' }] };
 *   },
 *   async execute(ctx, plan) {
 *     const created = await (await ctx.zpa()).pccGroups.create(ctx.request.group);
 *     return { status: 'succeeded', result: { groupId: created.id } };
 *   },
 * };
 */
export interface Job<A extends Action = Action, D = unknown> {
  readonly action: A;
  /**
   * Reads what it needs (GETs only, no writes) and lists the exact calls `execute` will make and
   * the resources it touches. May end the job right away with `plan.outcome` (already gone,
   * nothing to clean up, a name clash).
   */
  plan(ctx: JobContext<A>): Promise<Plan<D>>;
  /**
   * Makes the planned changes. `plan` is the plan as the guardrails left it (resources they
   * excluded are gone from `plan.resources`). A thrown error ends the run as its class's
   * `disposition` says (retry, defer, fail, reject: `shared/core/disposition.ts`); one declaring
   * none is unexpected (retried by SQS, then DEAD_LETTERED). Messages never carry a secret (client
   * errors carry none). Deletions must treat `NotFoundError` as "already gone".
   */
  execute(ctx: JobContext<A>, plan: Plan<D>): Promise<JobOutcome>;
  /**
   * Optional, for `partial` plans: recomputes `calls` (and `data`) after the guardrails removed
   * resources, so dry-run results and `execute` see only what will really be done.
   */
  narrow?(ctx: JobContext<A>, plan: Plan<D>): Plan<D>;
}

/** One call the job will make, as the audit's `planned` event and the dry-run result show it. */
export interface PlannedCall {
  api: 'zpa' | 'ztw' | 'aws' | 's3';
  method: HttpMethod;
  /** Path relative to the API root, e.g. `/connector/72057615512764537`, `/ecgroup/12/vm/34`. */
  path: string;
  /** Logical operation (`appConnector.delete`, `ecAdminActivateStatus.activate`, ...). */
  operation: string;
  /** True for anything that changes state (never made in dry-run). */
  write: boolean;
  /** The request body, when it helps a reviewer (group create bodies; bulk delete ids). */
  body?: unknown;
  /** A short note (`once per tenant burst`, `only if still present`). */
  note?: string;
}

/** What kinds of things a job touches. */
export type ResourceKind =
  | 'appConnector'
  | 'appConnectorGroup'
  | 'pccGroup'
  | 'ecVm'
  | 'cloudConnectorGroup'
  | 'snapshot'
  | 'lifecycleAction';

/** A resource the plan touches; the guardrails decide on these. */
export interface PlanResource {
  kind: ResourceKind;
  /** Zscaler id (ZPA digits, ZTW `group/vm`, cloud instance id) when known. */
  id?: string;
  /** The resource's name as Zscaler has it (protected-name patterns are checked on this). */
  name?: string;
  /** What the job does to it. Only `delete` counts towards the hourly cap. */
  effect: 'delete' | 'create' | 'update' | 'read';
  /** App Connectors: true unless `controlChannelStatus` is ZPN_STATUS_DISCONNECTED. */
  connected?: boolean;
  /** Free-form facts for the audit trail (group id, private IP, status, ...). */
  facts?: Record<string, unknown>;
}

/** A job's plan: exact calls, touched resources, optional job-private data for `execute`. */
export interface Plan<D = unknown> {
  calls: PlannedCall[];
  resources: PlanResource[];
  /**
   * May the guardrails drop individual resources (e.g. a protected connector found by a cleanup
   * search) and let the rest go ahead? False (default): one refused resource refuses the request.
   */
  partial?: boolean;
  /** Job-private data `execute` needs (ids, resolved version profile, ...). Not audited. */
  data?: D;
  /** Ends the job without guardrails or execute (already done, nothing to do, a clash). */
  outcome?: JobOutcome;
}

/** How a run ended. The run loop maps it onto the request's state. */
export type JobOutcome =
  /** Done: the request ends SUCCEEDED with `result` (ids, counts, keys). */
  | { status: 'succeeded'; result: Record<string, unknown> }
  /** Cannot be done: the request ends FAILED with `reason` (shown to the ticket). */
  | { status: 'failed'; reason: string; code?: string; result?: Record<string, unknown> }
  /**
   * Not now: the job goes back on the queue and runs again at `notBefore` (epoch ms); the
   * request is DEFERRED. `progress` is kept on the request and given back as `ctx.progress`.
   */
  | { status: 'deferred'; notBefore: number; reason: string; progress?: Record<string, unknown> }
  /** Waits for an operator (`zcops approve`): the request is HELD. */
  | { status: 'held'; reason: string };

/** The request's state and everything a job may use. Built per run by the run loop. */
export interface JobContext<A extends Action = Action> {
  /** The request as stored (state RUNNING, attempts, deferrals, previous progress). */
  readonly record: RequestRecord;
  readonly request: RequestOf<A>;
  readonly tenant: TenantConfig;
  /**
   * The tenant's ZPA client, created on first use with the rate limiter's and the audit's hooks
   * (every call is limited and audited against this request). In dry-run, writes are refused by a
   * hook before they leave the process.
   */
  zpa(): Promise<ZpaClient>;
  /** The tenant's Cloud & Branch Connector client (same wiring). */
  ztw(): Promise<ZtwClient>;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** Plan and audit only; `execute` is never called. */
  readonly dryRun: boolean;
  readonly logger: JobLogger;
  /** What a previous run of this request handed over when it deferred (`JobOutcome.progress`). */
  readonly progress: Record<string, unknown> | undefined;
  /** Worker settings a job may need (grace periods, chunk sizes, quiet periods). */
  readonly settings: JobSettings;
  /** Ports beyond Zscaler (snapshot object store, lifecycle completion, instance addresses). */
  readonly services: JobServices;
  /** Convenience: the deferred outcome for "run me again at `notBefore` because `why`". */
  defer(notBefore: number, why: string, progress?: Record<string, unknown>): JobOutcome;
  /** Writes an audit event of this request (tenant, ticket, source, action filled in). */
  note(
    type: 'guardrail' | 'callback' | 'lifecycle.completed' | 'snapshot.written' | 'state',
    detail: Record<string, unknown>,
    resource?: string,
  ): Promise<void>;
}

/** The logging a job gets (the Powertools Logger satisfies it). */
export interface JobLogger {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** Settings jobs read; parsed from the worker config (`shared/config/worker.ts`). */
export interface JobSettings {
  /** Ids per `bulkDelete` call (at most 100). */
  bulkDeleteChunk: number;
  /** ZTW: quiet time after the last VM deletion of a tenant before the one activation. */
  activationQuietMs: number;
  /**
   * ZTW: how long one run follows an activation (`GET /ecAdminActivateStatus`) before handing the
   * job back to the queue to look again (the worker's `maxSleepMs`: what a run may sleep in-process).
   */
  activationWaitMs: number;
  /**
   * App Connector deletions (teardown, delete): how long a round of coalesced deletions of a tenant
   * stays open for others to join (one shared listing, shared bulk deletes); 0 = one by one.
   */
  deletionWindowMs: number;
  /** A run's lease on its request (`worker.leaseSeconds`): no run outlives it. */
  runLeaseMs: number;
  /** Teardown: delete the connector anyway this long after the request was made. */
  teardownGraceMs: number;
  /** Deferral step when a job waits for something outside Zscaler's rate limits. */
  pollIntervalMs: number;
}
