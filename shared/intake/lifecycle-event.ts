import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { Issue } from '../requests/issues.ts';
import { issuesOf } from '../requests/issues.ts';

/** EventBridge `detail-type` of terminate lifecycle actions. */
export const TERMINATE_LIFECYCLE_DETAIL_TYPE = 'EC2 Instance-terminate Lifecycle Action';

/** The `detail` of an "EC2 Instance-terminate Lifecycle Action" event (source `aws.autoscaling`). */
export const LifecycleDetailSchema = z.looseObject({
  LifecycleActionToken: z.string().min(1),
  AutoScalingGroupName: z.string().min(1),
  LifecycleHookName: z.string().min(1),
  EC2InstanceId: z.string().min(1),
  LifecycleTransition: z.string(),
  NotificationMetadata: z.string().optional(),
});
export type LifecycleDetail = z.output<typeof LifecycleDetailSchema>;

/**
 * What the lifecycle hook's notification metadata must say (JSON text, set on the hook):
 * which tenant and App Connector group the instance's connector belongs to. Optional: the source
 * name, a connector name template (`{instanceId}` is replaced), the microtenant.
 *
 * @example
 * {"tenant":"acme","groupId":"72057615512764441","connectorName":"aws-{instanceId}"}
 */
export const LifecycleMetadataSchema = z.looseObject({
  tenant: z.string({ error: 'NotificationMetadata.tenant is required' }),
  groupId: z.union([z.string(), z.number()], { error: 'NotificationMetadata.groupId is required' }),
  source: z.string().optional(),
  connectorName: z.string().optional(),
  microtenantId: z.union([z.string(), z.number()]).optional(),
});

export interface LifecycleAction {
  asgName: string;
  hookName: string;
  token: string;
  instanceId: string;
}

export interface MappedLifecycleEvent {
  lifecycle: LifecycleAction;
  /** Source name from the metadata, if given. */
  sourceName: string | undefined;
  draft: Record<string, unknown>;
  issues: Issue[];
}

/**
 * Maps a terminate lifecycle action onto an `appConnector.teardown` draft. The dedupe key is derived
 * from ASG, hook and instance (EventBridge may deliver an event twice) and never contains the token.
 */
export function mapLifecycleDetail(detail: LifecycleDetail): MappedLifecycleEvent {
  const lifecycle: LifecycleAction = {
    asgName: detail.AutoScalingGroupName,
    hookName: detail.LifecycleHookName,
    token: detail.LifecycleActionToken,
    instanceId: detail.EC2InstanceId,
  };
  const issues: Issue[] = [];
  let meta: z.output<typeof LifecycleMetadataSchema> | undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(detail.NotificationMetadata ?? '');
  } catch {
    issues.push({
      path: 'NotificationMetadata',
      message:
        'the lifecycle hook NotificationMetadata must be JSON such as {"tenant":"acme","groupId":"7205…"}',
    });
  }
  if (issues.length === 0) {
    const parsed = LifecycleMetadataSchema.safeParse(raw);
    if (parsed.success) meta = parsed.data;
    else
      issues.push(...issuesOf(parsed.error).map((i) => ({ ...i, path: `NotificationMetadata.${i.path}` })));
  }
  const key = createHash('sha256')
    .update(`${lifecycle.asgName}\u0000${lifecycle.hookName}\u0000${lifecycle.instanceId}`)
    .digest('hex')
    .slice(0, 40);
  const draft: Record<string, unknown> = {
    action: 'appConnector.teardown',
    provider: 'aws',
    instanceId: lifecycle.instanceId,
    reason: `Auto Scaling group ${lifecycle.asgName} is terminating ${lifecycle.instanceId} (hook ${lifecycle.hookName})`,
    source: { ref: lifecycle.instanceId },
    idempotencyKey: `lifecycle:${key}`,
    lifecycle: { ...lifecycle },
  };
  if (meta) {
    draft.tenant = meta.tenant;
    draft.groupId = meta.groupId;
    if (meta.connectorName)
      draft.connectorName = meta.connectorName.replaceAll('{instanceId}', lifecycle.instanceId);
    if (meta.microtenantId !== undefined) draft.microtenantId = meta.microtenantId;
  }
  return { lifecycle, sourceName: meta?.source, draft, issues };
}
