import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUE_DEFAULTS } from '../defaults.ts';
import { InfraPropsError } from '../errors.ts';

/**
 * The jobs queue between intake and the worker, with its dead-letter queue. Both are encrypted
 * (SSE-SQS) and refuse plain HTTP. The visibility timeout is derived from the consumer's timeout
 * (six times, per AWS guidance for Lambda event sources) so a slow batch is never delivered twice
 * while it is still running.
 *
 * @example
 * const jobs = new JobsQueue(this, 'Jobs', { consumerTimeout: Duration.minutes(2) });
 * jobs.queue.grantSendMessages(webhookFn);
 */
export interface JobsQueueProps {
  /** Timeout of the Lambda function that consumes the queue. */
  consumerTimeout: Duration;
  /** Receives before a message moves to the DLQ (default `QUEUE_DEFAULTS.maxReceiveCount`). */
  maxReceiveCount?: number;
  /** Multiple of `consumerTimeout` used as visibility timeout; at least 6 (default 6). */
  visibilityTimeoutFactor?: number;
  /** An explicit visibility timeout instead of the factor; at least 6 × `consumerTimeout`. */
  visibilityTimeout?: Duration;
}

/** The queue's visibility timeout in seconds: the explicit one, else factor × consumer timeout. */
export function visibilitySecondsOf(props: JobsQueueProps): number {
  if (props.visibilityTimeout) return props.visibilityTimeout.toSeconds();
  return (
    props.consumerTimeout.toSeconds() *
    (props.visibilityTimeoutFactor ?? QUEUE_DEFAULTS.visibilityTimeoutFactor)
  );
}

/** Throws `InfraPropsError` when the props would let messages be processed twice or dead-letter instantly. */
export function validateJobsQueueProps(props: JobsQueueProps): void {
  const factor = props.visibilityTimeoutFactor ?? QUEUE_DEFAULTS.visibilityTimeoutFactor;
  if (factor < QUEUE_DEFAULTS.visibilityTimeoutFactor)
    throw new InfraPropsError('JobsQueue', `visibilityTimeoutFactor must be at least 6 (got ${factor})`);
  const receives = props.maxReceiveCount ?? QUEUE_DEFAULTS.maxReceiveCount;
  if (!Number.isInteger(receives) || receives < 1 || receives > 1000)
    throw new InfraPropsError('JobsQueue', `maxReceiveCount must be an integer in 1..1000 (got ${receives})`);
  const visibility = visibilitySecondsOf(props);
  const minimum = props.consumerTimeout.toSeconds() * QUEUE_DEFAULTS.visibilityTimeoutFactor;
  if (visibility < minimum)
    throw new InfraPropsError(
      'JobsQueue',
      `visibility timeout ${visibility}s is under ${QUEUE_DEFAULTS.visibilityTimeoutFactor} × the consumer timeout (${minimum}s): a batch still running would be delivered again`,
    );
  if (visibility > 43_200)
    throw new InfraPropsError(
      'JobsQueue',
      `visibility timeout ${visibility}s exceeds SQS's 12 hours; lower the consumer timeout`,
    );
}

export class JobsQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: JobsQueueProps) {
    super(scope, id);
    validateJobsQueueProps(props);
    this.maxReceiveCount = props.maxReceiveCount ?? QUEUE_DEFAULTS.maxReceiveCount;

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: QUEUE_DEFAULTS.dlqRetention,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the jobs queue; a DLQ of a DLQ would only hide failures.',
    });

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: QUEUE_DEFAULTS.retention,
      visibilityTimeout: Duration.seconds(visibilitySecondsOf(props)),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: this.maxReceiveCount },
    });
  }
}
