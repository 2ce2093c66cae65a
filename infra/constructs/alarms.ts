import { Duration, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMES, POWERTOOLS_DEFAULTS, serviceName } from '../defaults.ts';
import { InfraPropsError } from '../errors.ts';

/**
 * The operator's alarms, all notifying one SNS topic (TLS only; e-mail subscriptions from config):
 * - jobs DLQ, delivery DLQ, events failures not empty (a request or an event needs a human);
 * - failed requests over a threshold in 5 minutes;
 * - HTTP 429s from Zscaler over a threshold in 5 minutes (the configured budget is too generous);
 * - p90 rate-limiter wait over a threshold (the budget is too small for the load);
 * - intake failures (webhook 5xx plus events that threw) over a threshold.
 * The last four read the functions' Powertools metrics (namespace + `service` dimension).
 *
 * @example
 * new Alarms(this, 'Alarms', { jobsDlq, deliveryDlq, thresholds: { failedRequests: 1, rateLimited429s: 5, limiterWaitMsP90: 30000 }, notifyEmails: [] });
 */
export interface AlarmsProps {
  jobsDlq: IQueue;
  deliveryDlq: IQueue;
  /** The events function's on-failure destination, when the events function is deployed. */
  eventsFailures?: IQueue;
  thresholds: {
    failedRequests: number;
    rateLimited429s: number;
    limiterWaitMsP90: number;
    intakeFailures: number;
  };
  notifyEmails: readonly string[];
  /** Powertools namespace (default `POWERTOOLS_DEFAULTS.metricsNamespace`). */
  namespace?: string;
}

export function validateAlarmsProps(props: AlarmsProps): void {
  for (const [name, value] of Object.entries(props.thresholds)) {
    if (!(value > 0))
      throw new InfraPropsError('Alarms', `threshold ${name} must be positive (got ${value})`);
  }
}

export class Alarms extends Construct {
  readonly topic: Topic;
  readonly jobsDlqNotEmpty: Alarm;
  readonly deliveryDlqNotEmpty: Alarm;
  readonly eventsFailuresNotEmpty?: Alarm;
  readonly failedRequests: Alarm;
  readonly rateLimited429s: Alarm;
  readonly limiterWaits: Alarm;
  readonly intakeFailures: Alarm;
  /** The custom metrics, for the dashboard. */
  readonly metrics: {
    failedRequests: IMetric;
    rateLimited429s: IMetric;
    limiterWaitP90: IMetric;
    intakeFailures: IMetric;
  };

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    validateAlarmsProps(props);
    this.topic = new Topic(this, 'Topic', { displayName: 'zcops alarms', enforceSSL: true });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'CloudWatch alarms cannot publish to a topic encrypted with the AWS managed SNS key, and the notifications carry only alarm names and states (no request data or secrets).',
    });
    for (const email of props.notifyEmails) this.topic.addSubscription(new EmailSubscription(email));

    const namespace = props.namespace ?? POWERTOOLS_DEFAULTS.metricsNamespace;
    const custom = (fn: 'webhook' | 'events' | 'worker', metricName: string, statistic: string) =>
      new Metric({
        namespace,
        metricName,
        dimensionsMap: { service: serviceName(fn) },
        statistic,
        period: Duration.minutes(5),
      });
    this.metrics = {
      failedRequests: custom('worker', METRIC_NAMES.requestsFailed, 'Sum'),
      rateLimited429s: custom('worker', METRIC_NAMES.zscalerRateLimited, 'Sum'),
      limiterWaitP90: custom('worker', METRIC_NAMES.limiterWaitMs, 'p90'),
      // FILL(…, 0): a function that has not emitted the metric yet must not blank the sum.
      intakeFailures: new MathExpression({
        expression: 'FILL(webhook, 0) + FILL(events, 0)',
        usingMetrics: {
          webhook: custom('webhook', METRIC_NAMES.webhookFailures, 'Sum'),
          events: custom('events', METRIC_NAMES.eventsFailures, 'Sum'),
        },
        label: 'intake failures',
        period: Duration.minutes(5),
      }),
    };

    const action = new SnsAction(this.topic);
    const alarm = (id: string, metric: IMetric, threshold: number, description: string) => {
      const a = new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      a.addOkAction(action);
      return a;
    };

    const depth = (q: IQueue) =>
      q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' });
    this.jobsDlqNotEmpty = alarm(
      'JobsDlqNotEmpty',
      depth(props.jobsDlq),
      1,
      'Jobs reached the DLQ: their requests are DEAD_LETTERED. Inspect and redrive with the zcops CLI.',
    );
    this.deliveryDlqNotEmpty = alarm(
      'DeliveryDlqNotEmpty',
      depth(props.deliveryDlq),
      1,
      'EventBridge or Scheduler could not deliver events to the events function (lifecycle hooks or snapshots were missed).',
    );
    if (props.eventsFailures)
      this.eventsFailuresNotEmpty = alarm(
        'EventsFailuresNotEmpty',
        depth(props.eventsFailures),
        1,
        'The events function failed on an event after its retries (a teardown or snapshot was not accepted). Fix the cause, then zcops events redrive.',
      );
    this.failedRequests = alarm(
      'FailedRequests',
      this.metrics.failedRequests,
      props.thresholds.failedRequests,
      'Requests ended FAILED or DEAD_LETTERED.',
    );
    this.rateLimited429s = alarm(
      'ZscalerRateLimited',
      this.metrics.rateLimited429s,
      props.thresholds.rateLimited429s,
      'Zscaler answered HTTP 429: the configured rate budget is above what the tenant allows.',
    );
    this.intakeFailures = alarm(
      'IntakeFailures',
      this.metrics.intakeFailures,
      props.thresholds.intakeFailures,
      'The intake could not record or enqueue requests (webhook 5xx, events that threw and will be retried).',
    );
    this.limiterWaits = alarm(
      'LimiterWaits',
      this.metrics.limiterWaitP90,
      props.thresholds.limiterWaitMsP90,
      'p90 rate-limiter wait is long: the load exceeds the Zscaler budget.',
    );
  }

  get all(): Alarm[] {
    return [
      this.intakeFailures,
      this.jobsDlqNotEmpty,
      this.deliveryDlqNotEmpty,
      ...(this.eventsFailuresNotEmpty ? [this.eventsFailuresNotEmpty] : []),
      this.failedRequests,
      this.rateLimited429s,
      this.limiterWaits,
    ];
  }
}
