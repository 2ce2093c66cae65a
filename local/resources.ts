import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { AUDIT_TABLE } from '../shared/audit/table.ts';
import { rateLimitTableDefinition } from '../shared/ratelimit/table.ts';
import { REQUESTS_TABLE } from '../shared/requests/table.ts';
import { ensureTable } from '../shared/storage/dynamo.ts';

/** Names and addresses of everything the local stack creates. */
export interface LocalResources {
  tables: { requests: string; audit: string; ratelimit: string };
  queues: { jobsUrl: string; jobsArn: string; dlqUrl: string; dlqArn: string };
  bucket: string;
}

/** Physical names the local stack uses (the deployed stack's come from CloudFormation). */
export const LOCAL_NAMES = {
  requests: REQUESTS_TABLE.defaultName,
  audit: AUDIT_TABLE.defaultName,
  ratelimit: 'zcops-ratelimit',
  jobs: 'zcops-jobs',
  dlq: 'zcops-jobs-dlq',
  bucket: 'zcops-snapshots',
} as const;

export interface QueueSettings {
  /** The jobs queue's visibility timeout (the deployed stack: 6 × the worker's timeout). */
  visibilityTimeoutSeconds: number;
  /** Receives before SQS moves a message to the DLQ. */
  maxReceiveCount: number;
}

/**
 * Creates (or finds, when persisted from an earlier run) the three tables, the jobs queue with its
 * DLQ and RedrivePolicy, and the snapshots bucket, from the same definitions CDK deploys.
 *
 * @example
 * const res = await ensureLocalResources({ dynamodb, sqs, s3 }, { visibilityTimeoutSeconds: 180, maxReceiveCount: 5 });
 */
export async function ensureLocalResources(
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient; s3: S3Client },
  queue: QueueSettings,
  names: typeof LOCAL_NAMES = LOCAL_NAMES,
): Promise<LocalResources> {
  await ensureTable(clients.dynamodb, REQUESTS_TABLE, names.requests);
  await ensureTable(clients.dynamodb, AUDIT_TABLE, names.audit);
  await ensureRateLimitTable(clients.dynamodb, names.ratelimit);

  const dlq = await createQueue(clients.sqs, names.dlq, { MessageRetentionPeriod: String(14 * 86400) });
  const jobs = await createQueue(clients.sqs, names.jobs, {
    VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(4 * 86400),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dlq.arn,
      maxReceiveCount: String(queue.maxReceiveCount),
    }),
  });
  try {
    await clients.s3.send(new CreateBucketCommand({ Bucket: names.bucket }));
  } catch (err) {
    const name = (err as Error).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw err;
  }
  return {
    tables: { requests: names.requests, audit: names.audit, ratelimit: names.ratelimit },
    queues: { jobsUrl: jobs.url, jobsArn: jobs.arn, dlqUrl: dlq.url, dlqArn: dlq.arn },
    bucket: names.bucket,
  };
}

async function createQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<{ url: string; arn: string }> {
  let url: string | undefined;
  try {
    url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl;
  } catch (err) {
    // A persisted queue with other attributes (settings changed between runs): reuse it as is.
    if ((err as Error).name !== 'QueueNameExists' && (err as Error).name !== 'QueueAlreadyExists') throw err;
    url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl;
  }
  if (!url) throw new Error(`SQS did not answer a URL for queue ${name}`);
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = attrs.Attributes?.QueueArn;
  if (!arn) throw new Error(`SQS did not answer the ARN of queue ${name}`);
  return { url, arn };
}

async function ensureRateLimitTable(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (err) {
    if ((err as Error).name !== 'ResourceNotFoundException') throw err;
  }
  try {
    await dynamodb.send(new CreateTableCommand(rateLimitTableDefinition(tableName)));
  } catch (err) {
    if ((err as Error).name !== 'ResourceInUseException') throw err;
  }
}
