import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { EnqueueError } from './errors.ts';
import { type JobMessage, serializeJobMessage } from './job-message.ts';
import type { JobQueue } from './job-queue.ts';

/** SQS's limit on a message's delay. */
export const MAX_DELAY_SECONDS = 900;

/**
 * The jobs queue on SQS (standard queue; the worker's conditional state transitions make
 * duplicate deliveries harmless).
 *
 * @example
 * const queue = new SqsJobQueue(new SQSClient({}), process.env.JOBS_QUEUE_URL!);
 */
export class SqsJobQueue implements JobQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  constructor(client: SQSClient, queueUrl: string) {
    this.#client = client;
    this.#queueUrl = queueUrl;
  }

  async send(message: JobMessage, options: { delaySeconds?: number } = {}): Promise<{ messageId: string }> {
    const delay = Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.ceil(options.delaySeconds ?? 0)));
    try {
      const out = await this.#client.send(
        new SendMessageCommand({
          QueueUrl: this.#queueUrl,
          MessageBody: serializeJobMessage(message),
          ...(delay > 0 ? { DelaySeconds: delay } : {}),
          MessageAttributes: {
            tenant: { DataType: 'String', StringValue: message.tenant },
            action: { DataType: 'String', StringValue: message.action },
          },
        }),
      );
      if (!out.MessageId) throw new EnqueueError('SQS answered without a message id');
      return { messageId: out.MessageId };
    } catch (err) {
      if (err instanceof EnqueueError) throw err;
      throw new EnqueueError(`job ${message.requestId} could not be sent (${(err as Error).name})`, {
        cause: err,
      });
    }
  }
}
