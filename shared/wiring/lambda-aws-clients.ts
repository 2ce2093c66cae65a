import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../storage/dynamo.ts';
import type { AwsClientSource } from './aws-client-source.ts';

/**
 * Lambda's SDK clients, each made on first use with the SDK's defaults (region, credentials and
 * `AWS_ENDPOINT_URL_*` from the runtime's environment). The S3, EC2 and Auto Scaling modules are
 * imported only when a job first needs them: most invocations need none, and loading them was
 * most of the worker's cold start.
 *
 * @example
 * const deps = workerFromEnv(process.env, { aws: lambdaAwsClients() });
 */
export function lambdaAwsClients(): AwsClientSource {
  let doc: DynamoDBDocumentClient | undefined;
  let dynamodb: DynamoDBClient | undefined;
  let sqs: SQSClient | undefined;
  return {
    get doc() {
      doc ??= createDocumentClient({});
      return doc;
    },
    get dynamodb() {
      dynamodb ??= new DynamoDBClient({});
      return dynamodb;
    },
    get sqs() {
      sqs ??= new SQSClient({});
      return sqs;
    },
    s3: once(async (): Promise<S3Client> => new (await import('@aws-sdk/client-s3')).S3Client({})),
    ec2: once(async (): Promise<EC2Client> => new (await import('@aws-sdk/client-ec2')).EC2Client({})),
    autoscaling: once(
      async (): Promise<AutoScalingClient> =>
        new (await import('@aws-sdk/client-auto-scaling')).AutoScalingClient({}),
    ),
  };
}

/** Makes a value on the first call and answers the same promise after (again after a failure). */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}
