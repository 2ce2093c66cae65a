import { Duration, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUE_DEFAULTS } from '../defaults.ts';

/**
 * Lambda's asynchronous-invocation settings for the events function (EventBridge and Scheduler invoke
 * it asynchronously): two retries, then the on-failure destination. The events handler throws only
 * when a dependency failed (submit dedupes a redelivery), so retries are safe.
 */
export const EVENTS_ASYNC_INVOKE = {
  retryAttempts: 2,
  // As long as the lifecycle rule's own delivery retries: a teardown older than that has timed out.
  maxEventAge: Duration.hours(2),
} as const;

/**
 * The events function's on-failure destination: an event whose invocation threw on every attempt
 * (or aged out) lands here as Lambda's destination record (`requestPayload` is the event), instead
 * of being dropped with the connector left behind. Encrypted, TLS only, kept 14 days;
 * `zcops events redrive` replays its events into the events handler. Apart from the delivery DLQ:
 * those are events EventBridge or Scheduler could not deliver at all, in another shape.
 *
 * @example
 * const failures = new EventsFailureQueue(this, 'EventsFailures', { target: events.function });
 */
export interface EventsFailureQueueProps {
  target: IFunction;
}

export class EventsFailureQueue extends Construct {
  readonly queue: Queue;

  constructor(scope: Construct, id: string, props: EventsFailureQueueProps) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: QUEUE_DEFAULTS.dlqRetention,
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself a dead-letter destination (the events function's failed invocations).",
    });
    // Also grants the function's role sqs:SendMessage on this queue (Lambda sends as the function).
    props.target.configureAsyncInvoke({
      onFailure: new SqsDestination(this.queue),
      retryAttempts: EVENTS_ASYNC_INVOKE.retryAttempts,
      maxEventAge: EVENTS_ASYNC_INVOKE.maxEventAge,
    });
  }
}
