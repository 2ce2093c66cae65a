/**
 * Names of the worker's custom metrics, emitted with Powertools Metrics (EMF) under namespace
 * `zcops` with the one dimension `service` = `zcops-worker`. The CDK app's alarms and dashboard
 * read the same constants (`infra/defaults.ts` METRIC_NAMES), so a rename cannot orphan an alarm.
 *
 * @example
 * sink.count(WORKER_METRIC_NAMES.requestsFailed);
 */
export const WORKER_METRIC_NAMES = {
  /** Count: +1 when a request ends SUCCEEDED. */
  requestsSucceeded: 'RequestsSucceeded',
  /** Count: +1 when a request ends FAILED or DEAD_LETTERED (the alarmed one). */
  requestsFailed: 'RequestsFailed',
  /** Count: +1 when a guardrail refuses a request (REJECTED). */
  requestsRejected: 'RequestsRejected',
  /** Count: +1 when a request waits HELD for an operator's approval. */
  requestsHeld: 'RequestsHeld',
  /** Count: +1 when a run hands its job back to the queue with a delay (DEFERRED). */
  requestsDeferred: 'RequestsDeferred',
  /** Count: +1 per HTTP 429 answered by Zscaler. */
  zscalerRateLimited: 'ZscalerRateLimited',
  /** Milliseconds: per rate-limited Zscaler call, the time it waited for a limiter permit (0 included). */
  limiterWaitMs: 'LimiterWaitMs',
  /** Milliseconds: per run of a job (claim to settlement). */
  jobDurationMs: 'JobDurationMs',
} as const;
export type WorkerMetricName = (typeof WORKER_METRIC_NAMES)[keyof typeof WORKER_METRIC_NAMES];

/** The worker's Powertools service name, the `service` dimension of its metrics. */
export const WORKER_SERVICE_NAME = 'zcops-worker';
