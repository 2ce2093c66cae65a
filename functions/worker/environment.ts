import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoAuditLog } from '../../shared/audit/dynamo-audit-log.ts';
import { Ec2InstanceAddresses } from '../../shared/aws/ec2-instance-addresses.ts';
import { type WorkerConfig, WorkerConfigSchema } from '../../shared/config/worker.ts';
import { systemClock } from '../../shared/core/clock.ts';
import { DynamoControlStore } from '../../shared/guardrails/dynamo-control-store.ts';
import { AwsLifecycleCompleter } from '../../shared/intake/lifecycle-completer.ts';
import { TicketNotifier } from '../../shared/notify/ticket-notifier.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { WORKER_SERVICE_NAME } from '../../shared/observability/metric-names.ts';
import { createMetricsSink } from '../../shared/observability/powertools-metrics-sink.ts';
import { DynamoDbRateLimitStore } from '../../shared/ratelimit/dynamodb-store.ts';
import { RateLimiter } from '../../shared/ratelimit/limiter.ts';
import { RateLimits } from '../../shared/ratelimit/limits.ts';
import { DynamoRequestStore } from '../../shared/requests/dynamo-request-store.ts';
import { issuesOf } from '../../shared/requests/issues.ts';
import { SqsJobQueue } from '../../shared/requests/sqs-job-queue.ts';
import { secretSourceFromEnv } from '../../shared/secrets/secret-source-from-env.ts';
import { S3ObjectStore } from '../../shared/snapshots/s3-object-store.ts';
import { createDocumentClient } from '../../shared/storage/dynamo.ts';
import type { WorkerDeps } from '../../shared/worker/deps.ts';
import { WorkerMetrics } from '../../shared/worker/worker-metrics.ts';
import { WorkerConfigError } from './errors.ts';

/**
 * Parses the worker's config from a JSON value; throws `WorkerConfigError` naming every bad field.
 *
 * @example
 * const config = loadWorkerConfig(JSON.parse(process.env.ZCOPS_CONFIG!));
 */
export function loadWorkerConfig(raw: unknown, origin = 'ZCOPS_CONFIG'): WorkerConfig {
  // Parsed once per container: zod's compiled fast path would cost more to build than it saves.
  const parsed = WorkerConfigSchema.safeParse(raw, { jitless: true });
  if (!parsed.success) {
    throw new WorkerConfigError(
      origin,
      issuesOf(parsed.error).map((i) => `${i.path}: ${i.message}`),
    );
  }
  return parsed.data;
}

/**
 * Builds the worker's dependencies from the environment: `REQUESTS_TABLE`, `AUDIT_TABLE`,
 * `RATELIMIT_TABLE`, `JOBS_QUEUE_URL` (required), `SNAPSHOTS_BUCKET` (optional: snapshots fail
 * without it), `ZCOPS_CONFIG` (JSON) or `ZCOPS_CONFIG_FILE`, `ZCOPS_SECRETS_SOURCE` (`aws` default,
 * or `local`), `SECRETS_TTL_SECONDS`. AWS endpoints follow the SDK's own variables, so the local
 * stack points the same code at dynalite, fauxqs and its AWS control-plane stand-in
 * (`AWS_ENDPOINT_URL_AUTO_SCALING`, `AWS_ENDPOINT_URL_EC2`).
 *
 * The EC2, Auto Scaling and S3 clients (and `@aws-sdk/lib-storage`) are made on first use, not at
 * init: most invocations need none of them, and loading them was most of the cold start. Ticket
 * callbacks (`notify` in the config) are told of every settled request from an ITSM source.
 *
 * @example
 * const deps = workerFromEnv(process.env);
 */
export function workerFromEnv(env: Record<string, string | undefined>): WorkerDeps {
  const required = (name: string): string => {
    const v = env[name];
    if (!v) throw new WorkerConfigError('environment', [`${name}: required`]);
    return v;
  };
  const requestsTable = required('REQUESTS_TABLE');
  const auditTable = required('AUDIT_TABLE');
  const rateLimitTable = required('RATELIMIT_TABLE');
  const queueUrl = required('JOBS_QUEUE_URL');
  const config = loadWorkerConfig(
    readConfig(env),
    env.ZCOPS_CONFIG ? 'ZCOPS_CONFIG' : (env.ZCOPS_CONFIG_FILE ?? 'ZCOPS_CONFIG'),
  );
  const doc = createDocumentClient({});
  const secrets = secretSourceFromEnv(env, (problem) => new WorkerConfigError('environment', [problem]));
  const bucket = env.SNAPSHOTS_BUCKET;
  const audit = new DynamoAuditLog(doc, auditTable);
  return {
    config,
    store: new DynamoRequestStore(doc, requestsTable),
    audit,
    queue: new SqsJobQueue(new SQSClient({}), queueUrl),
    control: new DynamoControlStore(doc, requestsTable),
    limiter: new RateLimiter({
      store: new DynamoDbRateLimitStore({ client: new DynamoDBClient({}), tableName: rateLimitTable }),
      limits: RateLimits.from(config.rateLimits),
    }),
    secrets,
    clock: systemClock,
    // Bounded calls: a Zscaler call never outlives the invocation (infra checks the arithmetic).
    client: {
      http: {
        connectTimeoutMs: Math.min(10, config.worker.zscalerTimeoutSeconds) * 1000,
        headersTimeoutMs: config.worker.zscalerTimeoutSeconds * 1000,
        bodyTimeoutMs: config.worker.zscalerTimeoutSeconds * 1000,
      },
      retry: { maxAttempts: config.worker.zscalerMaxAttempts },
    },
    logger: createLogger(WORKER_SERVICE_NAME, env.POWERTOOLS_LOG_LEVEL),
    metrics: new WorkerMetrics(createMetricsSink(WORKER_SERVICE_NAME)),
    services: {
      lifecycle: new AwsLifecycleCompleter(),
      // The adapters make their client on first use, once (see `madeOnce`).
      instanceAddresses: new Ec2InstanceAddresses(
        async (): Promise<EC2Client> => new (await import('@aws-sdk/client-ec2')).EC2Client({}),
      ),
      ...(bucket
        ? {
            snapshots: {
              store: new S3ObjectStore(
                async (): Promise<S3Client> => new (await import('@aws-sdk/client-s3')).S3Client({}),
                bucket,
              ),
              bucket,
            },
          }
        : {}),
    },
    // `config.notify` was validated with the config (NotifySettingsSchema): these are its settings.
    listeners: [new TicketNotifier({ settings: config.notify, secrets, audit })],
  };
}

function readConfig(env: Record<string, string | undefined>): unknown {
  const origin = env.ZCOPS_CONFIG ? 'ZCOPS_CONFIG' : (env.ZCOPS_CONFIG_FILE ?? 'ZCOPS_CONFIG');
  let text: string;
  if (env.ZCOPS_CONFIG) text = env.ZCOPS_CONFIG;
  else if (env.ZCOPS_CONFIG_FILE) text = readFileSync(env.ZCOPS_CONFIG_FILE, 'utf8');
  else throw new WorkerConfigError(origin, ['(root): set ZCOPS_CONFIG or ZCOPS_CONFIG_FILE']);
  try {
    return JSON.parse(text);
  } catch {
    throw new WorkerConfigError(origin, ['(root): not valid JSON']);
  }
}
