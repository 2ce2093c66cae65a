/**
 * Every custom metric zcops emits, by function, with Powertools Metrics (EMF) under namespace
 * `zcops` and the one dimension `service` = the function's service name. The CDK app's alarms and
 * dashboard read the same constants (`infra/defaults.ts` METRIC_NAMES), so a rename cannot orphan
 * an alarm (test/unit/observability/metric-names.test.ts checks every alarm against these).
 *
 * @example
 * sink.count(WORKER_METRIC_NAMES.requestsFailed);
 */

/** Each function's Powertools service name: the `service` dimension of its metrics. */
export const SERVICE_NAMES = {
  webhook: 'zcops-webhook',
  events: 'zcops-events',
  worker: 'zcops-worker',
} as const;

/** The worker's Powertools service name, the `service` dimension of its metrics. */
export const WORKER_SERVICE_NAME = SERVICE_NAMES.worker;

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

/** The webhook's metrics: Count, +1 per answer, by its status (`webhookMetricName`). */
export const WEBHOOK_METRIC_NAMES = {
  /** 202: a request was accepted. */
  accepted: 'RequestsAccepted',
  /** 200: a lookup or a duplicate was answered. */
  answered: 'RequestsAnswered',
  /** 400. */
  invalid: 'RequestsInvalid',
  /** 401. */
  unauthenticated: 'RequestsUnauthenticated',
  /** 403. */
  forbidden: 'RequestsForbidden',
  /** 409. */
  conflicting: 'RequestsConflicting',
  /** 413. */
  tooLarge: 'RequestsTooLarge',
  /** Any other 4xx. */
  refused: 'RequestsRefused',
  /** 5xx: the intake could not record or enqueue (alarmed). */
  intakeFailures: 'IntakeFailures',
} as const;
export type WebhookMetricName = (typeof WEBHOOK_METRIC_NAMES)[keyof typeof WEBHOOK_METRIC_NAMES];

/** The metric the webhook counts for an answer of this HTTP status. */
export function webhookMetricName(status: number): WebhookMetricName {
  if (status === 202) return WEBHOOK_METRIC_NAMES.accepted;
  if (status === 200) return WEBHOOK_METRIC_NAMES.answered;
  if (status === 400) return WEBHOOK_METRIC_NAMES.invalid;
  if (status === 401) return WEBHOOK_METRIC_NAMES.unauthenticated;
  if (status === 403) return WEBHOOK_METRIC_NAMES.forbidden;
  if (status === 409) return WEBHOOK_METRIC_NAMES.conflicting;
  if (status === 413) return WEBHOOK_METRIC_NAMES.tooLarge;
  if (status >= 500) return WEBHOOK_METRIC_NAMES.intakeFailures;
  return WEBHOOK_METRIC_NAMES.refused;
}

/** The events function's metrics: Count, +1 per event, by its outcome (`eventsMetricName`). */
export const EVENTS_METRIC_NAMES = {
  accepted: 'EventsAccepted',
  duplicate: 'EventsDuplicate',
  rejected: 'EventsRejected',
  ignored: 'EventsIgnored',
  /** The event threw; Lambda retries it (alarmed). */
  failed: 'EventsFailed',
} as const;
export type EventsMetricName = (typeof EVENTS_METRIC_NAMES)[keyof typeof EVENTS_METRIC_NAMES];
/** How the events function settled an event that did not throw. */
export type EventsOutcome = Exclude<keyof typeof EVENTS_METRIC_NAMES, 'failed'>;

/** The metric the events function counts for an event settled with this outcome. */
export function eventsMetricName(outcome: EventsOutcome): EventsMetricName {
  return EVENTS_METRIC_NAMES[outcome];
}

/** Every metric name each function emits (what an alarm on that function may watch). */
export const EMITTED_METRIC_NAMES: Readonly<Record<keyof typeof SERVICE_NAMES, readonly string[]>> = {
  webhook: Object.values(WEBHOOK_METRIC_NAMES),
  events: Object.values(EVENTS_METRIC_NAMES),
  worker: Object.values(WORKER_METRIC_NAMES),
};
