import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError } from '../../../cli/errors.ts';
import { EXIT } from '../../../cli/exit-codes.ts';
import { operatorIdentity } from '../../../cli/operator-identity.ts';
import type { TargetProfile } from '../../../cli/profile.ts';

const profile = (kind: 'local' | 'deployed'): TargetProfile => ({
  v: 1,
  kind,
  region: 'eu-west-1',
  endpoints: {},
  tables: { requests: 'r', audit: 'a', ratelimit: 'l' },
  queues: { jobsUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs' },
  config: {},
  forceDryRun: false,
});

const sts = mockClient(STSClient);
afterEach(() => sts.reset());

describe('who the CLI records as the operator', () => {
  it('a deployed stack: the ARN STS reports, whatever ZCOPS_OPERATOR says', async () => {
    const arn = 'arn:aws:sts::123456789012:assumed-role/ZcopsOperators/alice';
    sts.on(GetCallerIdentityCommand).resolves({ Arn: arn, Account: '123456789012', UserId: 'AROA:alice' });
    expect(await operatorIdentity(profile('deployed'), { ZCOPS_OPERATOR: 'the-boss' })).toBe(arn);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
  });

  it('a deployed stack without working credentials: a clear error, exit 5, no typed name instead', async () => {
    sts.on(GetCallerIdentityCommand).rejects(
      Object.assign(new Error('The security token included in the request is expired'), {
        name: 'ExpiredToken',
      }),
    );
    const err = await operatorIdentity(profile('deployed'), { ZCOPS_OPERATOR: 'the-boss' }).catch((e) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(EXIT.unavailable);
    expect((err as CliError).message).toMatch(/GetCallerIdentity failed \(ExpiredToken/);
  });

  it('the local stack: the typed name, labelled self-asserted; STS is not asked', async () => {
    expect(await operatorIdentity(profile('local'), { ZCOPS_OPERATOR: 'alice' })).toBe(
      'alice (self-asserted)',
    );
    expect(await operatorIdentity(profile('local'), {})).toMatch(/ \(self-asserted\)$/);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
  });
});
