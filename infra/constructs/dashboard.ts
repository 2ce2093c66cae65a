import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  Dashboard as CwDashboard,
  GraphWidget,
  type IMetric,
  Metric,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMES, POWERTOOLS_DEFAULTS, serviceName } from '../defaults.ts';
import type { Alarms } from './alarms.ts';

/**
 * One CloudWatch dashboard for the operator: alarm states, queue and DLQ depth, per-function
 * invocations / errors / duration / throttles, API traffic, the Zscaler metrics (failures,
 * 429s, limiter wait) and the worker's request outcomes and job durations.
 *
 * @example
 * new Dashboard(this, 'Dashboard', { alarms, jobsQueue: jobs.queue, jobsDlq: jobs.deadLetterQueue, functions: { webhook: fn } });
 */
export interface DashboardProps {
  alarms: Alarms;
  jobsQueue: IQueue;
  jobsDlq: IQueue;
  functions: Readonly<Record<string, IFunction>>;
  api?: HttpApi;
}

export class Dashboard extends Construct {
  readonly dashboard: CwDashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    this.dashboard = new CwDashboard(this, 'Dashboard', { defaultInterval: Duration.hours(6) });
    const fns = Object.entries(props.functions);
    const per = (f: (fn: IFunction) => IMetric, label: string): IMetric[] =>
      fns.map(([name, fn]) => (f(fn) as Metric).with({ label: `${name} ${label}` }));

    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms.all, width: 24 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Jobs queue',
        left: [
          props.jobsQueue.metricApproximateNumberOfMessagesVisible({ label: 'visible' }),
          props.jobsQueue.metricApproximateAgeOfOldestMessage({ label: 'oldest (s)' }),
          props.jobsDlq.metricApproximateNumberOfMessagesVisible({ label: 'DLQ' }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Zscaler',
        left: [
          props.alarms.metrics.failedRequests,
          props.alarms.metrics.rateLimited429s,
          props.alarms.metrics.intakeFailures,
        ],
        right: [props.alarms.metrics.limiterWaitP90],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Invocations',
        left: per((fn) => fn.metricInvocations(), 'invocations'),
        width: 8,
      }),
      new GraphWidget({
        title: 'Errors and throttles',
        left: [
          ...per((fn) => fn.metricErrors(), 'errors'),
          ...per((fn) => fn.metricThrottles(), 'throttles'),
        ],
        width: 8,
      }),
      new GraphWidget({
        title: 'Duration p90',
        left: per((fn) => fn.metricDuration({ statistic: 'p90' }), 'p90'),
        width: 8,
      }),
    );
    const worker = (metricName: string, statistic: string, label: string) =>
      new Metric({
        namespace: POWERTOOLS_DEFAULTS.metricsNamespace,
        metricName,
        dimensionsMap: { service: serviceName('worker') },
        statistic,
        period: Duration.minutes(5),
        label,
      });
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Requests (worker)',
        left: [
          worker(METRIC_NAMES.requestsSucceeded, 'Sum', 'succeeded'),
          worker(METRIC_NAMES.requestsFailed, 'Sum', 'failed or dead-lettered'),
          worker(METRIC_NAMES.requestsDeferred, 'Sum', 'deferred'),
        ],
        right: [worker(METRIC_NAMES.jobDurationMs, 'p90', 'job duration p90 (ms)')],
        width: 24,
      }),
    );
    if (props.api) {
      const api = props.api;
      this.dashboard.addWidgets(
        new GraphWidget({
          title: 'HTTP API',
          left: [
            api.metricCount({ label: 'requests' }),
            api.metricClientError({ label: '4xx' }),
            api.metricServerError({ label: '5xx' }),
          ],
          right: [api.metricLatency({ statistic: 'p90', label: 'latency p90' })],
          width: 24,
        }),
      );
    }
  }
}
