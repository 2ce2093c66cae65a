import { randomUUID } from 'node:crypto';
import { EnqueueError } from './errors.ts';
import { type JobMessage, serializeJobMessage } from './job-message.ts';
import type { JobQueue } from './job-queue.ts';

/** The jobs queue in memory (unit tests, fuzzing). `failNext` makes the next sends fail. */
export class MemoryJobQueue implements JobQueue {
  readonly messages: { messageId: string; body: string; delaySeconds: number }[] = [];
  failNext = 0;

  async send(message: JobMessage, options: { delaySeconds?: number } = {}): Promise<{ messageId: string }> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new EnqueueError(`job ${message.requestId} could not be sent (injected failure)`);
    }
    const messageId = randomUUID();
    this.messages.push({
      messageId,
      body: serializeJobMessage(message),
      delaySeconds: options.delaySeconds ?? 0,
    });
    return { messageId };
  }
}
