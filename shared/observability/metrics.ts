import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export { MetricUnit };

/** Namespace of every zcops metric. */
export const METRICS_NAMESPACE = 'zcops';

/**
 * Powertools Metrics (EMF on stdout; CloudWatch extracts them). Publish once per invocation with
 * `metrics.publishStoredMetrics()`.
 *
 * @example
 * const metrics = createMetrics('webhook');
 * metrics.addMetric('RequestsAccepted', MetricUnit.Count, 1);
 * metrics.publishStoredMetrics();
 */
export function createMetrics(serviceName: string): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
}
