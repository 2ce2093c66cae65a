import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SnapshotSchedule } from '../config.ts';
import { InfraPropsError } from '../errors.ts';

/**
 * One EventBridge Scheduler schedule per tenant that asks the events function for an inventory
 * snapshot, in the tenant's time zone, with retries and a DLQ. The payload is the scheduled event
 * the events function reads (`SnapshotSchedulePayload`).
 *
 * @example
 * new SnapshotSchedules(this, 'Snapshots', { target: eventsFn, deadLetterQueue: dlq,
 *   schedules: [{ tenant: 'acme', expression: 'cron(0 3 * * ? *)', timezone: 'Europe/Paris', enabled: true }] });
 */
export interface SnapshotSchedulesProps {
  target: IFunction;
  schedules: readonly SnapshotSchedule[];
  deadLetterQueue: IQueue;
}

/**
 * The input each schedule sends to the events function: the "Scheduled Event" shape that
 * `ScheduleEventSchema` (shared/intake/schedule-event.ts) reads, with Scheduler's context
 * attributes (execution id, scheduled time, schedule ARN) filled in at run time. The execution id
 * becomes the request's idempotency key, so a retried delivery never snapshots twice.
 */
export function snapshotPayload(tenant: string, source?: string) {
  return {
    version: '0',
    id: ContextAttribute.executionId,
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    time: ContextAttribute.scheduledTime,
    resources: [ContextAttribute.scheduleArn],
    detail: { tenant, action: 'inventory.snapshot', ...(source ? { source } : {}) },
  };
}

export function validateSnapshotSchedulesProps(props: SnapshotSchedulesProps): void {
  const tenants = new Set<string>();
  for (const s of props.schedules) {
    if (tenants.has(s.tenant))
      throw new InfraPropsError('SnapshotSchedules', `tenant "${s.tenant}" has two schedules`);
    tenants.add(s.tenant);
    if (!/^(cron|rate)\(.+\)$/.test(s.expression))
      throw new InfraPropsError(
        'SnapshotSchedules',
        `tenant "${s.tenant}": "${s.expression}" is not a cron() or rate() expression`,
      );
  }
}

export class SnapshotSchedules extends Construct {
  readonly group: ScheduleGroup;
  readonly schedules: Schedule[] = [];
  /** The role Scheduler assumes to invoke the events function (nothing else). */
  readonly role: Role;

  constructor(scope: Construct, id: string, props: SnapshotSchedulesProps) {
    super(scope, id);
    validateSnapshotSchedulesProps(props);
    this.group = new ScheduleGroup(this, 'Group', {});
    const stack = Stack.of(this);
    this.role = new Role(this, 'InvokeRole', {
      description: 'zcops: EventBridge Scheduler invokes the events function for snapshots',
      // Confused-deputy guard: only schedules of this account may assume it.
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    const fnLogicalId = stack.getLogicalId(props.target.node.defaultChild as CfnFunction);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${fnLogicalId}.Arn>:*]`,
      reason:
        'lambda:InvokeFunction on the events function and its versions/aliases (":*"); no other function.',
    });
    for (const s of props.schedules) {
      this.schedules.push(
        new Schedule(this, `Snapshot-${s.tenant}`, {
          description: `zcops inventory snapshot of tenant ${s.tenant}`,
          scheduleGroup: this.group,
          schedule: ScheduleExpression.expression(s.expression, TimeZone.of(s.timezone)),
          enabled: s.enabled,
          target: new LambdaInvoke(props.target, {
            role: this.role,
            input: ScheduleTargetInput.fromObject(snapshotPayload(s.tenant, s.source)),
            deadLetterQueue: props.deadLetterQueue,
            retryAttempts: 3,
            maxEventAge: Duration.hours(1),
          }),
        }),
      );
    }
  }
}
