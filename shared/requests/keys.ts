import { createHash } from 'node:crypto';

/** Partition key of a request item. */
export const requestPk = (requestId: string): string => `REQ#${requestId}`;

/** Partition key of an idempotency record (hashed: keys may be long or contain any character). */
export const keyPk = (key: string): string => `KEY#${createHash('sha256').update(key).digest('hex')}`;

/** A JSON text with object keys sorted, so equal values hash equally. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** sha256 (hex) of a value's stable JSON. */
export const hashOf = (value: unknown): string =>
  createHash('sha256').update(stableJson(value)).digest('hex');

/** Request ids are UUIDs; anything else is refused before it reaches a key or a path. */
export const REQUEST_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
