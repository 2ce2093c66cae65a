import type { JobMessage } from '../requests/job-message.ts';
import type { JobQueue } from '../requests/job-queue.ts';
import { MAX_DELAY_SECONDS } from '../requests/sqs-job-queue.ts';

/**
 * Hands a job back to the queue to run at `notBefore`: one message delayed by at most SQS's 900 s.
 * A longer wait is chained: the message arrives early, sees the request's `notBefore` still ahead,
 * and sends itself again for the rest (`resendEarly`), without touching the request.
 *
 * @example
 * await sendDelayed(queue, message, notBefore, clock.now(), { deferred: true });
 */
export async function sendDelayed(
  queue: JobQueue,
  message: JobMessage,
  notBefore: number,
  nowMs: number,
  options: { deferred: boolean },
): Promise<{ delaySeconds: number }> {
  const delaySeconds = delayFor(notBefore, nowMs);
  await queue.send(
    {
      ...message,
      enqueuedAt: new Date(nowMs).toISOString(),
      deferrals: message.deferrals + (options.deferred ? 1 : 0),
    },
    { delaySeconds },
  );
  return { delaySeconds };
}

/** Whole seconds until `notBefore`, within SQS's 0..900. */
export function delayFor(notBefore: number, nowMs: number): number {
  return Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.ceil((notBefore - nowMs) / 1000)));
}
