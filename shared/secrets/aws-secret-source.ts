import {
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import { SecretFormatError, SecretNotFoundError, SecretUnavailableError } from './errors.ts';
import { registerSecretValue } from './known-secrets.ts';
import type { SecretSource } from './secret-source.ts';

export interface AwsSecretSourceOptions {
  /** How long a value is reused before it is read again (rotation takes effect after this). */
  ttlMs?: number;
  clock?: Clock;
}

/**
 * Secrets Manager behind the secret port, with a TTL cache per name (one read per secret per
 * container per TTL; concurrent first reads share one call). Errors are typed and name the secret,
 * never the value; a failed read is not cached.
 *
 * @example
 * const secrets = new AwsSecretSource(new SecretsManagerClient({}), { ttlMs: 300_000 });
 */
export class AwsSecretSource implements SecretSource {
  readonly #client: SecretsManagerClient;
  readonly #ttlMs: number;
  readonly #clock: Clock;
  readonly #cache = new Map<string, { at: number; value: Promise<string> }>();

  constructor(client: SecretsManagerClient, options: AwsSecretSourceOptions = {}) {
    this.#client = client;
    this.#ttlMs = options.ttlMs ?? 300_000;
    this.#clock = options.clock ?? systemClock;
  }

  getSecret(name: string): Promise<string> {
    const now = this.#clock.now();
    const hit = this.#cache.get(name);
    if (hit && now - hit.at < this.#ttlMs) return hit.value;
    const value = this.#read(name);
    this.#cache.set(name, { at: now, value });
    value.catch(() => {
      if (this.#cache.get(name)?.value === value) this.#cache.delete(name);
    });
    return value;
  }

  async #read(name: string): Promise<string> {
    let out: GetSecretValueCommandOutput;
    try {
      out = await this.#client.send(new GetSecretValueCommand({ SecretId: name }));
    } catch (err) {
      const errName = (err as Error).name;
      if (errName === 'ResourceNotFoundException') {
        throw new SecretNotFoundError(`secret ${name} not found`, name);
      }
      // Only the error's class travels on: SDK messages can echo request parameters.
      throw new SecretUnavailableError(`secret ${name} could not be read (${errName})`, name);
    }
    const text =
      out.SecretString ?? (out.SecretBinary ? Buffer.from(out.SecretBinary).toString('utf8') : undefined);
    if (text === undefined || text === '') throw new SecretFormatError(`secret ${name} has no value`, name);
    registerSecretValue(text);
    return text;
  }
}
