import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { createHandler } from '../../../functions/worker/handler.ts';
import { toSqsEvent } from '../../../local/sqs-event.ts';
import { MemoryControlStore } from '../../../shared/guardrails/memory-control-store.ts';
import { PauseSwitch } from '../../../shared/guardrails/pause-switch.ts';
import { BatchPauses } from '../../../shared/worker/batch-scope.ts';
import { memoryWorker, scriptedJob, TENANT } from './memory-worker.ts';

/** The SQS event Lambda's event source mapping makes of these message bodies. */
const sqsEvent = (bodies: string[]): SQSEvent =>
  toSqsEvent(
    bodies.map((Body, i) => ({ MessageId: `m-${i}`, ReceiptHandle: `rh-${i}`, Body })),
    'arn:aws:sqs:eu-west-1:123456789012:jobs',
    'eu-west-1',
  );

const pauseReads = (get: { mock: { calls: unknown[][] } }) =>
  get.mock.calls.filter(([key]) => key === `pause:${TENANT}`).length;

describe('one batch reads a pause switch once', () => {
  it("the batch's records share one read of their tenant's switch; the next batch reads again", async () => {
    const w = memoryWorker(scriptedJob());
    const handler = createHandler(w.deps);
    const get = vi.spyOn(w.control, 'get');
    const first = await Promise.all([1, 2, 3].map((i) => w.submit({ connectorId: `7205759403792793${i}` })));
    expect((await handler(sqsEvent(first.map((s) => s.body)))).batchItemFailures).toEqual([]);
    expect(pauseReads(get)).toBe(1);
    for (const s of first) expect((await w.get(s.record.requestId)).state).toBe('SUCCEEDED');

    // Paused between batches: the next batch sees it, and every one of its records defers.
    await new PauseSwitch(w.control).pause(TENANT, { reason: 'freeze', by: 'ops', nowMs: w.clock.now() });
    const second = await Promise.all([4, 5].map((i) => w.submit({ connectorId: `7205759403792793${i}` })));
    await handler(sqsEvent(second.map((s) => s.body)));
    expect(pauseReads(get)).toBe(3); // pause() read it once, the batch once
    for (const s of second) expect((await w.get(s.record.requestId)).state).toBe('DEFERRED');
  });

  it('a failed read is not kept: the next record reads again', async () => {
    const control = new MemoryControlStore();
    const get = vi
      .spyOn(control, 'get')
      .mockRejectedValueOnce(new Error('throttled'))
      .mockResolvedValue(undefined);
    const pauses = new BatchPauses(control);
    await expect(pauses.state(TENANT)).rejects.toThrow('throttled');
    expect(await pauses.state(TENANT)).toBeUndefined();
    expect(await pauses.state(TENANT)).toBeUndefined();
    expect(get).toHaveBeenCalledTimes(2);
  });
});
