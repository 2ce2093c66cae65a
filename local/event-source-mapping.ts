import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { toSqsEvent } from './sqs-event.ts';

/** What the mapping invokes: a Lambda SQS handler with ReportBatchItemFailures. */
export type SqsBatchHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

/** One invocation, as the mapping saw it (for logs and tests). */
export interface BatchReport {
  size: number;
  messageIds: string[];
  /** Records left on the queue (they come back after the visibility timeout). */
  failed: string[];
  /** The handler threw or timed out: the whole batch is left on the queue. */
  error?: string;
  /** `ApproximateReceiveCount` of each record, by message id. */
  receiveCounts: Record<string, number>;
}

export interface EventSourceMappingOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  handler: SqsBatchHandler;
  /** Records per invocation, 1..10 (ReceiveMessage's own limit). */
  batchSize: number;
  /** Concurrent invocations (Lambda's ESM `maximumConcurrency`). */
  maxConcurrency: number;
  /** Visibility timeout given to each receive; absent: the queue's own. */
  visibilityTimeoutSeconds?: number;
  /** Long-poll wait per receive, 0..20 s. Short keeps Ctrl-C snappy; default 2. */
  waitTimeSeconds?: number;
  /** An invocation running longer than this counts as failed (Lambda's function timeout). */
  invocationTimeoutMs?: number;
  /** Told about every invocation. */
  onBatch?: (report: BatchReport) => void;
  /** Told about poller errors (the poller backs off and keeps going, as Lambda's does). */
  onError?: (error: unknown) => void;
}

/**
 * Lambda's SQS event source mapping, emulated: `maxConcurrency` pollers long-poll ReceiveMessage
 * (batch size, visibility timeout, all system and message attributes), invoke the handler with a
 * real-shaped `SQSEvent`, delete the records that succeeded, and leave failed ones (listed in
 * `batchItemFailures`, or the whole batch when the handler throws or times out) to reappear after
 * the visibility timeout. Dead-lettering is SQS's own: the queue's RedrivePolicy moves a message
 * to the DLQ once its receive count passes `maxReceiveCount` (fauxqs implements it).
 *
 * @example
 * const esm = new SqsEventSourceMapping({ sqs, queueUrl, queueArn, region: 'us-east-1', handler: worker,
 *   batchSize: 10, maxConcurrency: 2, visibilityTimeoutSeconds: 30 });
 * esm.start();
 * // … Ctrl-C:
 * await esm.stop(); // stops polling, waits for running invocations
 */
export class SqsEventSourceMapping {
  readonly #o: EventSourceMappingOptions;
  readonly #abort = new AbortController();
  readonly #pollers: Promise<void>[] = [];
  #running = false;
  /** Invocations made so far. */
  invocations = 0;

  constructor(options: EventSourceMappingOptions) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1 || options.batchSize > 10) {
      throw new RangeError('batchSize must be 1..10');
    }
    if (!Number.isInteger(options.maxConcurrency) || options.maxConcurrency < 1) {
      throw new RangeError('maxConcurrency must be at least 1');
    }
    this.#o = options;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    for (let i = 0; i < this.#o.maxConcurrency; i++) this.#pollers.push(this.#poll());
  }

  /** Stops receiving, lets running invocations finish (their deletes included), then resolves. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#abort.abort();
    await Promise.allSettled(this.#pollers);
    this.#pollers.length = 0;
  }

  async #poll(): Promise<void> {
    let backoffMs = 100;
    while (this.#running) {
      let messages: Message[];
      try {
        const out = await this.#o.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.#o.queueUrl,
            MaxNumberOfMessages: this.#o.batchSize,
            WaitTimeSeconds: this.#o.waitTimeSeconds ?? 2,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
            ...(this.#o.visibilityTimeoutSeconds !== undefined
              ? { VisibilityTimeout: this.#o.visibilityTimeoutSeconds }
              : {}),
          }),
          { abortSignal: this.#abort.signal },
        );
        messages = out.Messages ?? [];
        backoffMs = 100;
      } catch (err) {
        if (!this.#running) return;
        this.#o.onError?.(err);
        await sleep(backoffMs);
        backoffMs = Math.min(5_000, backoffMs * 2);
        continue;
      }
      // A batch received is always processed, even when stopping: Lambda would have run it.
      if (messages.length > 0) await this.#invoke(messages);
    }
  }

  async #invoke(messages: Message[]): Promise<void> {
    const event = toSqsEvent(messages, this.#o.queueArn, this.#o.region);
    const ids = event.Records.map((r) => r.messageId);
    const receiveCounts = Object.fromEntries(
      event.Records.map((r) => [r.messageId, Number(r.attributes.ApproximateReceiveCount)]),
    );
    this.invocations++;
    let failed: Set<string>;
    let error: string | undefined;
    try {
      const response = await this.#withTimeout(this.#o.handler(event));
      failed = failedIds(response, ids);
    } catch (err) {
      failed = new Set(ids);
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    const done = event.Records.filter((r) => !failed.has(r.messageId));
    if (done.length > 0) {
      try {
        await this.#o.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.#o.queueUrl,
            Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
          }),
        );
      } catch (err) {
        // The records come back and run again; the worker's conditional transitions absorb that.
        this.#o.onError?.(err);
      }
    }
    this.#o.onBatch?.({
      size: ids.length,
      messageIds: ids,
      failed: [...failed],
      receiveCounts,
      ...(error ? { error } : {}),
    });
  }

  #withTimeout<T>(p: Promise<T>): Promise<T> {
    const ms = this.#o.invocationTimeoutMs;
    if (ms === undefined) return p;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Task timed out after ${(ms / 1000).toFixed(2)} seconds`)),
        ms,
      );
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }
}

/**
 * Which records failed, as Lambda reads a ReportBatchItemFailures response: none when the
 * response is empty; the listed ids otherwise; the whole batch when an entry is malformed or names
 * a record that was not in the batch.
 */
export function failedIds(response: unknown, ids: readonly string[]): Set<string> {
  if (response === undefined || response === null) return new Set();
  const list = (response as SQSBatchResponse).batchItemFailures;
  if (list === undefined || list === null) return new Set();
  if (!Array.isArray(list)) return new Set(ids);
  const out = new Set<string>();
  for (const item of list) {
    const id = (item as { itemIdentifier?: unknown })?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !ids.includes(id)) return new Set(ids);
    out.add(id);
  }
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
