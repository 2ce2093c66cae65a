import type { SourcePolicy } from '../config/sources.ts';
import { SecretFormatError } from '../secrets/errors.ts';
import type { SecretSource } from '../secrets/secret-source.ts';

/** The accepted values of a source's credentials (several during a rotation). */
export interface SourceCredentials {
  hmacKeys: string[];
  bearerTokens: string[];
  replayWindowSeconds: number;
}

/**
 * Loads a source's HMAC keys and bearer tokens from its secrets. A dedicated secret may be a plain
 * string or JSON `{current, previous}`; the shared `secretName` secret is JSON
 * `{hmac: string | string[], bearer: string | string[]}`.
 *
 * @example
 * const creds = await loadSourceCredentials(policy, secrets);
 */
export async function loadSourceCredentials(
  policy: SourcePolicy,
  secrets: SecretSource,
): Promise<SourceCredentials> {
  const window = policy.auth?.replayWindowSeconds ?? 300;
  if (policy.secretName) {
    const name = policy.secretName;
    const obj = asObject(await secrets.getSecret(name), name);
    return {
      hmacKeys: values(obj.hmac, name),
      bearerTokens: values(obj.bearer, name),
      replayWindowSeconds: window,
    };
  }
  const auth = policy.auth;
  const read = async (name: string | undefined) =>
    name ? dedicated(await secrets.getSecret(name), name) : [];
  return {
    hmacKeys: await read(auth?.hmacSecretName),
    bearerTokens: await read(auth?.bearerSecretName),
    replayWindowSeconds: window,
  };
}

function dedicated(text: string, name: string): string[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return [text];
  const obj = asObject(text, name);
  const out = [...values(obj.current, name), ...values(obj.previous, name)];
  if (out.length === 0) throw new SecretFormatError(`secret ${name} has no "current" value`, name);
  return out;
}

function asObject(text: string, name: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new SecretFormatError(`secret ${name} must be a JSON object`, name);
}

function values(v: unknown, name: string): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === 'string' && x.length >= 16)) {
    throw new SecretFormatError(`secret ${name} values must be strings of at least 16 characters`, name);
  }
  return list as string[];
}
