import { createHash } from 'node:crypto';

/**
 * Fields that change every time they are read (ZPA's "time since" durations) and must not make an
 * unchanged resource look changed.
 */
function volatile(key: string): boolean {
  return key.endsWith('Duration');
}

/**
 * A short (16 hex digits) content hash of a resource, ignoring volatile fields: what the diff
 * compares, so a snapshot never keeps whole objects of the previous one.
 *
 * @example
 * itemHash({ id: '1', name: 'a', lastBrokerConnectTimeDuration: '1m' }) === itemHash({ id: '1', name: 'a' }); // true
 */
export function itemHash(item: unknown): string {
  const text = JSON.stringify(item, (key, value) => (volatile(key) ? undefined : value));
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
