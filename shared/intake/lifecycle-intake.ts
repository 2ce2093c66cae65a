import { randomUUID } from 'node:crypto';
import { issuesOf } from '../requests/issues.ts';
import type { Accept, AcceptanceDeps } from './acceptance.ts';
import { type EventOutcome, outcomeOf } from './event-outcome.ts';
import type { LifecycleCompleter } from './lifecycle-completer.ts';
import { type LifecycleAction, LifecycleDetailSchema, mapLifecycleDetail } from './lifecycle-event.ts';
import { auditBestEffort } from './rejection-audit.ts';
import { resolveAutoscalingSource } from './source-resolution.ts';

export interface LifecycleIntakeDeps extends AcceptanceDeps {
  completer: LifecycleCompleter;
}

/**
 * An "EC2 Instance-terminate Lifecycle Action" event (its `detail` and id) into an
 * `appConnector.teardown` request of the autoscaling source it belongs to. The rule: an instance
 * never waits. A terminate event that cannot become a request (bad metadata, no source, invalid,
 * refused by policy, a conflicting key) is audited and its lifecycle action completed with
 * CONTINUE, so the instance terminates now instead of at its heartbeat timeout. A malformed event
 * carries no usable action to complete; other transitions are ignored.
 *
 * @example
 * const outcome = await takeLifecycleEvent(deps, accept, event.detail, event.id);
 */
export async function takeLifecycleEvent(
  deps: LifecycleIntakeDeps,
  accept: Accept,
  rawDetail: unknown,
  eventId: unknown,
): Promise<EventOutcome> {
  const detail = LifecycleDetailSchema.safeParse(rawDetail);
  if (!detail.success) {
    return { outcome: 'rejected', reason: 'malformed lifecycle event', issues: issuesOf(detail.error) };
  }
  if (detail.data.LifecycleTransition !== 'autoscaling:EC2_INSTANCE_TERMINATING') {
    return { outcome: 'ignored', reason: `lifecycle transition ${detail.data.LifecycleTransition}` };
  }
  const mapped = mapLifecycleDetail(detail.data);
  const { lifecycle } = mapped;
  const policy = resolveAutoscalingSource(deps.config, lifecycle.asgName, mapped.sourceName);
  if (!policy) {
    const reason = mapped.sourceName
      ? `no autoscaling source named ${mapped.sourceName}`
      : `no autoscaling source bound to ${lifecycle.asgName}`;
    const requestId = (deps.newId ?? randomUUID)();
    const tenant = mapped.draft.tenant;
    await auditBestEffort(deps, {
      requestId,
      type: 'rejected',
      tenant: typeof tenant === 'string' ? tenant : undefined,
      ticket: lifecycle.instanceId,
      action: 'appConnector.teardown',
      detail: { reason, issues: mapped.issues, asg: lifecycle.asgName, hook: lifecycle.hookName },
    });
    await continueQuietly(deps, lifecycle, requestId, undefined);
    return { outcome: 'rejected', requestId, reason, issues: mapped.issues, lifecycleCompleted: true };
  }
  const outcome = await outcomeOf(() =>
    accept(mapped.draft, policy, {
      issues: mapped.issues,
      received: { event: 'lifecycle', eventId, asg: lifecycle.asgName, hook: lifecycle.hookName },
    }),
  );
  if (outcome.outcome !== 'rejected') return outcome;
  await continueQuietly(deps, lifecycle, outcome.requestId, policy.name);
  return { ...outcome, lifecycleCompleted: true };
}

/**
 * Completes the action with CONTINUE and audits it under the rejected request. A failure is only
 * logged: the hook then times out into its default result, as it would have anyway.
 */
async function continueQuietly(
  deps: LifecycleIntakeDeps,
  action: LifecycleAction,
  requestId: string | undefined,
  source: string | undefined,
): Promise<void> {
  try {
    await deps.completer.complete(action, 'CONTINUE');
    if (requestId) {
      await auditBestEffort(deps, {
        requestId,
        type: 'lifecycle.completed',
        ticket: action.instanceId,
        source,
        detail: { result: 'CONTINUE', asg: action.asgName, hook: action.hookName, why: 'request rejected' },
      });
    }
  } catch (err) {
    deps.logger?.error('lifecycle action could not be completed', { error: err, asg: action.asgName });
  }
}
