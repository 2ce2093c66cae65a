import { sigv4Caller } from '../services/sigv4-caller.ts';

/** One AWS API call as IAM sees it: who signed it, the IAM action and the resources it touches. */
export interface AwsCall {
  accessKeyId: string;
  /** The IAM action, e.g. `dynamodb:PutItem`, `sqs:DeleteMessage` (for DeleteMessageBatch). */
  action: string;
  /** Resource ARNs (`*` for actions without resource-level permissions). */
  resources: string[];
  /** The stand-in's HTTP status. */
  status?: number;
}

export interface CallContext {
  region: string;
  accountId: string;
  /** A secret's ARN from its name (the Secrets Manager stand-in's suffixes). */
  secretArn(name: string): string;
}

// IAM checks a batch call against the single action's permission.
const SQS_IAM_ACTION: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

/**
 * Reads the IAM view of a signed request to DynamoDB (JSON 1.0), SQS (JSON or Query), S3 (REST,
 * path-style), Secrets Manager (JSON 1.1), Auto Scaling and EC2 (Query). Undefined when the request
 * is unsigned or of another service.
 *
 * @example
 * awsCallOf({ method: 'POST', path: '/', headers, body }, ctx) // { accessKeyId, action: 'dynamodb:PutItem', resources: ['arn:aws:dynamodb:…:table/T'] }
 */
export function awsCallOf(
  req: { method: string; path: string; headers: Record<string, string | string[] | undefined>; body: Buffer },
  ctx: CallContext,
): AwsCall | undefined {
  const caller = sigv4Caller(req.headers.authorization);
  if (!caller) return undefined;
  const target = String(req.headers['x-amz-target'] ?? '');
  const text = () => req.body.toString('utf8');
  const json = (): Record<string, unknown> => {
    try {
      return JSON.parse(text() || '{}') as Record<string, unknown>;
    } catch {
      return {};
    }
  };
  const form = () => new URLSearchParams(text());
  const arn = (service: string, resource: string) =>
    `arn:aws:${service}:${ctx.region}:${ctx.accountId}:${resource}`;
  const call = (action: string, resources: string[]): AwsCall => ({
    accessKeyId: caller.accessKeyId,
    action,
    resources,
  });
  switch (caller.service) {
    case 'dynamodb': {
      const op = target.split('.')[1] ?? '';
      const body = json();
      const table = (name: unknown, index?: unknown) =>
        arn('dynamodb', `table/${String(name)}${index ? `/index/${String(index)}` : ''}`);
      if (op === 'BatchWriteItem' || op === 'BatchGetItem')
        return call(
          `dynamodb:${op}`,
          Object.keys((body.RequestItems as object) ?? {}).map((t) => table(t)),
        );
      if (op === 'TransactWriteItems' || op === 'TransactGetItems')
        return call(
          `dynamodb:${op}`,
          ((body.TransactItems as Record<string, { TableName?: string }>[]) ?? []).map((i) =>
            table(Object.values(i)[0]?.TableName),
          ),
        );
      return call(`dynamodb:${op}`, [table(body.TableName, body.IndexName)]);
    }
    case 'sqs': {
      const op = target ? (target.split('.')[1] ?? '') : (form().get('Action') ?? '');
      const url = target ? String(json().QueueUrl ?? '') : (form().get('QueueUrl') ?? '');
      const name = url.split('/').filter(Boolean).pop() ?? '';
      const resources = op === 'ListQueues' || op === 'CreateQueue' ? ['*'] : [arn('sqs', name)];
      return call(`sqs:${SQS_IAM_ACTION[op] ?? op}`, resources);
    }
    case 's3': {
      const url = new URL(req.path, 'http://s3');
      const [bucket = '', ...keyParts] = url.pathname.split('/').slice(1);
      const key = decodeURIComponent(keyParts.join('/'));
      const q = url.searchParams;
      const object = [`arn:aws:s3:::${bucket}/${key}`];
      if (!key) {
        if (req.method === 'GET' || req.method === 'HEAD')
          return call('s3:ListBucket', [`arn:aws:s3:::${bucket}`]);
        return call(`s3:${req.method === 'PUT' ? 'CreateBucket' : 'DeleteBucket'}`, [
          `arn:aws:s3:::${bucket}`,
        ]);
      }
      if (req.method === 'GET' || req.method === 'HEAD') return call('s3:GetObject', object);
      // Multipart uploads: create, parts and complete need PutObject; abort its own action.
      if (req.method === 'DELETE')
        return call(q.has('uploadId') ? 's3:AbortMultipartUpload' : 's3:DeleteObject', object);
      return call('s3:PutObject', object);
    }
    case 'secretsmanager': {
      const op = target.split('.')[1] ?? '';
      const id = String(json().SecretId ?? '');
      return call(`secretsmanager:${op}`, [id.startsWith('arn:') ? id : ctx.secretArn(id)]);
    }
    case 'autoscaling': {
      const p = form();
      const group = p.get('AutoScalingGroupName');
      return call(`autoscaling:${p.get('Action')}`, [
        group
          ? arn(
              'autoscaling',
              `autoScalingGroup:00000000-0000-4000-8000-000000000000:autoScalingGroupName/${group}`,
            )
          : '*',
      ]);
    }
    case 'ec2':
      // DescribeInstances has no resource-level permissions.
      return call(`ec2:${form().get('Action')}`, ['*']);
    default:
      return call(`${caller.service}:unknown`, ['*']);
  }
}
