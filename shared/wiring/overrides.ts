import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../core/clock.ts';
import type { LifecycleCompleter } from '../intake/lifecycle-completer.ts';
import type { JobQueue } from '../requests/job-queue.ts';
import type { RequestStore } from '../requests/request-store.ts';
import type { SecretSource } from '../secrets/secret-source.ts';
import type { AwsClientSource } from './aws-client-source.ts';

/**
 * What a runtime other than Lambda replaces in a function's dependencies; everything else is built
 * from the environment exactly as in Lambda. Each override is one seam: where the AWS calls go,
 * time, secrets, where metrics end up, and decorators of the stores.
 *
 * @example
 * workerFromEnv(env, { aws: awsClients(endpoints), secrets: new MemorySecretSource(s), metrics: (s) => new QuietMetrics(s) });
 */
export interface WiringOverrides {
  /** The SDK clients (default: Lambda's, made on first use). */
  aws?: AwsClientSource;
  /** Default: the wall clock. */
  clock?: Clock;
  /** Default: from `ZCOPS_SECRETS_SOURCE` (Secrets Manager, or `ZCOPS_SECRETS`). */
  secrets?: SecretSource;
  /** The Powertools Metrics of a service (default: EMF on stdout, namespace `zcops`). */
  metrics?: (serviceName: string) => Metrics;
  /** Default: SQS at `JOBS_QUEUE_URL`. */
  queue?: JobQueue;
  /** Default: Auto Scaling's CompleteLifecycleAction. */
  lifecycle?: LifecycleCompleter;
  /** Wraps the requests store (the local stack's forced dry runs). */
  wrapStore?: (store: RequestStore) => RequestStore;
  /** Wraps the audit log (the local stack's progress lines). */
  wrapAudit?: (audit: AuditLog) => AuditLog;
}
