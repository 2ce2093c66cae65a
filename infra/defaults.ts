import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import {
  EVENTS_METRIC_NAMES,
  SERVICE_NAMES,
  WEBHOOK_METRIC_NAMES,
  WORKER_METRIC_NAMES,
} from '../shared/observability/metric-names.ts';

/**
 * Secure, opinionated defaults for every zcops resource, in one place so that a review of "what does
 * this stack do by default" is one file. Constructs take these unless their props say otherwise, and
 * their validators refuse props that would weaken them (e.g. a queue without a DLQ).
 *
 * @example
 * new Function(this, 'F', { runtime: FUNCTION_DEFAULTS.runtime, architecture: FUNCTION_DEFAULTS.architecture, ... });
 */

/** Lambda settings shared by all three functions. */
export const FUNCTION_DEFAULTS = {
  // Node.js 24 is what the project targets (.nvmrc); arm64 is cheaper and starts as fast.
  runtime: Runtime.NODEJS_24_X,
  architecture: Architecture.ARM_64,
  memorySizeMb: 512,
  timeout: Duration.seconds(30),
  // No tracer runs in the code: active tracing showed only the invocation, at the cost of X-Ray
  // grants on "*". Logs carry the Lambda and API Gateway request ids instead.
  tracing: Tracing.DISABLED,
  loggingFormat: LoggingFormat.JSON,
} as const;

/** Per-function overrides: the worker talks to Zscaler and may wait on the limiter, so it gets longer. */
export const FUNCTION_TIMEOUTS = {
  webhook: Duration.seconds(10),
  events: Duration.seconds(30),
  worker: Duration.seconds(120),
} as const;

/** Powertools settings shared by every function. */
export const POWERTOOLS_DEFAULTS = {
  metricsNamespace: 'zcops',
  logLevel: 'INFO',
} as const;

/**
 * Each function's Powertools service name, which is also the `service` dimension of its metrics
 * (the handlers pass the same name to `createMetrics`, e.g. `zcops-webhook`).
 */
export const serviceName = (fn: FunctionName): string => SERVICE_NAMES[fn];

/**
 * The custom metrics that alarms and the dashboard watch, emitted with Powertools Metrics (EMF)
 * under namespace `zcops` with dimension `service` = `serviceName(fn)`. The worker's names are the
 * ones it emits, as are the intake handlers' (`shared/observability/metric-names.ts`); the intake
 * handlers emit the last two (functions/webhook, functions/events).
 */
export const METRIC_NAMES = {
  /** Worker, Count: +1 when a request ends FAILED or DEAD_LETTERED. */
  requestsFailed: WORKER_METRIC_NAMES.requestsFailed,
  /** Worker, Count: +1 per HTTP 429 answered by Zscaler. */
  zscalerRateLimited: WORKER_METRIC_NAMES.zscalerRateLimited,
  /** Worker, Milliseconds: time a Zscaler call waited for a rate-limiter permit. */
  limiterWaitMs: WORKER_METRIC_NAMES.limiterWaitMs,
  /** Worker, Count: requests that ended SUCCEEDED (dashboard). */
  requestsSucceeded: WORKER_METRIC_NAMES.requestsSucceeded,
  /** Worker, Count: runs deferred back to the queue (dashboard). */
  requestsDeferred: WORKER_METRIC_NAMES.requestsDeferred,
  /** Worker, Milliseconds: one job run, claim to settlement (dashboard). */
  jobDurationMs: WORKER_METRIC_NAMES.jobDurationMs,
  /** Webhook, Count: answers of 5xx (the intake could not record or enqueue). */
  webhookFailures: WEBHOOK_METRIC_NAMES.intakeFailures,
  /** Events, Count: events that threw (Lambda retries them). */
  eventsFailures: EVENTS_METRIC_NAMES.failed,
} as const;

/** Jobs queue and its DLQ. */
export const QUEUE_DEFAULTS = {
  /** AWS guidance: visibility timeout at least six times the consumer's timeout. */
  visibilityTimeoutFactor: 6,
  /** Receives before a message is dead-lettered. Deferrals re-send the message, so they do not count. */
  maxReceiveCount: 5,
  /** DLQ keeps messages the longest SQS allows, for an operator's redrive. */
  dlqRetention: Duration.days(14),
  retention: Duration.days(4),
  batchSize: 10,
  maxBatchingWindow: Duration.seconds(1),
  /** Caps concurrent workers so that a burst cannot outrun the shared Zscaler budget. */
  maxConcurrency: 5,
} as const;

/** HTTP API throttling for the webhook routes (requests per second, burst). */
export const API_DEFAULTS = {
  throttle: { rateLimit: 20, burstLimit: 40 },
} as const;

/** Snapshot bucket lifecycle. */
export const BUCKET_DEFAULTS = {
  transitionToInfrequentAccessAfter: Duration.days(30),
  expireNoncurrentVersionsAfter: Duration.days(90),
  abortIncompleteMultipartUploadAfter: Duration.days(1),
} as const;

/** The audit trail outlives the stack; everything else can be recreated. */
export const REMOVAL = {
  audit: RemovalPolicy.RETAIN,
  snapshots: RemovalPolicy.RETAIN,
  requests: RemovalPolicy.RETAIN,
  ratelimit: RemovalPolicy.DESTROY,
} as const;

/** Alarm thresholds, each overridable by configuration. */
export const ALARM_DEFAULTS = {
  /** Failed requests in 5 minutes. */
  failedRequests: 1,
  /** 429s from Zscaler in 5 minutes: a few are normal under load, many mean the budget is wrong. */
  rateLimited429s: 5,
  /** p90 limiter wait in milliseconds over 5 minutes. */
  limiterWaitMsP90: 30_000,
  /** Intake failures (webhook 5xx + events that threw) in 5 minutes. */
  intakeFailures: 1,
} as const;

/** Log retention in days for function and access logs. */
export const LOG_RETENTION_DAYS = 90;

/** Paths of the three function entries, relative to the project root. */
export const FUNCTION_ENTRIES = {
  webhook: 'functions/webhook/handler.ts',
  events: 'functions/events/handler.ts',
  worker: 'functions/worker/handler.ts',
} as const;
export type FunctionName = keyof typeof FUNCTION_ENTRIES;
