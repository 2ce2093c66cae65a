import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AwsSecretSource } from './aws-secret-source.ts';
import { createLocalSecretSource } from './local-secret-source.ts';
import type { SecretSource } from './secret-source.ts';

/**
 * The secret source the environment asks for: `ZCOPS_SECRETS_SOURCE` is `aws` (default; Secrets
 * Manager, cached for `SECRETS_TTL_SECONDS`, default 300) or `local` (`ZCOPS_SECRETS` /
 * `ZCOPS_SECRETS_FILE`). Any other value throws what `invalid` builds, so each function keeps
 * its own typed config error.
 *
 * @example
 * const secrets = secretSourceFromEnv(process.env, (p) => new IntakeConfigError('environment', [p]));
 */
export function secretSourceFromEnv(
  env: Record<string, string | undefined>,
  invalid: (problem: string) => Error,
): SecretSource {
  const mode = env.ZCOPS_SECRETS_SOURCE ?? 'aws';
  if (mode !== 'aws' && mode !== 'local') {
    throw invalid('ZCOPS_SECRETS_SOURCE: must be aws or local');
  }
  if (mode === 'local') return createLocalSecretSource(env);
  const ttl = Number(env.SECRETS_TTL_SECONDS ?? '300');
  return new AwsSecretSource(new SecretsManagerClient({}), {
    ttlMs: (Number.isFinite(ttl) ? ttl : 300) * 1000,
  });
}
