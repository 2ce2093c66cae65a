import type { Logger } from '@aws-lambda-powertools/logger';
import { runtimeConfigJson, type ZcopsConfig } from '../infra/config.ts';
import type { AuditLog } from '../shared/audit/audit-log.ts';
import { DynamoAuditLog } from '../shared/audit/dynamo-audit-log.ts';
import { Ec2InstanceAddresses } from '../shared/aws/ec2-instance-addresses.ts';
import type { IntakeConfig } from '../shared/config/sources.ts';
import { type WorkerConfig, WorkerConfigSchema } from '../shared/config/worker.ts';
import { type Clock, systemClock } from '../shared/core/clock.ts';
import { DynamoControlStore } from '../shared/guardrails/dynamo-control-store.ts';
import { loadIntakeConfig } from '../shared/intake/config.ts';
import { AwsLifecycleCompleter, type LifecycleCompleter } from '../shared/intake/lifecycle-completer.ts';
import type { JobLogger } from '../shared/jobs/job.ts';
import type { JobServices } from '../shared/jobs/services.ts';
import { TicketNotifier } from '../shared/notify/ticket-notifier.ts';
import { createLogger } from '../shared/observability/logger.ts';
import { DynamoDbRateLimitStore } from '../shared/ratelimit/dynamodb-store.ts';
import { RateLimiter } from '../shared/ratelimit/limiter.ts';
import { RateLimits } from '../shared/ratelimit/limits.ts';
import { DynamoRequestStore } from '../shared/requests/dynamo-request-store.ts';
import type { RequestStore } from '../shared/requests/request-store.ts';
import { SqsJobQueue } from '../shared/requests/sqs-job-queue.ts';
import { MemorySecretSource } from '../shared/secrets/memory-secret-source.ts';
import { S3ObjectStore } from '../shared/snapshots/s3-object-store.ts';
import { createDocumentClient } from '../shared/storage/dynamo.ts';
import type { WorkerDeps } from '../shared/worker/deps.ts';
import type { AwsClients, AwsEndpoints } from './aws-clients.ts';
import { LOCAL_CREDENTIALS } from './aws-clients.ts';
import { DryRunRequestStore } from './dry-run-store.ts';
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
  logLevel?: string;
  clock?: Clock;
  /** Lifecycle completion: the Auto Scaling stand-in when present, else this. */
  lifecycle?: LifecycleCompleter;
}

/** What a function's `ZCOPS_CONFIG` holds: exactly `runtimeConfigJson(config)`, as CDK deploys it. */
export function runtimeConfigObject(config: ZcopsConfig): Record<string, unknown> {
  return JSON.parse(runtimeConfigJson(config)) as Record<string, unknown>;
}

/**
 * The environment a deployed function would get, for the record (`.zcops/local.json` and
 * `zcops`'s profile): the same variable names and values, with the stand-ins' endpoints.
 */
export function functionEnvironment(w: FunctionWiring): Record<string, string> {
  return {
    AWS_REGION: w.endpoints.region,
    ...(w.endpoints.dynamodb ? { AWS_ENDPOINT_URL_DYNAMODB: w.endpoints.dynamodb } : {}),
    ...(w.endpoints.sqs ? { AWS_ENDPOINT_URL_SQS: w.endpoints.sqs } : {}),
    ...(w.endpoints.s3 ? { AWS_ENDPOINT_URL_S3: w.endpoints.s3 } : {}),
    ...(w.endpoints.autoscaling ? { AWS_ENDPOINT_URL_AUTO_SCALING: w.endpoints.autoscaling } : {}),
    ...(w.endpoints.ec2 ? { AWS_ENDPOINT_URL_EC2: w.endpoints.ec2 } : {}),
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    REQUESTS_TABLE: w.names.tables.requests,
    AUDIT_TABLE: w.names.tables.audit,
    RATELIMIT_TABLE: w.names.tables.ratelimit,
    JOBS_QUEUE_URL: w.names.jobsQueueUrl,
    SNAPSHOTS_BUCKET: w.names.bucket,
    ZCOPS_CONFIG: runtimeConfigJson(w.config),
    ZCOPS_SECRETS_SOURCE: 'local',
  };
}

interface Common {
  store: RequestStore;
  audit: AuditLog;
  queue: SqsJobQueue;
  secrets: MemorySecretSource;
  clock: Clock;
}

function common(w: FunctionWiring): Common {
  const doc = createDocumentClient({
    region: w.endpoints.region,
    ...(w.endpoints.dynamodb ? { endpoint: w.endpoints.dynamodb, credentials: LOCAL_CREDENTIALS } : {}),
  });
  const clock = w.clock ?? systemClock;
  const dynamoStore = new DynamoRequestStore(doc, w.names.tables.requests, clock);
  const store = w.forceDryRun ? new DryRunRequestStore(dynamoStore) : dynamoStore;
  const baseAudit = new DynamoAuditLog(doc, w.names.tables.audit, clock);
  return {
    store,
    audit: w.wrapAudit ? w.wrapAudit(baseAudit) : baseAudit,
    queue: new SqsJobQueue(w.aws.sqs, w.names.jobsQueueUrl),
    secrets: new MemorySecretSource(w.secrets),
    clock,
  };
}

/** The webhook and events functions' dependencies, as `intakeFromEnv` would build them. */
export function intakeDeps(w: FunctionWiring): Common & {
  config: IntakeConfig;
  completer: LifecycleCompleter;
  logger: (service: string) => Logger;
} {
  const c = common(w);
  return {
    ...c,
    config: loadIntakeConfig(runtimeConfigObject(w.config), 'ZCOPS_CONFIG'),
    completer: w.lifecycle ?? new AwsLifecycleCompleter(w.aws.autoscaling),
    logger: (service) => createLogger(service, w.logLevel ?? 'WARN'),
  };
}

/** The worker's dependencies, as its Lambda environment would build them. */
export function workerDeps(w: FunctionWiring, extra: { services?: JobServices } = {}): WorkerDeps {
  const c = common(w);
  const doc = createDocumentClient({
    region: w.endpoints.region,
    ...(w.endpoints.dynamodb ? { endpoint: w.endpoints.dynamodb, credentials: LOCAL_CREDENTIALS } : {}),
  });
  const config: WorkerConfig = WorkerConfigSchema.parse(runtimeConfigObject(w.config));
  const limiter = new RateLimiter({
    store: new DynamoDbRateLimitStore({ client: w.aws.dynamodb, tableName: w.names.tables.ratelimit }),
    limits: RateLimits.from(config.rateLimits),
    clock: c.clock,
  });
  return {
    config,
    store: c.store,
    audit: c.audit,
    queue: c.queue,
    control: new DynamoControlStore(doc, w.names.tables.requests),
    limiter,
    secrets: c.secrets,
    clock: c.clock,
    logger: asJobLogger(createLogger('zcops-worker', w.logLevel ?? 'WARN')),
    services: {
      lifecycle: w.lifecycle ?? new AwsLifecycleCompleter(w.aws.autoscaling),
      snapshots: { store: new S3ObjectStore(w.aws.s3, w.names.bucket), bucket: w.names.bucket },
      instanceAddresses: new Ec2InstanceAddresses(w.aws.ec2),
      ...extra.services,
    },
    // Ticket callbacks, as `workerFromEnv` adds them (`notify` of the configuration).
    listeners: [
      new TicketNotifier({ settings: config.notify, secrets: c.secrets, audit: c.audit, clock: c.clock }),
    ],
  };
}

/** The Powertools Logger behind the worker's small logging port. */
function asJobLogger(l: Logger): JobLogger {
  const at =
    (fn: 'debug' | 'info' | 'warn' | 'error') => (message: string, extra?: Record<string, unknown>) =>
      extra ? l[fn](message, extra) : l[fn](message);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
