import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** A client, or a function that makes it on first use (what the adapters accept). */
export type Provided<T> = T | (() => Promise<T>);

/**
 * The AWS SDK clients a function's adapters use. Lambda's (`lambdaAwsClients`) are made on first
 * use and the rarely needed ones (S3, EC2, Auto Scaling) only import their SDK module then; the
 * local stack, the CLI, the benchmarks and the tests give clients pointed at explicit endpoints
 * (`awsClients`).
 */
export interface AwsClientSource {
  /** Requests, audit and guardrail control items (drops `undefined` attributes). */
  readonly doc: DynamoDBDocumentClient;
  /** The rate limiter's table. */
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly s3: Provided<S3Client>;
  readonly ec2: Provided<EC2Client>;
  readonly autoscaling: Provided<AutoScalingClient>;
}
