import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sigv4Caller } from './sigv4-caller.ts';

/** One call the stand-in answered. */
export interface SecretsManagerCall {
  action: string;
  secretId: string;
  /** The secret's ARN when it exists. */
  arn?: string;
  accessKeyId?: string;
  status: number;
}

export interface SecretsManagerStandIn {
  endpoint: string;
  calls: SecretsManagerCall[];
  /** The ARN a secret has here (`arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 chars>`). */
  arnOf(name: string): string;
  stop(): Promise<void>;
}

/**
 * A loopback stand-in of Secrets Manager's `GetSecretValue` on its real wire protocol (AWS JSON 1.1,
 * `X-Amz-Target: secretsmanager.GetSecretValue`), so a deployed function's own SDK client reads its
 * secrets by name or ARN as in AWS. Each secret's ARN ends in a random 6-character suffix, as AWS
 * appends one. Every call is recorded with the access key that signed it.
 *
 * @example
 * const sm = await startSecretsManager({ region: 'us-east-1', accountId: '000000000000', secrets: { 'zcops/sources/api': { hmac: 'k' } } });
 * // AWS_ENDPOINT_URL_SECRETS_MANAGER=sm.endpoint
 */
export async function startSecretsManager(options: {
  region: string;
  accountId: string;
  secrets: Record<string, string | Record<string, unknown>>;
}): Promise<SecretsManagerStandIn> {
  const suffix = (name: string) => {
    let h = 0;
    for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return h.toString(36).padStart(6, 'x').slice(-6);
  };
  const arnOf = (name: string) =>
    `arn:aws:secretsmanager:${options.region}:${options.accountId}:secret:${name}-${suffix(name)}`;
  const byArn = new Map(Object.keys(options.secrets).map((n) => [arnOf(n), n]));
  const calls: SecretsManagerCall[] = [];
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.replace(/^secretsmanager\./, '');
    const caller = sigv4Caller(req.headers.authorization);
    let input: { SecretId?: string } = {};
    try {
      input = JSON.parse(body || '{}') as { SecretId?: string };
    } catch {
      input = {};
    }
    const id = String(input.SecretId ?? '');
    const name = byArn.get(id) ?? (Object.hasOwn(options.secrets, id) ? id : undefined);
    const answer = (status: number, payload: unknown) => {
      calls.push({
        action,
        secretId: id,
        ...(name ? { arn: arnOf(name) } : {}),
        ...(caller ? { accessKeyId: caller.accessKeyId } : {}),
        status,
      });
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': randomUUID(),
      });
      res.end(JSON.stringify(payload));
    };
    if (action !== 'GetSecretValue')
      return answer(400, { __type: 'InvalidRequestException', message: `${action} is not supported here` });
    if (!name)
      return answer(400, {
        __type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      });
    const value = options.secrets[name];
    answer(200, {
      ARN: arnOf(name),
      Name: name,
      VersionId: '00000000-0000-4000-8000-000000000001',
      VersionStages: ['AWSCURRENT'],
      SecretString: typeof value === 'string' ? value : JSON.stringify(value),
      CreatedDate: 1_764_000_000,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    arnOf,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
