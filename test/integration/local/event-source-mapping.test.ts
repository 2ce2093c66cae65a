import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatchReport, SqsEventSourceMapping } from '../../../local/event-source-mapping.ts';
import { type RunningFauxqs, startFauxqsServer } from '../../../local/services/fauxqs.ts';
import { waitFor } from '../../fixtures/wait-for.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('SqsEventSourceMapping over fauxqs (Lambda ESM emulation)', () => {
  let fq: RunningFauxqs;
  let sqs: SQSClient;
  let n = 0;

  /** A jobs queue with a DLQ (RedrivePolicy, maxReceiveCount) and a 1 s visibility timeout. */
  async function queues(maxReceiveCount = 2) {
    n++;
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `dlq-${n}` }));
    const dlqArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl!, AttributeNames: ['QueueArn'] }))
    ).Attributes!.QueueArn!;
    const q = await sqs.send(
      new CreateQueueCommand({
        QueueName: `jobs-${n}`,
        Attributes: {
          VisibilityTimeout: '1',
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqArn,
            maxReceiveCount: String(maxReceiveCount),
          }),
        },
      }),
    );
    const arn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.QueueUrl!, AttributeNames: ['QueueArn'] }))
    ).Attributes!.QueueArn!;
    return { url: q.QueueUrl!, arn, dlqUrl: dlq.QueueUrl! };
  }

  async function send(url: string, bodies: string[]) {
    for (let i = 0; i < bodies.length; i += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: bodies.slice(i, i + 10).map((b, j) => ({
            Id: String(j),
            MessageBody: b,
            MessageAttributes: { tenant: { DataType: 'String', StringValue: 'acme' } },
          })),
        }),
      );
    }
  }

  async function depth(url: string): Promise<number> {
    const out = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  }

  beforeAll(async () => {
    fq = await startFauxqsServer();
    sqs = new SQSClient({ endpoint: fq.endpoint, region: 'us-east-1', credentials });
  });
  afterAll(async () => {
    sqs.destroy();
    await fq.stop();
  });

  it('delivers real-shaped batches of at most batchSize and deletes what succeeded', async () => {
    const q = await queues();
    await send(
      q.url,
      Array.from({ length: 25 }, (_, i) => `m${i}`),
    );
    const events: SQSEvent[] = [];
    const esm = new SqsEventSourceMapping({
      sqs,
      queueUrl: q.url,
      queueArn: q.arn,
      region: 'us-east-1',
      batchSize: 10,
      maxConcurrency: 2,
      waitTimeSeconds: 1,
      handler: async (event) => {
        events.push(event);
        return { batchItemFailures: [] };
      },
    });
    esm.start();
    await waitFor(() => events.flatMap((e) => e.Records).length >= 25);
    await esm.stop();
    expect(events.every((e) => e.Records.length >= 1 && e.Records.length <= 10)).toBe(true);
    expect(new Set(events.flatMap((e) => e.Records.map((r) => r.body))).size).toBe(25);
    const r = events[0]!.Records[0]!;
    expect(r.eventSource).toBe('aws:sqs');
    expect(r.eventSourceARN).toBe(q.arn);
    expect(r.attributes.ApproximateReceiveCount).toBe('1');
    expect(r.messageAttributes.tenant?.stringValue).toBe('acme');
    expect(await depth(q.url)).toBe(0);
  });

  it('a partial failure comes back after the visibility timeout with its receive count; the rest is deleted', async () => {
    const q = await queues(5);
    await send(q.url, ['ok-1', 'fail-once', 'ok-2']);
    const seen: { body: string; count: string }[] = [];
    const reports: BatchReport[] = [];
    const esm = new SqsEventSourceMapping({
      sqs,
      queueUrl: q.url,
      queueArn: q.arn,
      region: 'us-east-1',
      batchSize: 10,
      maxConcurrency: 1,
      waitTimeSeconds: 1,
      onBatch: (r) => reports.push(r),
      handler: async (event): Promise<SQSBatchResponse> => {
        const failures = [];
        for (const rec of event.Records) {
          seen.push({ body: rec.body, count: rec.attributes.ApproximateReceiveCount });
          if (rec.body === 'fail-once' && rec.attributes.ApproximateReceiveCount === '1')
            failures.push({ itemIdentifier: rec.messageId });
        }
        return { batchItemFailures: failures };
      },
    });
    esm.start();
    await waitFor(() => seen.some((s) => s.body === 'fail-once' && s.count === '2'));
    await esm.stop();
    expect(seen.filter((s) => s.body === 'ok-1')).toHaveLength(1);
    expect(seen.filter((s) => s.body === 'ok-2')).toHaveLength(1);
    expect(seen.filter((s) => s.body === 'fail-once').map((s) => s.count)).toEqual(['1', '2']);
    expect(reports.some((r) => r.failed.length === 1)).toBe(true);
    expect(await depth(q.url)).toBe(0);
  });

  it('a handler that throws leaves the whole batch; after maxReceiveCount receives SQS moves it to the DLQ', async () => {
    const q = await queues(2);
    await send(q.url, ['poison']);
    let invocations = 0;
    const reports: BatchReport[] = [];
    const esm = new SqsEventSourceMapping({
      sqs,
      queueUrl: q.url,
      queueArn: q.arn,
      region: 'us-east-1',
      batchSize: 10,
      maxConcurrency: 1,
      waitTimeSeconds: 1,
      onBatch: (r) => reports.push(r),
      handler: async () => {
        invocations++;
        throw new Error('cannot process');
      },
    });
    esm.start();
    let moved: string | undefined;
    await waitFor(async () => {
      const out = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: q.dlqUrl, WaitTimeSeconds: 0, VisibilityTimeout: 0 }),
      );
      moved = out.Messages?.[0]?.Body;
      return moved !== undefined;
    });
    await esm.stop();
    expect(moved).toBe('poison');
    expect(invocations).toBe(2);
    expect(reports.every((r) => r.error === 'Error: cannot process' && r.failed.length === 1)).toBe(true);
    expect(reports.map((r) => Object.values(r.receiveCounts)[0])).toEqual([1, 2]);
    expect(await depth(q.url)).toBe(0);
  });

  it('stop() lets a running invocation finish (and delete) before it resolves', async () => {
    const q = await queues();
    await send(q.url, ['slow']);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let started = false;
    let finished = false;
    const esm = new SqsEventSourceMapping({
      sqs,
      queueUrl: q.url,
      queueArn: q.arn,
      region: 'us-east-1',
      batchSize: 1,
      maxConcurrency: 1,
      waitTimeSeconds: 1,
      handler: async () => {
        started = true;
        await gate;
        finished = true;
        return { batchItemFailures: [] };
      },
    });
    esm.start();
    await waitFor(() => started);
    const stopping = esm.stop();
    release();
    await stopping;
    expect(finished).toBe(true);
    expect(esm.running).toBe(false);
    expect(await depth(q.url)).toBe(0);
  });

  it('refuses settings Lambda refuses', () => {
    const base = {
      sqs,
      queueUrl: 'q',
      queueArn: 'a',
      region: 'us-east-1',
      handler: async () => undefined,
      maxConcurrency: 1,
    };
    expect(() => new SqsEventSourceMapping({ ...base, batchSize: 11 })).toThrow(/1\.\.10/);
    expect(() => new SqsEventSourceMapping({ ...base, batchSize: 1, maxConcurrency: 0 })).toThrow(
      /maxConcurrency/,
    );
  });
});
