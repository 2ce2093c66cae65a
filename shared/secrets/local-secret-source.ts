import { readFileSync } from 'node:fs';
import { SecretFormatError } from './errors.ts';
import { MemorySecretSource } from './memory-secret-source.ts';
import type { SecretSource } from './secret-source.ts';

/**
 * The local stack's secrets: a JSON object `{ "<secret name>": <string or object>, ... }` taken
 * from the environment variable `ZCOPS_SECRETS`, or from the file named by `ZCOPS_SECRETS_FILE`.
 * There is no local Secrets Manager; this stands in for it with the same names.
 *
 * @example
 * // ZCOPS_SECRETS='{"zcops/sources/servicenow":{"hmac":"local-dev-key"}}'
 * const secrets = createLocalSecretSource(process.env);
 */
export function createLocalSecretSource(env: Record<string, string | undefined>): SecretSource {
  const inline = env.ZCOPS_SECRETS;
  const file = env.ZCOPS_SECRETS_FILE;
  let text = '{}';
  let origin = 'ZCOPS_SECRETS';
  if (inline !== undefined && inline !== '') text = inline;
  else if (file !== undefined && file !== '') {
    origin = file;
    text = readFileSync(file, 'utf8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SecretFormatError(`${origin} is not valid JSON`, origin);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SecretFormatError(`${origin} must be a JSON object of secret names to values`, origin);
  }
  const values: Record<string, string | object> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== 'string' && (typeof value !== 'object' || value === null)) {
      throw new SecretFormatError(`${origin}: secret ${name} must be a string or an object`, name);
    }
    values[name] = value;
  }
  return new MemorySecretSource(values);
}
