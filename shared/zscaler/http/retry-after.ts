/**
 * Retry-After parsing in every form Zscaler (and the simulator) sends:
 * - header `13s` (ZPA), plain integer `13`, decimal seconds `1.3s` (time-scaled simulator);
 * - an HTTP-date (RFC 9110);
 * - the ZTW 429 body field `"Retry-After": "0 seconds"`.
 */

const SECONDS = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|second|seconds)?\s*$/i;

/**
 * Parses one Retry-After value into milliseconds (rounded up), or `undefined` when it is absent or
 * unreadable. An HTTP-date in the past gives 0.
 *
 * @example
 * parseRetryAfter('13s', Date.now()) // 13000
 * parseRetryAfter('0 seconds', Date.now()) // 0
 */
export function parseRetryAfter(
  value: string | number | undefined | null,
  nowMs: number,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0 ? Math.ceil(value * 1000) : undefined;
  const m = SECONDS.exec(value);
  if (m) return Math.ceil(Number(m[1]) * 1000);
  // An HTTP-date always names a weekday or month, so a bare number never reaches here.
  if (/[a-z]/i.test(value)) {
    const at = Date.parse(value);
    if (!Number.isNaN(at)) return Math.max(0, at - nowMs);
  }
  return undefined;
}

/**
 * The server's wait from a response: the `retry-after` header first, then a `Retry-After` field in a
 * JSON body (ZTW). `undefined` when neither says anything readable.
 */
export function retryAfterFromResponse(
  headerValue: string | string[] | undefined,
  body: unknown,
  nowMs: number,
): number | undefined {
  const header = Array.isArray(headerValue) ? headerValue[0] : headerValue;
  const fromHeader = parseRetryAfter(header, nowMs);
  if (fromHeader !== undefined) return fromHeader;
  if (body !== null && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    for (const key of ['Retry-After', 'retry-after', 'retryAfter']) {
      const v = record[key];
      if (typeof v === 'string' || typeof v === 'number') {
        const ms = parseRetryAfter(v, nowMs);
        if (ms !== undefined) return ms;
      }
    }
  }
  return undefined;
}
