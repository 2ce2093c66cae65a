import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AuditLog } from '../audit/audit-log.ts';
import { DynamoAuditLog } from '../audit/dynamo-audit-log.ts';
import type { IntakeConfig } from '../config/sources.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { DynamoRequestStore } from '../requests/dynamo-request-store.ts';
import type { JobQueue } from '../requests/job-queue.ts';
import type { RequestStore } from '../requests/request-store.ts';
import { SqsJobQueue } from '../requests/sqs-job-queue.ts';
import type { SecretSource } from '../secrets/secret-source.ts';
import { secretSourceFromEnv } from '../secrets/secret-source-from-env.ts';
import { createDocumentClient } from '../storage/dynamo.ts';
import { loadIntakeConfigFromEnv } from './config.ts';
import { IntakeConfigError } from './errors.ts';
import { AwsLifecycleCompleter, type LifecycleCompleter } from './lifecycle-completer.ts';

/** Everything the intake functions need, built from the environment. */
export interface IntakeEnvironment {
  config: IntakeConfig;
  secrets: SecretSource;
  store: RequestStore;
  audit: AuditLog;
  queue: JobQueue;
  clock: Clock;
  completer: LifecycleCompleter;
}

/**
 * Builds the intake's dependencies from environment variables: `REQUESTS_TABLE`, `AUDIT_TABLE`,
 * `JOBS_QUEUE_URL` (required), `ZCOPS_CONFIG` (JSON) or `ZCOPS_CONFIG_FILE`, `ZCOPS_SECRETS_SOURCE`
 * (`aws`, default, or `local`: `ZCOPS_SECRETS` / `ZCOPS_SECRETS_FILE`), `SECRETS_TTL_SECONDS`.
 * AWS endpoints follow the SDK's own variables (`AWS_ENDPOINT_URL_DYNAMODB`, ...), so the local
 * stack points the same code at dynalite and fauxqs.
 *
 * @example
 * const env = intakeFromEnv(process.env);
 */
export function intakeFromEnv(env: Record<string, string | undefined>): IntakeEnvironment {
  const required = (name: string): string => {
    const v = env[name];
    if (!v) throw new IntakeConfigError('environment', [`${name}: required`]);
    return v;
  };
  const requestsTable = required('REQUESTS_TABLE');
  const auditTable = required('AUDIT_TABLE');
  const queueUrl = required('JOBS_QUEUE_URL');
  const config = loadIntakeConfigFromEnv(env);
  const doc = createDocumentClient({});
  const secrets = secretSourceFromEnv(env, (problem) => new IntakeConfigError('environment', [problem]));
  return {
    config,
    secrets,
    store: new DynamoRequestStore(doc, requestsTable),
    audit: new DynamoAuditLog(doc, auditTable),
    queue: new SqsJobQueue(new SQSClient({}), queueUrl),
    clock: systemClock,
    completer: new AwsLifecycleCompleter(new AutoScalingClient({})),
  };
}
