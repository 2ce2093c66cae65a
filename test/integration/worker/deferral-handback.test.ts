import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../shared/jobs/job.ts';
import type { JobMessage } from '../../../shared/requests/job-message.ts';
import { runJobMessage } from '../../../shared/worker/run-job.ts';
import { type Harness, itsm, startHarness } from './harness.ts';

/**
 * A deferral's message must not go out while the run still holds its lease: with a 0 s delay a copy
 * is delivered at once (another poller), finds the lease busy and is pushed back to the lease's end
 * (15 minutes by default). The teardown defers with no delay after completing the lifecycle action.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

/** Defers once with no delay, then succeeds. */
const deferOnce: Job<'appConnector.delete'> = {
  action: 'appConnector.delete',
  async plan() {
    return { calls: [], resources: [] };
  },
  async execute(ctx) {
    if (ctx.record.deferrals === 0) {
      return { status: 'deferred', notBefore: ctx.clock.now(), reason: 'phase one done' };
    }
    return { status: 'succeeded', result: { phase: 2 } };
  },
};

describe('deferral hand-back', () => {
  it('sends the message after the lease is released; the copy delivered at once runs the next phase', async () => {
    const deps = { ...h.deps, jobs: { 'appConnector.delete': deferOnce } };
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: '4242' } }));
    const sent: { message: JobMessage; leaseHeld: boolean; state: string | undefined }[] = [];
    const queue = {
      async send(message: JobMessage, options?: { delaySeconds?: number }) {
        const lease = await h.control.get(`run:${message.requestId}`);
        const record = await h.store.get(message.requestId);
        sent.push({ message, leaseHeld: lease !== undefined, state: record?.state });
        return h.queue.send(message, options);
      },
    };
    const first = h.takeNext();
    expect(await runJobMessage({ ...deps, queue }, { body: first.body, receiveCount: 1 })).toMatchObject({
      kind: 'deferred',
      delaySeconds: 0,
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ leaseHeld: false, state: 'DEFERRED', message: { deferrals: 1 } });
    // Delivered at once, the copy claims the run (no "being run by another worker") and finishes it.
    const copy = h.takeNext();
    expect(await runJobMessage(deps, { body: copy.body, receiveCount: 1 })).toEqual({
      kind: 'settled',
      state: 'SUCCEEDED',
    });
    expect(await h.store.get(r.requestId)).toMatchObject({ state: 'SUCCEEDED', deferrals: 1 });
  });
});
