import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { beginInvocation, withCorrelationId } from '../shared/observability/logger.ts';
import { MetricUnit } from '../shared/observability/metrics.ts';

export type LambdaHandler<E, R> = (event: E, context?: Context) => Promise<R>;

/**
 * A function's Lambda entry point: the handler is built once per container. In Lambda
 * (AWS_LAMBDA_FUNCTION_NAME is set) it is built at init, so a configuration mistake fails the cold
 * start with the field named, not the first event; elsewhere (tests, tools importing the module)
 * it is built on first use only.
 *
 * @example
 * export const handler = lambdaEntry(() => createHandler(intakeFromEnv(process.env)));
 */
export function lambdaEntry<E, R>(build: () => LambdaHandler<E, R>): LambdaHandler<E, R> {
  let built = process.env.AWS_LAMBDA_FUNCTION_NAME ? build() : undefined;
  return (event, context) => {
    built ??= build();
    return built(event, context);
  };
}

/** What one invocation reports: its log line, its one count metric, the request it concerns. */
export interface InvocationReport {
  message: string;
  detail: Record<string, unknown>;
  metric: string;
  requestId?: string | undefined;
}

export interface Instrumentation<E, R> {
  logger: Logger;
  metrics: Metrics;
  /** API Gateway's request id of an HTTP event (joins the access log). */
  apiRequestId?: (event: E) => string | undefined;
  done: (result: R) => InvocationReport;
  /** A failed invocation's line and metric; the error is thrown on (the caller's retry). */
  failed?: { message: string; metric: string };
}

/**
 * Runs one invocation with the function's logger and metrics: the Lambda context on every log line
 * (`beginInvocation`), then the request as correlation id, one log line and one count metric for
 * the result, metrics published once whatever happened.
 *
 * @example
 * return instrumented({ logger, metrics, done: (r) => ({ message: 'event handled', detail: r, metric: 'EventsAccepted' }) }, run);
 */
export function instrumented<E, R>(
  how: Instrumentation<E, R>,
  run: (event: E, context: Context | undefined) => Promise<R>,
): LambdaHandler<E, R> {
  const { logger, metrics } = how;
  return async (event, context) => {
    beginInvocation(logger, context, { api_request_id: how.apiRequestId?.(event) });
    try {
      const result = await run(event, context);
      const report = how.done(result);
      withCorrelationId(logger, report.requestId);
      logger.info(report.message, report.detail);
      metrics.addMetric(report.metric, MetricUnit.Count, 1);
      return result;
    } catch (err) {
      if (how.failed) {
        logger.error(how.failed.message, { error: err });
        metrics.addMetric(how.failed.metric, MetricUnit.Count, 1);
      }
      throw err;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
