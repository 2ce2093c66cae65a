/**
 * Every secret value this process has loaded, so redaction (audit, logs) can strip a secret even
 * where it appears under an innocent key or inside a longer string. Values shorter than
 * `MIN_LENGTH` are not tracked: replacing "1" everywhere would mangle output without protecting
 * anything.
 */
const values = new Set<string>();
const MIN_LENGTH = 6;

/**
 * Registers a secret value (and, when it is a JSON object, each string inside it).
 *
 * @example
 * registerSecretValue('{"hmac":"s3cr3t-value"}'); // tracks the whole string and 's3cr3t-value'
 */
export function registerSecretValue(value: string): void {
  if (value.length >= MIN_LENGTH) values.add(value);
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return;
  try {
    collect(JSON.parse(trimmed));
  } catch {
    // Not JSON: the whole string is tracked already.
  }
}

function collect(node: unknown): void {
  if (typeof node === 'string') {
    if (node.length >= MIN_LENGTH) values.add(node);
  } else if (Array.isArray(node)) {
    for (const item of node) collect(item);
  } else if (node && typeof node === 'object') {
    for (const item of Object.values(node)) collect(item);
  }
}

/** The tracked values, longest first (so a value containing another is replaced whole). */
export function knownSecretValues(): string[] {
  return [...values].sort((a, b) => b.length - a.length);
}
