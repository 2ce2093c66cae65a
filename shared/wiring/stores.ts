import type { AuditLog } from '../audit/audit-log.ts';
import { DynamoAuditLog } from '../audit/dynamo-audit-log.ts';
import type { Clock } from '../core/clock.ts';
import { DynamoRequestStore } from '../requests/dynamo-request-store.ts';
import type { JobQueue } from '../requests/job-queue.ts';
import type { RequestStore } from '../requests/request-store.ts';
import { SqsJobQueue } from '../requests/sqs-job-queue.ts';
import type { AwsClientSource } from './aws-client-source.ts';
import type { DeploymentSettings } from './environment.ts';
import type { WiringOverrides } from './overrides.ts';

/** The state every function shares: the requests table, the audit trail, the jobs queue. */
export interface Stores {
  store: RequestStore;
  audit: AuditLog;
  queue: JobQueue;
}

/**
 * The requests store, audit log and jobs queue of a deployment, through the same adapters
 * everywhere, decorated as the overrides ask.
 *
 * @example
 * const { store, audit, queue } = buildStores(settings, aws, clock, overrides);
 */
export function buildStores(
  settings: DeploymentSettings,
  aws: AwsClientSource,
  clock: Clock,
  o: Pick<WiringOverrides, 'queue' | 'wrapStore' | 'wrapAudit'> = {},
): Stores {
  const store = new DynamoRequestStore(aws.doc, settings.tables.requests, clock);
  const audit = new DynamoAuditLog(aws.doc, settings.tables.audit, clock);
  return {
    store: o.wrapStore ? o.wrapStore(store) : store,
    audit: o.wrapAudit ? o.wrapAudit(audit) : audit,
    queue: o.queue ?? new SqsJobQueue(aws.sqs, settings.jobsQueueUrl),
  };
}
