import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../storage/dynamo.ts';
import type { AwsClientSource } from './aws-client-source.ts';

/** Dummy credentials: the local stand-ins accept any. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface AwsEndpoints {
  region: string;
  dynamodb?: string | undefined;
  sqs?: string | undefined;
  s3?: string | undefined;
  autoscaling?: string | undefined;
  ec2?: string | undefined;
}

export interface AwsClients extends AwsClientSource {
  dynamodb: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  s3: S3Client;
  autoscaling: AutoScalingClient;
  ec2: EC2Client;
  destroy(): void;
}

/**
 * The SDK clients the functions use, made now and pointed at explicit endpoints (the local
 * stand-ins) with dummy credentials, or at AWS itself (endpoints absent: the default credential
 * chain): the local stack, the CLI, the benchmarks and the tests. S3 uses path-style addressing
 * against a loopback endpoint (no `<bucket>.localhost` DNS needed). `maxAttempts` (tests: 1) is
 * the SDK's own retry count for every client.
 *
 * @example
 * const aws = awsClients({ region: 'us-east-1', dynamodb: ddb.endpoint, sqs: fq.endpoint, s3: fq.endpoint });
 */
export function awsClients(e: AwsEndpoints, options: { maxAttempts?: number } = {}): AwsClients {
  const base = (endpoint: string | undefined) => ({
    region: e.region,
    ...(endpoint ? { endpoint, credentials: LOCAL_CREDENTIALS } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  });
  const dynamodb = new DynamoDBClient(base(e.dynamodb));
  const doc = createDocumentClient(base(e.dynamodb));
  const sqs = new SQSClient(base(e.sqs));
  const s3 = new S3Client({ ...base(e.s3), ...(e.s3 ? { forcePathStyle: true } : {}) });
  const autoscaling = new AutoScalingClient(base(e.autoscaling));
  const ec2 = new EC2Client(base(e.ec2));
  return {
    dynamodb,
    doc,
    sqs,
    s3,
    autoscaling,
    ec2,
    destroy() {
      for (const c of [dynamodb, doc, sqs, s3, autoscaling, ec2]) c.destroy();
    },
  };
}
