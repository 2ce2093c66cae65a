import type { Metrics } from '@aws-lambda-powertools/metrics';
import { createMetrics, MetricUnit } from './metrics.ts';
import type { MetricsSink } from './metrics-sink.ts';

/**
 * `MetricsSink` over Powertools Metrics: EMF JSON lines on stdout that CloudWatch turns into
 * metrics (namespace `zcops`, dimension `service`). Repeated values of one metric go into one EMF
 * record as a value list (Powertools publishes early past 100 values or 100 metrics). `flush` skips
 * the publish when nothing was recorded, so an idle batch logs no "no metrics" warning.
 *
 * @example
 * const sink = new PowertoolsMetricsSink(createMetrics('zcops-worker'));
 * sink.count('RequestsFailed');
 * sink.flush();
 */
export class PowertoolsMetricsSink implements MetricsSink {
  readonly #metrics: Metrics;

  constructor(metrics: Metrics) {
    this.#metrics = metrics;
  }

  count(name: string, value = 1): void {
    this.#metrics.addMetric(name, MetricUnit.Count, value);
  }

  milliseconds(name: string, ms: number): void {
    this.#metrics.addMetric(name, MetricUnit.Milliseconds, Math.max(0, Math.round(ms)));
  }

  flush(): void {
    if (this.#metrics.hasStoredMetrics()) this.#metrics.publishStoredMetrics();
  }
}

/** A sink for `serviceName` in the `zcops` namespace. */
export function createMetricsSink(serviceName: string): PowertoolsMetricsSink {
  return new PowertoolsMetricsSink(createMetrics(serviceName));
}
