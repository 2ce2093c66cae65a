import { knownSecretValues } from '../secrets/known-secrets.ts';

/** What replaces a redacted value. */
export const REDACTED = '[REDACTED]';

/** Key fragments (compared lower-case, without `-`/`_`) whose values are never written. */
const SENSITIVE_KEY_PARTS = [
  'secret',
  'token',
  'password',
  'passwd',
  'authorization',
  'signature',
  'apikey',
  'cookie',
  'credential',
  'privatekey',
  'jsessionid',
  'sessionid',
  'bearer',
];

const STRING_PATTERNS: [RegExp, string][] = [
  [/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, `Bearer ${REDACTED}`],
  [/\bBasic\s+[A-Za-z0-9+/=]{8,}/g, `Basic ${REDACTED}`],
  [/\bJSESSIONID=[^;\s,"]+/gi, `JSESSIONID=${REDACTED}`],
  [/\bsha256=[0-9a-f]{16,}/gi, `sha256=${REDACTED}`],
  [/\b(client_secret|password|apiKey|api_key|access_token|refresh_token)=[^&\s"]+/gi, `$1=${REDACTED}`],
  [
    /"(client_?secret|password|apiKey|api_key|access_token|refresh_token|token)"\s*:\s*"[^"]*"/gi,
    `"$1":"${REDACTED}"`,
  ],
];

const MAX_DEPTH = 12;
const MAX_STRING = 4096;
const MAX_ARRAY = 500;

/** True when a key names a secret-bearing field. */
export function isSensitiveKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_]/g, '');
  return SENSITIVE_KEY_PARTS.some((part) => k.includes(part));
}

/** Strips secrets from a string: registered secret values and well-known credential patterns. */
export function redactString(value: string): string {
  let out =
    value.length > MAX_STRING
      ? `${value.slice(0, MAX_STRING)}…[truncated ${value.length - MAX_STRING}]`
      : value;
  for (const secret of knownSecretValues()) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of STRING_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A copy of `value` safe to write to the audit trail or a log: values under sensitive keys become
 * `[REDACTED]`, strings lose registered secret values and credential patterns, errors become
 * `{name, message}`, and deep or huge structures are cut short.
 *
 * @example
 * redact({ headers: { authorization: 'Bearer abc' }, path: '/v1/requests' })
 * // { headers: { authorization: '[REDACTED]' }, path: '/v1/requests' }
 */
export function redact<T>(value: T): T;
export function redact(value: unknown): unknown {
  return walk(value, 0, new WeakSet());
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? value.toString() : typeof value === 'function' ? undefined : value;
  }
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  if (value instanceof Error) {
    return { name: value.name, message: redactString(value.message) };
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ARRAY).map((v) => walk(v, depth + 1, seen));
    if (value.length > MAX_ARRAY) items.push(`[${value.length - MAX_ARRAY} more]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      isSensitiveKey(k) && v !== undefined && v !== null && v !== '' ? REDACTED : walk(v, depth + 1, seen);
  }
  return out;
}
