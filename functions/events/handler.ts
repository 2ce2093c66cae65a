import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { AuditLog } from '../../shared/audit/audit-log.ts';
import type { IntakeConfig, SourcePolicy } from '../../shared/config/sources.ts';
import type { Clock } from '../../shared/core/clock.ts';
import type { LifecycleCompleter } from '../../shared/intake/lifecycle-completer.ts';
import {
  type LifecycleAction,
  LifecycleDetailSchema,
  mapLifecycleDetail,
  TERMINATE_LIFECYCLE_DETAIL_TYPE,
} from '../../shared/intake/lifecycle-event.ts';
import { mapScheduleEvent, ScheduleEventSchema } from '../../shared/intake/schedule-event.ts';
import { resolveAutoscalingSource, resolveScheduleSource } from '../../shared/intake/source-resolution.ts';
import { beginInvocation, createLogger, withCorrelationId } from '../../shared/observability/logger.ts';
import {
  EVENTS_METRIC_NAMES,
  eventsMetricName,
  SERVICE_NAMES,
} from '../../shared/observability/metric-names.ts';
import { createMetrics, MetricUnit } from '../../shared/observability/metrics.ts';
import {
  IdempotencyConflictError,
  PolicyDeniedError,
  RequestValidationError,
} from '../../shared/requests/errors.ts';
import type { Issue } from '../../shared/requests/issues.ts';
import { issuesOf } from '../../shared/requests/issues.ts';
import type { JobQueue } from '../../shared/requests/job-queue.ts';
import type { RequestStore } from '../../shared/requests/request-store.ts';
import { type SubmitContext, submit } from '../../shared/requests/submit.ts';
import { intakeFromEnv } from '../../shared/wiring/intake-deps.ts';

/** What the events function runs on; tests and the local stack inject their own. */
export interface EventsDeps {
  config: IntakeConfig;
  store: RequestStore;
  audit: AuditLog;
  queue: JobQueue;
  clock: Clock;
  completer: LifecycleCompleter;
  logger?: Logger;
  metrics?: Metrics;
  newId?: () => string;
}

/** What became of one event. */
export interface EventsResult {
  outcome: 'accepted' | 'duplicate' | 'rejected' | 'ignored';
  requestId?: string;
  state?: string;
  /** Why it was rejected or ignored. */
  reason?: string;
  issues?: Issue[];
  /** For rejected lifecycle events: the lifecycle action was completed with CONTINUE. */
  lifecycleCompleted?: boolean;
}

export type EventsHandler = (event: unknown, context?: Context) => Promise<EventsResult>;

/**
 * The events function: EventBridge "EC2 Instance-terminate Lifecycle Action" events become
 * `appConnector.teardown` requests; schedule events (Scheduler, or an EventBridge rule) become
 * `inventory.snapshot` requests. A lifecycle event that cannot become a request (bad metadata,
 * unknown source, policy) is audited and its lifecycle action completed with CONTINUE, so the
 * instance never waits for its heartbeat timeout. Infrastructure failures throw, so Lambda's
 * asynchronous retries deliver the event again (submit dedupes it).
 *
 * @example
 * const handler = createHandler({ config, store, audit, queue, clock: systemClock, completer });
 * await handler(eventBridgeEvent); // { outcome: 'accepted', requestId, state: 'QUEUED' }
 */
export function createHandler(deps: EventsDeps): EventsHandler {
  const logger = deps.logger ?? createLogger('zcops-events');
  const metrics = deps.metrics ?? createMetrics(SERVICE_NAMES.events);
  const submitDeps = {
    store: deps.store,
    audit: deps.audit,
    queue: deps.queue,
    clock: deps.clock,
    tenants: new Set(deps.config.tenants.map((t) => t.name)),
    logger,
    ...(deps.newId ? { newId: deps.newId } : {}),
    inProgressLeaseMs: deps.config.intake.inProgressLeaseSeconds * 1000,
    keyRetentionSeconds: deps.config.intake.keyRetentionDays * 86400,
  };

  return async function handler(event, context) {
    beginInvocation(logger, context);
    try {
      const result = await route(event);
      withCorrelationId(logger, result.requestId);
      logger.info('event handled', { ...result });
      metrics.addMetric(eventsMetricName(result.outcome), MetricUnit.Count, 1);
      return result;
    } catch (err) {
      logger.error('event failed; it will be retried', { error: err });
      metrics.addMetric(EVENTS_METRIC_NAMES.failed, MetricUnit.Count, 1);
      throw err;
    } finally {
      metrics.publishStoredMetrics();
    }
  };

  async function route(event: unknown): Promise<EventsResult> {
    const e = (event && typeof event === 'object' ? event : {}) as Record<string, unknown>;
    if (e['detail-type'] === TERMINATE_LIFECYCLE_DETAIL_TYPE && e.source === 'aws.autoscaling') {
      return lifecycle(e);
    }
    if (e['detail-type'] === 'Scheduled Event') return schedule(e);
    return {
      outcome: 'ignored',
      reason: `unsupported event (${String(e['detail-type'] ?? 'no detail-type')})`,
    };
  }

  async function lifecycle(e: Record<string, unknown>): Promise<EventsResult> {
    const detail = LifecycleDetailSchema.safeParse(e.detail);
    if (!detail.success) {
      return { outcome: 'rejected', reason: 'malformed lifecycle event', issues: issuesOf(detail.error) };
    }
    if (detail.data.LifecycleTransition !== 'autoscaling:EC2_INSTANCE_TERMINATING') {
      return { outcome: 'ignored', reason: `lifecycle transition ${detail.data.LifecycleTransition}` };
    }
    const mapped = mapLifecycleDetail(detail.data);
    const policy = resolveAutoscalingSource(deps.config, mapped.lifecycle.asgName, mapped.sourceName);
    if (!policy) {
      const reason = mapped.sourceName
        ? `no autoscaling source named ${mapped.sourceName}`
        : `no autoscaling source bound to ${mapped.lifecycle.asgName}`;
      return rejectLifecycle(mapped.lifecycle, reason, mapped.draft, mapped.issues);
    }
    const outcome = await submitEvent(mapped.draft, policy, {
      issues: mapped.issues,
      received: {
        event: 'lifecycle',
        eventId: e.id,
        asg: mapped.lifecycle.asgName,
        hook: mapped.lifecycle.hookName,
      },
    });
    if (outcome.outcome !== 'rejected') return outcome;
    await completeQuietly(mapped.lifecycle, outcome.requestId, policy.name);
    return { ...outcome, lifecycleCompleted: true };
  }

  async function schedule(e: Record<string, unknown>): Promise<EventsResult> {
    const parsed = ScheduleEventSchema.safeParse(e);
    if (!parsed.success)
      return { outcome: 'rejected', reason: 'malformed schedule event', issues: issuesOf(parsed.error) };
    const policy = resolveScheduleSource(deps.config, parsed.data.detail.source);
    if (!policy) {
      const requestId = (deps.newId ?? randomUUID)();
      await auditQuietly({
        requestId,
        type: 'rejected',
        tenant: parsed.data.detail.tenant,
        action: 'inventory.snapshot',
        detail: { reason: 'no-source', eventId: parsed.data.id },
      });
      return { outcome: 'rejected', requestId, reason: 'no schedule source is configured for this event' };
    }
    return submitEvent(mapScheduleEvent(parsed.data), policy, {
      received: { event: 'schedule', eventId: parsed.data.id },
    });
  }

  async function submitEvent(
    draft: unknown,
    policy: SourcePolicy,
    context: SubmitContext,
  ): Promise<EventsResult> {
    try {
      const result = await submit(draft, { policy }, submitDeps, context);
      return { outcome: result.outcome, requestId: result.requestId, state: result.state };
    } catch (err) {
      if (err instanceof RequestValidationError) {
        return { outcome: 'rejected', requestId: err.requestId, reason: 'invalid', issues: err.issues };
      }
      if (err instanceof PolicyDeniedError) {
        return { outcome: 'rejected', requestId: err.requestId, reason: err.message };
      }
      if (err instanceof IdempotencyConflictError) {
        return { outcome: 'rejected', requestId: err.originalRequestId, reason: err.message };
      }
      throw err;
    }
  }

  async function rejectLifecycle(
    action: LifecycleAction,
    reason: string,
    draft: Record<string, unknown>,
    issues: Issue[],
  ): Promise<EventsResult> {
    const requestId = (deps.newId ?? randomUUID)();
    await auditQuietly({
      requestId,
      type: 'rejected',
      tenant: typeof draft.tenant === 'string' ? draft.tenant : undefined,
      ticket: action.instanceId,
      action: 'appConnector.teardown',
      detail: { reason, issues, asg: action.asgName, hook: action.hookName },
    });
    await completeQuietly(action, requestId, undefined);
    return { outcome: 'rejected', requestId, reason, issues, lifecycleCompleted: true };
  }

  /** CONTINUE, so the instance terminates now; audited. A failure is logged, the hook times out. */
  async function completeQuietly(
    action: LifecycleAction,
    requestId: string | undefined,
    source: string | undefined,
  ) {
    try {
      await deps.completer.complete(action, 'CONTINUE');
      if (requestId) {
        await auditQuietly({
          requestId,
          type: 'lifecycle.completed',
          ticket: action.instanceId,
          source,
          detail: { result: 'CONTINUE', asg: action.asgName, hook: action.hookName, why: 'request rejected' },
        });
      }
    } catch (err) {
      logger.error('lifecycle action could not be completed', { error: err, asg: action.asgName });
    }
  }

  async function auditQuietly(event: Parameters<AuditLog['append']>[0]) {
    try {
      await deps.audit.append(event);
    } catch (err) {
      logger.error('audit write failed', { error: err, type: event.type });
    }
  }
}

/**
 * Built once per container. In Lambda (AWS_LAMBDA_FUNCTION_NAME is set) it is built at init, so a
 * configuration mistake fails the cold start with the field named, not the first event.
 */
let lazy: EventsHandler | undefined = process.env.AWS_LAMBDA_FUNCTION_NAME
  ? createHandler(intakeFromEnv(process.env))
  : undefined;

/** The Lambda entry point (EventBridge and Scheduler targets); dependencies come from the environment. */
export const handler: EventsHandler = (event, context) => {
  if (!lazy) lazy = createHandler(intakeFromEnv(process.env));
  return lazy(event, context);
};
