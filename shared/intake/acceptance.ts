import type { AuditLog } from '../audit/audit-log.ts';
import type { IntakeConfig, SourcePolicy } from '../config/sources.ts';
import type { Clock } from '../core/clock.ts';
import type { JobQueue } from '../requests/job-queue.ts';
import type { RequestStore } from '../requests/request-store.ts';
import {
  type SubmitContext,
  type SubmitDeps,
  type SubmitLogger,
  type SubmitResult,
  submit,
} from '../requests/submit.ts';

/** What accepting a request runs on: the stores, the queue and the intake configuration. */
export interface AcceptanceDeps {
  config: IntakeConfig;
  store: RequestStore;
  audit: AuditLog;
  queue: JobQueue;
  clock: Clock;
  logger?: SubmitLogger;
  /** Request ids (UUIDs); injectable for tests. */
  newId?: () => string;
}

/** A function that submits one draft for a source (validate, authorise, dedupe, record, enqueue). */
export type Accept = (draft: unknown, policy: SourcePolicy, context: SubmitContext) => Promise<SubmitResult>;

/**
 * `submit` bound to the intake's dependencies and settings (`submitDepsOf`). Every channel accepts
 * through it.
 *
 * @example
 * const accept = acceptance(deps);
 * const result = await accept(draft, policy, { received: { route: 'submit' } });
 */
export function acceptance(deps: AcceptanceDeps): Accept {
  const submitDeps = submitDepsOf(deps);
  return (draft, policy, context) => submit(draft, { policy }, submitDeps, context);
}

/**
 * What `submit` runs on, from the intake's dependencies: the configured tenants, and the claim lease
 * and key retention of `intake` in the configuration, so every path into `submit` dedupes alike.
 *
 * @example
 * await submit(draft, { policy }, submitDepsOf({ config, store, audit, queue, clock }));
 */
export function submitDepsOf(deps: AcceptanceDeps): SubmitDeps {
  return {
    store: deps.store,
    audit: deps.audit,
    queue: deps.queue,
    clock: deps.clock,
    tenants: new Set(deps.config.tenants.map((t) => t.name)),
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.newId ? { newId: deps.newId } : {}),
    inProgressLeaseMs: deps.config.intake.inProgressLeaseSeconds * 1000,
    keyRetentionSeconds: deps.config.intake.keyRetentionDays * 86400,
  };
}
