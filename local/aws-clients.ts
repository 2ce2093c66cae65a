import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

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

export interface AwsClients {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  s3: S3Client;
  autoscaling: AutoScalingClient;
  ec2: EC2Client;
  destroy(): void;
}

/**
 * The SDK clients the functions use, pointed at explicit endpoints (the local stand-ins) with dummy
 * credentials, or at AWS itself (endpoints absent: the default credential chain). S3 uses path-style
 * addressing against a loopback endpoint (no `<bucket>.localhost` DNS needed).
 *
 * @example
 * const aws = awsClients({ region: 'us-east-1', dynamodb: ddb.endpoint, sqs: fq.endpoint, s3: fq.endpoint });
 */
export function awsClients(e: AwsEndpoints): AwsClients {
  const base = (endpoint: string | undefined) =>
    endpoint ? { region: e.region, endpoint, credentials: LOCAL_CREDENTIALS } : { region: e.region };
  const dynamodb = new DynamoDBClient(base(e.dynamodb));
  const sqs = new SQSClient(base(e.sqs));
  const s3 = new S3Client({ ...base(e.s3), ...(e.s3 ? { forcePathStyle: true } : {}) });
  const autoscaling = new AutoScalingClient(base(e.autoscaling));
  const ec2 = new EC2Client(base(e.ec2));
  return {
    dynamodb,
    sqs,
    s3,
    autoscaling,
    ec2,
    destroy() {
      for (const c of [dynamodb, sqs, s3, autoscaling, ec2]) c.destroy();
    },
  };
}
