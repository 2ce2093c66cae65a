import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/worker/handler.ts';
import { type RunningFauxqs, startFauxqsServer } from '../../../local/services/fauxqs.ts';
import { SqsJobQueue } from '../../../shared/requests/sqs-job-queue.ts';
import { drainDeadLetter } from '../../../shared/worker/dead-letter.ts';
import { type Harness, itsm, sqsEvent, startHarness } from './harness.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let fq: RunningFauxqs;
let sqs: SQSClient;
let h: Harness;
let queueUrl: string;
let dlqUrl: string;
let groupId: string;

beforeAll(async () => {
  fq = await startFauxqsServer();
  sqs = new SQSClient({ endpoint: fq.endpoint, region: 'us-east-1', credentials });
  dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'jobs-dlq' }))).QueueUrl!;
  const dlqArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  queueUrl = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: 'jobs',
        Attributes: {
          VisibilityTimeout: '0',
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
        },
      }),
    )
  ).QueueUrl!;
  h = await startHarness({
    queue: new SqsJobQueue(sqs, queueUrl),
    config: { worker: { maxReceiveCount: 2 } },
  });
  [groupId] = [...h.sim.state.appConnectorGroups.keys()] as [string];
});
afterAll(async () => {
  await h?.stop();
  sqs?.destroy();
  await fq?.stop();
});

/** One poll as Lambda's event source mapping does it: receive, invoke, delete the successes. */
async function poll(url = queueUrl) {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
  );
  const messages = out.Messages ?? [];
  if (messages.length === 0) return { received: 0, failures: [] as string[] };
  const handler = createHandler(h.deps);
  const event = sqsEvent(
    messages.map((m) => ({
      body: m.Body!,
      messageId: m.MessageId!,
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
    })),
  );
  const response = await handler(event);
  const failures = response.batchItemFailures.map((f) => f.itemIdentifier);
  for (const m of messages) {
    if (!failures.includes(m.MessageId!))
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
  }
  return { received: messages.length, failures, messages };
}

async function depth(url: string) {
  const a = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return {
    visible: Number(a.Attributes?.ApproximateNumberOfMessages),
    delayed: Number(a.Attributes?.ApproximateNumberOfMessagesDelayed),
  };
}

describe('worker handler over fauxqs (SQS batches, partial failures, DLQ)', () => {
  it('reports only the records that cannot be processed; they reach the DLQ, the good one succeeds', async () => {
    const c = h.sim.state.addConnector({
      groupId,
      name: 'via-sqs',
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
    });
    const good = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'not json' }));
    const orphan = JSON.stringify({
      v: 1,
      requestId: '00000000-0000-4000-8000-000000000000',
      tenant: 'sim',
      action: 'appConnector.delete',
      enqueuedAt: new Date().toISOString(),
      deferrals: 0,
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: orphan }));

    const first = await poll();
    expect(first.received).toBe(3);
    expect(first.failures).toHaveLength(2);
    expect(await h.store.get(good.requestId)).toMatchObject({ state: 'SUCCEEDED' });
    expect(h.sim.state.connectors.has(c.id)).toBe(false);
    const second = await poll();
    expect(second.failures).toHaveLength(2);
    const third = await poll();
    expect(third.received).toBe(0); // moved to the DLQ after maxReceiveCount
    expect((await depth(dlqUrl)).visible).toBe(2);
  });

  it('a deferral sends a delayed message and acknowledges the record (it never counts towards the DLQ)', async () => {
    const c = h.sim.state.addConnector({
      groupId,
      name: 'deferred-via-sqs',
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
    });
    h.sim.setFaults({ editLock: 1, methods: ['DELETE'], maxCount: 1 });
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }));
    const out = await poll();
    h.sim.setFaults({});
    expect(out).toMatchObject({ received: 1, failures: [] });
    expect(await h.store.get(r.requestId)).toMatchObject({ state: 'DEFERRED', deferrals: 1 });
    expect(await depth(queueUrl)).toEqual({ visible: 0, delayed: 1 });
  });

  it('a crash on every receive: the final receive marks DEAD_LETTERED, the DLQ drain leaves it so', async () => {
    const crashing = {
      action: 'pccGroup.create' as const,
      async plan(): Promise<never> {
        throw new RangeError('crash');
      },
      async execute(): Promise<never> {
        throw new RangeError('crash');
      },
    };
    const base = h.deps;
    h.deps = {
      ...base,
      jobs: { 'pccGroup.create': crashing },
      config: { ...base.config, worker: { ...base.config.worker, leaseSeconds: 10 } },
    };
    try {
      const r = await h.submit(
        itsm({
          action: 'pccGroup.create',
          group: { name: 'x', countryCode: 'DE', latitude: 1, longitude: 1, location: 'x' },
        }),
      );
      // Only this request's message is visible now (the deferred one is delayed).
      expect((await poll()).failures).toHaveLength(1);
      h.clock.advance(10_001); // the crashed run's lease expires
      expect((await poll()).failures).toHaveLength(1);
      expect(await h.store.get(r.requestId)).toMatchObject({ state: 'DEAD_LETTERED' });
      expect((await poll()).received).toBe(0);
      const dlq = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10 }));
      const ours = (dlq.Messages ?? []).filter((m) => m.Body?.includes(r.requestId));
      expect(ours).toHaveLength(1);
      expect(await drainDeadLetter(h.deps, ours[0]!.Body!)).toEqual({
        requestId: r.requestId,
        state: 'DEAD_LETTERED',
      });
      expect(await drainDeadLetter(h.deps, 'not json')).toMatchObject({
        error: expect.stringContaining('not JSON'),
      });
    } finally {
      h.deps = base;
    }
  });
});
