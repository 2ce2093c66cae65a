import { SecretNotFoundError } from './errors.ts';
import { registerSecretValue } from './known-secrets.ts';
import type { SecretSource } from './secret-source.ts';

/**
 * Secrets held in memory (tests). Values may be strings or objects (stored as JSON, as Secrets
 * Manager stores key/value secrets).
 *
 * @example
 * const secrets = new MemorySecretSource({ 'zcops/sn': { hmac: 'k3y-value' } });
 */
export class MemorySecretSource implements SecretSource {
  readonly #values = new Map<string, string>();
  /** How many reads each name had (tests assert caching with it). */
  readonly reads = new Map<string, number>();

  constructor(values: Record<string, string | object> = {}) {
    for (const [name, value] of Object.entries(values)) this.set(name, value);
  }

  set(name: string, value: string | object): void {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    registerSecretValue(text);
    this.#values.set(name, text);
  }

  async getSecret(name: string): Promise<string> {
    this.reads.set(name, (this.reads.get(name) ?? 0) + 1);
    const value = this.#values.get(name);
    if (value === undefined) throw new SecretNotFoundError(`secret ${name} not found`, name);
    return value;
  }
}
