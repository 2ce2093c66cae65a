import { Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUE_DEFAULTS } from '../defaults.ts';

/**
 * Dead-letter queue for events that EventBridge or Scheduler could not deliver to the events
 * function (after their retries). Separate from the jobs DLQ because its messages are raw AWS
 * events, not jobs: the jobs redrive must never see them.
 *
 * @example
 * const dlq = new DeliveryDlq(this, 'DeliveryDlq');
 * new LambdaFunction(fn, { deadLetterQueue: dlq.queue });
 */
export class DeliveryDlq extends Construct {
  readonly queue: Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: QUEUE_DEFAULTS.dlqRetention,
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter queue (for EventBridge and Scheduler deliveries).',
    });
  }
}
