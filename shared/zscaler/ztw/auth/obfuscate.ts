/**
 * The Cloud & Branch Connector API key obfuscation, ported exactly from the docs' Python:
 *
 * ```python
 * n = str(now)[-6:]
 * r = str(int(n) >> 1).zfill(6)
 * key = ""
 * for i in range(0, len(str(n)), 1): key += seed[int(str(n)[i])]
 * for j in range(0, len(str(r)), 1): key += seed[int(str(r)[j])+2]
 * ```
 *
 * The same `timestamp` (epoch ms) must be sent in the `/auth` body.
 *
 * @example
 * obfuscateApiKey('abcdefghijkl', 1700000123456) // 'bcdefgcidjek'
 */
export function obfuscateApiKey(apiKey: string, timestampMs: number): string {
  if (apiKey.length < 12) throw new RangeError('apiKey must be at least 12 characters');
  if (!Number.isSafeInteger(timestampMs) || timestampMs < 0)
    throw new RangeError('timestamp must be epoch ms');
  const n = String(timestampMs).slice(-6);
  const r = String(Number(n) >> 1).padStart(6, '0');
  let key = '';
  for (const digit of n) key += apiKey[Number(digit)];
  for (const digit of r) key += apiKey[Number(digit) + 2];
  return key;
}
