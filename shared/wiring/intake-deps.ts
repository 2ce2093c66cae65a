import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { AuditLog } from '../audit/audit-log.ts';
import type { IntakeConfig } from '../config/sources.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { loadIntakeConfig } from '../intake/config.ts';
import { IntakeConfigError } from '../intake/errors.ts';
import { AwsLifecycleCompleter, type LifecycleCompleter } from '../intake/lifecycle-completer.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import type { JobQueue } from '../requests/job-queue.ts';
import type { RequestStore } from '../requests/request-store.ts';
import type { SecretSource } from '../secrets/secret-source.ts';
import { secretSourceFromEnv } from '../secrets/secret-source-from-env.ts';
import { type Env, readDeploymentSettings } from './environment.ts';
import { lambdaAwsClients } from './lambda-aws-clients.ts';
import type { WiringOverrides } from './overrides.ts';
import { buildStores } from './stores.ts';

/** Everything the intake functions (webhook, events) need, built from the environment. */
export interface IntakeEnvironment {
  config: IntakeConfig;
  secrets: SecretSource;
  store: RequestStore;
  audit: AuditLog;
  queue: JobQueue;
  clock: Clock;
  completer: LifecycleCompleter;
  /** Service `POWERTOOLS_SERVICE_NAME`, level `POWERTOOLS_LOG_LEVEL`. */
  logger: Logger;
  /** EMF under namespace `zcops`, dimension `service` = `POWERTOOLS_SERVICE_NAME`. */
  metrics: Metrics;
}

/** The service name when `POWERTOOLS_SERVICE_NAME` is absent (never in Lambda: the stack sets it). */
const INTAKE_SERVICE_NAME = 'zcops-intake';

/**
 * Builds an intake function's dependencies from its environment: `REQUESTS_TABLE`, `AUDIT_TABLE`,
 * `JOBS_QUEUE_URL` (required), `ZCOPS_CONFIG` (JSON) or `ZCOPS_CONFIG_FILE`,
 * `ZCOPS_SECRETS_SOURCE` (`aws`, default, or `local`: `ZCOPS_SECRETS` / `ZCOPS_SECRETS_FILE`),
 * `SECRETS_TTL_SECONDS`, `POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_LOG_LEVEL`. A bad or missing
 * variable throws `IntakeConfigError` naming it. `overrides` replace what a runtime other than
 * Lambda must (clients, clock, secrets, metrics, decorators); the rest is built as in Lambda.
 *
 * @example
 * const deps = intakeFromEnv(process.env); // Lambda
 * const local = intakeFromEnv(env, { aws: awsClients(endpoints), secrets }); // local stack
 */
export function intakeFromEnv(env: Env, o: WiringOverrides = {}): IntakeEnvironment {
  const settings = readDeploymentSettings(
    env,
    {},
    (origin, problems) => new IntakeConfigError(origin, problems),
  );
  const config = loadIntakeConfig(settings.config, settings.configOrigin);
  const secrets =
    o.secrets ?? secretSourceFromEnv(env, (problem) => new IntakeConfigError('environment', [problem]));
  const aws = o.aws ?? lambdaAwsClients();
  const clock = o.clock ?? systemClock;
  const service = settings.serviceName ?? INTAKE_SERVICE_NAME;
  return {
    config,
    secrets,
    ...buildStores(settings, aws, clock, o),
    clock,
    completer: o.lifecycle ?? new AwsLifecycleCompleter(aws.autoscaling),
    logger: createLogger(service, settings.logLevel),
    metrics: o.metrics ? o.metrics(service) : createMetrics(service),
  };
}
