import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * zcops' webhook signature, shared by the side that signs (ticket callbacks in `shared/notify`, test
 * and local senders) and the side that verifies (`shared/intake/signature.ts`).
 */

/** Header carrying `sha256=<hex>` of HMAC-SHA256(key, `<timestamp>.<body>`). */
export const SIGNATURE_HEADER = 'x-zcops-signature';
/** Header carrying the signing time in epoch seconds. */
export const TIMESTAMP_HEADER = 'x-zcops-timestamp';
/**
 * Jira Cloud's own webhook signature: `sha256=<hex>` of HMAC-SHA256(secret, raw body), no timestamp.
 * Replays are answered as duplicates through the delivery identifier instead (see the webhook handler).
 */
export const HUB_SIGNATURE_HEADER = 'x-hub-signature';

/** HMAC-SHA256 of the raw body alone, as Jira Cloud signs its webhooks (`X-Hub-Signature`). */
export function signBody(key: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}

/**
 * The signature a sender puts in `X-Zcops-Signature`.
 *
 * @example
 * const ts = Math.floor(Date.now() / 1000).toString();
 * headers['x-zcops-timestamp'] = ts;
 * headers['x-zcops-signature'] = sign(key, ts, body);
 */
export function sign(key: string, timestamp: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', key).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** Compares two strings in constant time (both hashed first, so lengths leak nothing either). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
