import type { CallbackRetry } from './config.ts';

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1): full jitter up to
 * `baseDelayMs * 2^(attempt-1)` capped at `maxDelayMs`, or the server's Retry-After when it is longer
 * (still capped).
 *
 * @example
 * backoffMs({ attempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, timeoutMs: 10_000 }, 2, undefined, () => 0.5); // 500
 */
export function backoffMs(
  retry: CallbackRetry,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.min(retry.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}
