import type { JobMessage } from './job-message.ts';

/**
 * The jobs queue port. Adapters: `SqsJobQueue`, `MemoryJobQueue`.
 *
 * @example
 * await queue.send(message, { delaySeconds: 120 }); // a deferral
 */
export interface JobQueue {
  /** Sends one job; throws `EnqueueError` when the queue did not take it. */
  send(message: JobMessage, options?: { delaySeconds?: number }): Promise<{ messageId: string }>;
}
