/**
 * The Cloud & Branch Connector API key obfuscation, ported from the Python in Zscaler's docs: the
 * last six digits of the timestamp `n` and `r = n >> 1` (zero-padded to six) pick characters of
 * the key (`key[d]` for each digit of n, `key[d + 2]` for each digit of r).
 *
 * @example
 * const ts = Date.now();
 * const body = { apiKey: obfuscateApiKey('Qx7Rk2Mv9Tb4', ts), username, password, timestamp: ts };
 */
export function obfuscateApiKey(apiKey: string, timestampMs: number): string {
  const n = String(Math.trunc(timestampMs)).slice(-6);
  const r = String(Number(n) >> 1).padStart(6, '0');
  let key = '';
  for (const d of n) key += apiKey[Number(d)] ?? '';
  for (const d of r) key += apiKey[Number(d) + 2] ?? '';
  return key;
}
