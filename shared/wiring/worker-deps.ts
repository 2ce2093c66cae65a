import { systemClock } from '../core/clock.ts';
import { DynamoControlStore } from '../guardrails/dynamo-control-store.ts';
import type { JobLogger } from '../jobs/job.ts';
import type { JobServices } from '../jobs/services.ts';
import { TicketNotifier } from '../notify/ticket-notifier.ts';
import { createLogger } from '../observability/logger.ts';
import { WORKER_SERVICE_NAME } from '../observability/metric-names.ts';
import { createMetrics } from '../observability/metrics.ts';
import { PowertoolsMetricsSink } from '../observability/powertools-metrics-sink.ts';
import { secretSourceFromEnv } from '../secrets/secret-source-from-env.ts';
import type { WorkerDeps } from '../worker/deps.ts';
import { WorkerMetrics } from '../worker/worker-metrics.ts';
import { type Env, readDeploymentSettings } from './environment.ts';
import { WorkerConfigError } from './errors.ts';
import { buildJobServices } from './job-services.ts';
import { lambdaAwsClients } from './lambda-aws-clients.ts';
import type { WiringOverrides } from './overrides.ts';
import { buildRateLimiter } from './rate-limiter.ts';
import { buildStores } from './stores.ts';
import { loadWorkerConfig } from './worker-config.ts';
import { type WorkerClientOptions, zscalerClientOptions } from './zscaler-client-options.ts';

/** The worker's overrides besides the common ones (tests, benchmarks). */
export interface WorkerOverrides extends WiringOverrides {
  /** Default: the Powertools Logger of the function. */
  logger?: JobLogger;
  /** Replace single job services (merged over the built ones). */
  services?: JobServices;
  /** Merged over the configuration's client options (`http` and `retry` key by key). */
  client?: WorkerClientOptions;
  /** Replaces the worker's metrics entirely (benchmarks measuring calls). */
  workerMetrics?: WorkerMetrics;
  workerId?: string;
}

/**
 * Builds the worker's dependencies from its environment: `REQUESTS_TABLE`, `AUDIT_TABLE`,
 * `RATELIMIT_TABLE`, `JOBS_QUEUE_URL` (required), `SNAPSHOTS_BUCKET` (optional: snapshots fail
 * without it), `ZCOPS_CONFIG` (JSON) or `ZCOPS_CONFIG_FILE`, `ZCOPS_SECRETS_SOURCE` (`aws` default,
 * or `local`), `SECRETS_TTL_SECONDS`, `POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_LOG_LEVEL`. A bad or
 * missing variable throws `WorkerConfigError` naming it.
 *
 * From the configuration: the limiter's budgets, the Zscaler clients' timeouts and attempts
 * (`zscalerClientOptions`), the ticket callbacks (`notify`: told of every settled request from an
 * ITSM source). Metrics are EMF, flushed per invocation. `overrides` replace what a runtime other
 * than Lambda must; the rest is built as in Lambda.
 *
 * @example
 * const deps = workerFromEnv(process.env); // Lambda
 * const local = workerFromEnv(env, { aws: awsClients(endpoints), secrets, metrics: (s) => new QuietMetrics(s) });
 */
export function workerFromEnv(env: Env, o: WorkerOverrides = {}): WorkerDeps {
  const settings = readDeploymentSettings(
    env,
    { ratelimit: true },
    (origin, problems) => new WorkerConfigError(origin, problems),
  );
  const config = loadWorkerConfig(settings.config, settings.configOrigin);
  const secrets =
    o.secrets ?? secretSourceFromEnv(env, (problem) => new WorkerConfigError('environment', [problem]));
  const aws = o.aws ?? lambdaAwsClients();
  const clock = o.clock ?? systemClock;
  const service = settings.serviceName ?? WORKER_SERVICE_NAME;
  const { store, audit, queue } = buildStores(settings, aws, clock, o);
  const client = zscalerClientOptions(config.worker);
  return {
    config,
    store,
    audit,
    queue,
    control: new DynamoControlStore(aws.doc, settings.tables.requests),
    limiter: buildRateLimiter(aws, settings.tables.ratelimit!, config.rateLimits, clock),
    secrets,
    clock,
    client: {
      ...client,
      ...o.client,
      http: { ...client.http, ...o.client?.http },
      retry: { ...client.retry, ...o.client?.retry },
    },
    logger: o.logger ?? createLogger(service, settings.logLevel),
    metrics:
      o.workerMetrics ??
      new WorkerMetrics(new PowertoolsMetricsSink(o.metrics ? o.metrics(service) : createMetrics(service))),
    services: {
      ...buildJobServices(aws, { bucket: settings.snapshotsBucket, lifecycle: o.lifecycle }),
      ...o.services,
    },
    // `config.notify` was validated with the config (NotifySettingsSchema): these are its settings.
    listeners: [new TicketNotifier({ settings: config.notify, secrets, audit, clock })],
    ...(o.workerId ? { workerId: o.workerId } : {}),
  };
}
