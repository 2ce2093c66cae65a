import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { InfraPropsError } from '../errors.ts';

/**
 * The EventBridge rule that sends "EC2 Instance-terminate Lifecycle Action" events of the configured
 * Auto Scaling groups (and only those) to the events function, with retries and a DLQ.
 * `grantCompleteLifecycleAction` lets the worker finish the hook (CONTINUE) once the connector is gone.
 *
 * @example
 * const rule = new LifecycleRule(this, 'Lifecycle', { target: eventsFn, asgNames: ['zpa-connectors'], deadLetterQueue: dlq });
 * rule.grantCompleteLifecycleAction(workerFn);
 */
export interface LifecycleRuleProps {
  target: IFunction;
  /** Auto Scaling group names whose terminate hooks zcops handles; at least one. */
  asgNames: readonly string[];
  deadLetterQueue: IQueue;
}

export const LIFECYCLE_DETAIL_TYPE = 'EC2 Instance-terminate Lifecycle Action';

export function validateLifecycleRuleProps(props: LifecycleRuleProps): void {
  if (props.asgNames.length === 0)
    throw new InfraPropsError(
      'LifecycleRule',
      'asgNames is empty: a rule for every group in the account is refused',
    );
  for (const name of props.asgNames) {
    if (!/^[^:*]{1,255}$/.test(name))
      throw new InfraPropsError(
        'LifecycleRule',
        `invalid Auto Scaling group name "${name}" (1..255 characters, no ":" or "*")`,
      );
  }
  if (new Set(props.asgNames).size !== props.asgNames.length)
    throw new InfraPropsError('LifecycleRule', 'asgNames contains duplicates');
}

export class LifecycleRule extends Construct {
  readonly rule: Rule;
  readonly asgNames: readonly string[];

  constructor(scope: Construct, id: string, props: LifecycleRuleProps) {
    super(scope, id);
    validateLifecycleRuleProps(props);
    this.asgNames = [...props.asgNames];
    this.rule = new Rule(this, 'Rule', {
      description: 'zcops: terminate lifecycle actions of the configured Auto Scaling groups',
      eventPattern: {
        source: ['aws.autoscaling'],
        detailType: [LIFECYCLE_DETAIL_TYPE],
        detail: { AutoScalingGroupName: [...props.asgNames] },
      },
    });
    this.rule.addTarget(
      new LambdaFunction(props.target, {
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 8,
        maxEventAge: Duration.hours(2),
      }),
    );
  }

  /**
   * `autoscaling:CompleteLifecycleAction` on the configured groups only. With `worker: true` also
   * `ec2:DescribeInstances` (to find a terminating instance's private IP). The events function
   * gets the plain grant: it completes (CONTINUE) hooks it must reject. Nothing records heartbeats
   * (the worker defers instead), so `RecordLifecycleActionHeartbeat` is granted to no one.
   */
  grantCompleteLifecycleAction(grantee: IGrantable, options: { worker?: boolean } = {}): void {
    const stack = Stack.of(this);
    const groupArns = this.asgNames.map((name) =>
      stack.formatArn({
        service: 'autoscaling',
        resource: 'autoScalingGroup',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        // The group's UUID is assigned by AWS and unknown here; the name pins the group.
        resourceName: `*:autoScalingGroupName/${name}`,
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['autoscaling:CompleteLifecycleAction'],
        resources: groupArns,
      }),
    );
    if (!options.worker) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['ec2:DescribeInstances'], resources: ['*'] }),
    );
  }

  /** Acknowledges the group-UUID wildcard on the grantee's policy (one finding per group). */
  acknowledgeGroupWildcards(scope: Construct): void {
    for (const name of this.asgNames) {
      Validations.of(scope).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/${name}]`,
        reason: `Auto Scaling group ARNs contain a UUID assigned at creation; the group is pinned by its name (${name}).`,
      });
    }
  }
}
