/**
 * The secret port: a named secret's string value. Adapters: Secrets Manager (AWS), a local JSON
 * (env var or file) for the local stack, and an in-memory map for tests. Every adapter registers
 * the values it returns with `registerSecretValue`, so redaction can recognise them anywhere.
 *
 * @example
 * const hmacKey = await secrets.getSecret('zcops/sources/servicenow');
 */
export interface SecretSource {
  /** Throws `SecretNotFoundError` or `SecretUnavailableError`; never includes the value in errors. */
  getSecret(name: string): Promise<string>;
}
