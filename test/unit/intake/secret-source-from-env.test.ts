import { describe, expect, it } from 'vitest';
import { AwsSecretSource } from '../../../shared/secrets/aws-secret-source.ts';
import { secretSourceFromEnv } from '../../../shared/secrets/secret-source-from-env.ts';

const invalid = (problem: string): Error => new RangeError(problem);

describe('secretSourceFromEnv', () => {
  it('defaults to Secrets Manager', () => {
    expect(secretSourceFromEnv({}, invalid)).toBeInstanceOf(AwsSecretSource);
  });

  it('local: reads ZCOPS_SECRETS', async () => {
    const secrets = secretSourceFromEnv(
      { ZCOPS_SECRETS_SOURCE: 'local', ZCOPS_SECRETS: '{"a":"value-a-123456"}' },
      invalid,
    );
    await expect(secrets.getSecret('a')).resolves.toBe('value-a-123456');
  });

  it("throws the caller's error for any other mode", () => {
    expect(() => secretSourceFromEnv({ ZCOPS_SECRETS_SOURCE: 'vault' }, invalid)).toThrow(
      new RangeError('ZCOPS_SECRETS_SOURCE: must be aws or local'),
    );
  });
});
