import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '../shared/observability/metrics.ts';

/**
 * Powertools Metrics for the local stack: the handlers add and publish metrics exactly as in
 * Lambda, but the EMF lines (meant for CloudWatch) are dropped instead of cluttering the terminal,
 * unless `--verbose`.
 *
 * @example
 * createHandler({ ...deps, metrics: new QuietMetrics('zcops-webhook') });
 */
export class QuietMetrics extends Metrics {
  constructor(serviceName: string) {
    super({ namespace: METRICS_NAMESPACE, serviceName });
  }

  override publishStoredMetrics(): this {
    this.clearMetrics();
    this.clearDimensions();
    this.clearMetadata();
    return this;
  }
}
