/**
 * Where domain code records metrics, without knowing the format or the transport. The Lambda
 * adapter is `PowertoolsMetricsSink` (CloudWatch EMF on stdout); tests may record in memory.
 *
 * @example
 * sink.count('RequestsFailed');
 * sink.milliseconds('LimiterWaitMs', 120);
 * sink.flush(); // once per invocation
 */
export interface MetricsSink {
  /** Adds `value` (default 1) to a count metric. */
  count(name: string, value?: number): void;
  /** Records one duration in milliseconds (each value kept, so percentiles work). */
  milliseconds(name: string, ms: number): void;
  /** Publishes what was recorded since the last flush; nothing when nothing was recorded. */
  flush(): void;
}
