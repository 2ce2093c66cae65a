import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSourceCredentials } from '../../../shared/intake/credentials.ts';
import { AwsSecretSource } from '../../../shared/secrets/aws-secret-source.ts';
import {
  SecretFormatError,
  SecretNotFoundError,
  SecretUnavailableError,
} from '../../../shared/secrets/errors.ts';
import { knownSecretValues } from '../../../shared/secrets/known-secrets.ts';
import { createLocalSecretSource } from '../../../shared/secrets/local-secret-source.ts';
import { INTAKE_START, testConfig, testSecrets } from '../../fixtures/events/intake-setup.ts';
import { manualClock } from '../../fixtures/manual-clock.ts';

const sm = mockClient(SecretsManagerClient);
afterEach(() => sm.reset());

describe('secret sources', () => {
  it('AWS adapter: caches per TTL, registers values, maps errors without values', async () => {
    const clock = manualClock(INTAKE_START);
    sm.on(GetSecretValueCommand, { SecretId: 'ok' }).resolves({ SecretString: 'value-one-123456' });
    sm.on(GetSecretValueCommand, { SecretId: 'missing' }).rejects(
      Object.assign(new Error('nope'), { name: 'ResourceNotFoundException' }),
    );
    sm.on(GetSecretValueCommand, { SecretId: 'denied' }).rejects(
      Object.assign(new Error('User arn:... is not authorized; secret value-x'), {
        name: 'AccessDeniedException',
      }),
    );
    sm.on(GetSecretValueCommand, { SecretId: 'empty' }).resolves({});
    const source = new AwsSecretSource(new SecretsManagerClient({ region: 'us-east-1' }), {
      ttlMs: 1000,
      clock,
    });
    expect(await source.getSecret('ok')).toBe('value-one-123456');
    expect(await source.getSecret('ok')).toBe('value-one-123456');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    clock.advance(1001);
    await source.getSecret('ok');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(knownSecretValues()).toContain('value-one-123456');
    await expect(source.getSecret('missing')).rejects.toBeInstanceOf(SecretNotFoundError);
    const denied = await source.getSecret('denied').catch((e) => e);
    expect(denied).toBeInstanceOf(SecretUnavailableError);
    expect(denied.message).toBe('secret denied could not be read (AccessDeniedException)');
    await expect(source.getSecret('empty')).rejects.toBeInstanceOf(SecretFormatError);
    // Failures are not cached.
    await source.getSecret('missing').catch(() => undefined);
    expect(sm.commandCalls(GetSecretValueCommand, { SecretId: 'missing' })).toHaveLength(2);
  });

  it('local adapter reads env JSON and refuses bad shapes', async () => {
    const local = createLocalSecretSource({ ZCOPS_SECRETS: '{"a":"plain-value-1234","b":{"hmac":"x"}}' });
    expect(await local.getSecret('a')).toBe('plain-value-1234');
    expect(JSON.parse(await local.getSecret('b'))).toEqual({ hmac: 'x' });
    await expect(local.getSecret('c')).rejects.toBeInstanceOf(SecretNotFoundError);
    expect(() => createLocalSecretSource({ ZCOPS_SECRETS: '[' })).toThrow(SecretFormatError);
    expect(() => createLocalSecretSource({ ZCOPS_SECRETS: '{"a":1}' })).toThrow(/string or an object/);
  });

  it('loads source credentials from dedicated and shared secrets', async () => {
    const config = testConfig();
    const secrets = testSecrets();
    const by = (n: string) => config.sources.find((s) => s.name === n)!;
    expect(await loadSourceCredentials(by('api'), secrets)).toMatchObject({
      hmacKeys: ['hmac-api-key-9f8e7d6c5b4a3210'],
      bearerTokens: ['bearer-api-token-0123456789abcdef'],
    });
    expect(await loadSourceCredentials(by('servicenow'), secrets)).toMatchObject({
      hmacKeys: ['hmac-servicenow-key-5a5a5a5a5a5a'],
      bearerTokens: ['bearer-servicenow-token-7c7c7c7c7c'],
    });
    secrets.set('zcops/sources/servicenow', { hmac: 'short' });
    await expect(loadSourceCredentials(by('servicenow'), secrets)).rejects.toBeInstanceOf(SecretFormatError);
  });
});
