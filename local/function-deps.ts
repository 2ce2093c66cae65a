import type { Metrics } from '@aws-lambda-powertools/metrics';
import { runtimeConfigJson, type ZcopsConfig } from '../infra/config.ts';
import { type FunctionName, POWERTOOLS_DEFAULTS, serviceName } from '../infra/defaults.ts';
import type { AuditLog } from '../shared/audit/audit-log.ts';
import type { Clock } from '../shared/core/clock.ts';
import type { LifecycleCompleter } from '../shared/intake/lifecycle-completer.ts';
import { MemorySecretSource } from '../shared/secrets/memory-secret-source.ts';
import type { AwsClients, AwsEndpoints } from '../shared/wiring/aws-clients.ts';
import { LOCAL_CREDENTIALS } from '../shared/wiring/aws-clients.ts';
import { FUNCTION_ENV } from '../shared/wiring/environment.ts';
import { type IntakeEnvironment, intakeFromEnv } from '../shared/wiring/intake-deps.ts';
import type { WiringOverrides } from '../shared/wiring/overrides.ts';
import { type WorkerOverrides, workerFromEnv } from '../shared/wiring/worker-deps.ts';
import type { WorkerDeps } from '../shared/worker/deps.ts';
import { DryRunRequestStore } from './dry-run-store.ts';
import { QuietMetrics } from './quiet-metrics.ts';
import type { LocalSecrets } from './secrets.ts';

/** Names of the stack's tables, queue and bucket. */
export interface StackNames {
  tables: { requests: string; audit: string; ratelimit: string };
  jobsQueueUrl: string;
  bucket: string;
}

export interface FunctionWiring {
  config: ZcopsConfig;
  endpoints: AwsEndpoints;
  aws: AwsClients;
  names: StackNames;
  secrets: LocalSecrets;
  /** Wraps each function's audit log (the readable progress lines). */
  wrapAudit?: (audit: AuditLog) => AuditLog;
  /** Real tenant without `--live`: every request is stored as a dry run. */
  forceDryRun?: boolean;
  /** `POWERTOOLS_LOG_LEVEL` of the functions (default WARN). */
  logLevel?: string;
  clock?: Clock;
  /** Lifecycle completion: the Auto Scaling stand-in when present, else this. */
  lifecycle?: LifecycleCompleter;
  /** Where metrics go (default: recorded and dropped, `QuietMetrics`). */
  metrics?: (serviceName: string) => Metrics;
}

/** What a function's `ZCOPS_CONFIG` holds: exactly `runtimeConfigJson(config)`, as CDK deploys it. */
export function runtimeConfigObject(config: ZcopsConfig): Record<string, unknown> {
  return JSON.parse(runtimeConfigJson(config)) as Record<string, unknown>;
}

/**
 * The environment the deployed function `fn` gets (infra/stack.ts and ZcopsFunction): the same
 * variable names and values, with the stand-ins' endpoints and `ZCOPS_SECRETS_SOURCE=local`. The
 * local functions are built from it by the same wiring as in Lambda.
 */
export function functionEnvironment(w: FunctionWiring, fn: FunctionName = 'worker'): Record<string, string> {
  return {
    AWS_REGION: w.endpoints.region,
    ...(w.endpoints.dynamodb ? { AWS_ENDPOINT_URL_DYNAMODB: w.endpoints.dynamodb } : {}),
    ...(w.endpoints.sqs ? { AWS_ENDPOINT_URL_SQS: w.endpoints.sqs } : {}),
    ...(w.endpoints.s3 ? { AWS_ENDPOINT_URL_S3: w.endpoints.s3 } : {}),
    ...(w.endpoints.autoscaling ? { AWS_ENDPOINT_URL_AUTO_SCALING: w.endpoints.autoscaling } : {}),
    ...(w.endpoints.ec2 ? { AWS_ENDPOINT_URL_EC2: w.endpoints.ec2 } : {}),
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    [FUNCTION_ENV.requestsTable]: w.names.tables.requests,
    [FUNCTION_ENV.auditTable]: w.names.tables.audit,
    [FUNCTION_ENV.jobsQueueUrl]: w.names.jobsQueueUrl,
    [FUNCTION_ENV.config]: runtimeConfigJson(w.config),
    ...(fn === 'worker'
      ? {
          [FUNCTION_ENV.ratelimitTable]: w.names.tables.ratelimit,
          [FUNCTION_ENV.snapshotsBucket]: w.names.bucket,
        }
      : {}),
    POWERTOOLS_SERVICE_NAME: serviceName(fn),
    POWERTOOLS_METRICS_NAMESPACE: POWERTOOLS_DEFAULTS.metricsNamespace,
    POWERTOOLS_LOG_LEVEL: w.logLevel ?? 'WARN',
    ZCOPS_SECRETS_SOURCE: 'local',
  };
}

/**
 * What the local stack replaces in Lambda's wiring, and nothing else: the clients (pointed at the
 * stand-ins), the secrets (generated, in memory), the clock, where metrics go, the progress and
 * dry-run decorators, and the lifecycle completer when there is no Auto Scaling stand-in.
 */
export function localOverrides(w: FunctionWiring): WiringOverrides {
  return {
    aws: w.aws,
    secrets: new MemorySecretSource(w.secrets),
    metrics: w.metrics ?? ((service) => new QuietMetrics(service)),
    ...(w.clock ? { clock: w.clock } : {}),
    ...(w.forceDryRun ? { wrapStore: (s) => new DryRunRequestStore(s) } : {}),
    ...(w.wrapAudit ? { wrapAudit: w.wrapAudit } : {}),
    ...(w.lifecycle ? { lifecycle: w.lifecycle } : {}),
  };
}

/** The webhook or events function's dependencies, as Lambda builds them from the same environment. */
export function intakeDeps(w: FunctionWiring, fn: 'webhook' | 'events'): IntakeEnvironment {
  return intakeFromEnv(functionEnvironment(w, fn), localOverrides(w));
}

/**
 * The worker's dependencies, as Lambda builds them from the same environment. `extra` holds the
 * benchmarks' seams (job services, measuring metrics, a worker id, compressed client timings).
 */
export function workerDeps(
  w: FunctionWiring,
  extra: Pick<WorkerOverrides, 'services' | 'workerMetrics' | 'workerId' | 'client'> = {},
): WorkerDeps {
  return workerFromEnv(functionEnvironment(w, 'worker'), { ...localOverrides(w), ...extra });
}
