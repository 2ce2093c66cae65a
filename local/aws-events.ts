import { randomUUID } from 'node:crypto';

/** What a terminate lifecycle event needs; everything else gets a realistic default. */
export interface TerminateEventInput {
  asgName: string;
  instanceId: string;
  /** Default `zcops-teardown`. */
  hookName?: string;
  /** The hook's NotificationMetadata, as an object (serialised) or as text (sent as is). */
  metadata?: Record<string, unknown> | string;
  /** Default a fresh UUID. */
  token?: string;
  region?: string;
  account?: string;
  /** Default now. */
  time?: Date;
}

/**
 * An EventBridge "EC2 Instance-terminate Lifecycle Action" event exactly as Auto Scaling emits it
 * (source `aws.autoscaling`, the ASG's ARN in `resources`, `NotificationMetadata` as JSON text).
 *
 * @example
 * await eventsHandler(terminateLifecycleEvent({ asgName: 'zpa-app-connectors', instanceId: 'i-0abc…',
 *   metadata: { tenant: 'acme', groupId: '72057615512764441', connectorName: 'aws-{instanceId}' } }));
 */
export function terminateLifecycleEvent(input: TerminateEventInput): Record<string, unknown> {
  const region = input.region ?? 'us-east-1';
  const account = input.account ?? '000000000000';
  const time = (input.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const metadata =
    input.metadata === undefined
      ? undefined
      : typeof input.metadata === 'string'
        ? input.metadata
        : JSON.stringify(input.metadata);
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'EC2 Instance-terminate Lifecycle Action',
    source: 'aws.autoscaling',
    account,
    time,
    region,
    resources: [
      `arn:aws:autoscaling:${region}:${account}:autoScalingGroup:${randomUUID()}:autoScalingGroupName/${input.asgName}`,
    ],
    detail: {
      LifecycleActionToken: input.token ?? randomUUID(),
      AutoScalingGroupName: input.asgName,
      LifecycleHookName: input.hookName ?? 'zcops-teardown',
      EC2InstanceId: input.instanceId,
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      ...(metadata !== undefined ? { NotificationMetadata: metadata } : {}),
      Origin: 'AutoScalingGroup',
      Destination: 'EC2',
    },
  };
}

/**
 * The event EventBridge Scheduler sends the events function for a tenant's snapshot schedule
 * (the input template of `infra/constructs/snapshot-schedules.ts`).
 *
 * @example
 * await eventsHandler(scheduledSnapshotEvent({ tenant: 'acme', scheduleName: 'zcops-snapshot-acme' }));
 */
export function scheduledSnapshotEvent(input: {
  tenant: string;
  scheduleName: string;
  source?: string;
  time?: Date;
  region?: string;
  account?: string;
}): Record<string, unknown> {
  const region = input.region ?? 'us-east-1';
  const account = input.account ?? '000000000000';
  // Exactly the keys of `snapshotPayload` (infra/constructs/snapshot-schedules.ts): no account/region.
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    time: (input.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    resources: [`arn:aws:scheduler:${region}:${account}:schedule/default/${input.scheduleName}`],
    detail: {
      tenant: input.tenant,
      action: 'inventory.snapshot',
      ...(input.source ? { source: input.source } : {}),
    },
  };
}
