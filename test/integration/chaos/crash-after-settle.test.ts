import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutcomeListener } from '../../../shared/jobs/outcome-listener.ts';
import type { RequestRecord } from '../../../shared/requests/request-record.ts';
import { runJobMessage } from '../../../shared/worker/run-job.ts';
import { type Harness, startHarness } from '../worker/harness.ts';

/**
 * Found by the chaos run (1,000 submissions, a request SUCCEEDED with no `succeeded` event): a
 * settlement writes the state, then the outcome event, then tells the listeners; a worker killed
 * between the first two left a final request whose audit trail never said how it ended, and whose
 * listeners (ticket callbacks, lifecycle completion) were never told. The unacknowledged message is
 * redelivered; it used to be skipped without a word.
 */
describe('a worker killed between settling a request and auditing the outcome', () => {
  let h: Harness;
  const told: RequestRecord[] = [];
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.stop());

  it.each([
    ['SUCCEEDED', 'succeeded', { result: { deleted: 1 } }],
    ['FAILED', 'failed', { error: { message: 'validation failed at Zscaler', code: 'invalid' } }],
  ] as const)(
    '%s: the redelivered message writes the missing %s event once and tells the listeners',
    async (state, type, patch) => {
      const listener: OutcomeListener = { settled: async (r) => void told.push(r) };
      const deps = { ...h.deps, listeners: [listener] };
      const r = await h.submit({
        action: 'appConnector.delete',
        tenant: 'sim',
        reason: 'decommission',
        source: { kind: 'itsm', name: 'servicenow', ref: `CHG-${state}` },
        connector: { id: '72057615512764999' },
      });
      const message = h.takeNext();
      // The dead run: RUNNING, then the final state, then the process died before its audit write.
      await h.store.transition(r.requestId, 'RUNNING', {
        from: 'QUEUED',
        patch: { incrementAttempts: true },
      });
      await h.store.transition(r.requestId, state, {
        from: 'RUNNING',
        patch: { stateReason: 'x', ...patch },
      });
      const before = told.length;

      for (let receive = 2; receive <= 3; receive++) {
        expect(await runJobMessage(deps, { body: message.body, receiveCount: receive })).toMatchObject({
          kind: 'skipped',
        });
      }
      const outcomes = (await h.trail(r.requestId)).filter((e) => e.type === type);
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]?.detail).toMatchObject({ recovered: true });
      if (state === 'FAILED') expect(outcomes[0]?.detail?.reason).toBe('validation failed at Zscaler');
      expect(told.slice(before).map((x) => x.requestId)).toEqual([r.requestId]);
    },
  );

  it('killed after auditing the outcome but before the listeners: the redelivery tells those not yet told, once', async () => {
    const calls: string[] = [];
    const listener: OutcomeListener = {
      settled: async (r) => {
        calls.push(r.requestId);
        await h.deps.audit.append({ requestId: r.requestId, type: 'callback', detail: { state: r.state } });
      },
      alreadyTold: (r, trail) => trail.some((e) => e.type === 'callback' && e.detail?.state === r.state),
    };
    const untracked: OutcomeListener = { settled: async (r) => void calls.push(`untracked:${r.requestId}`) };
    const deps = { ...h.deps, listeners: [listener, untracked] };
    const r = await h.submit({
      action: 'appConnector.delete',
      tenant: 'sim',
      reason: 'decommission',
      source: { kind: 'itsm', name: 'servicenow', ref: 'CHG-TOLD' },
      connector: { id: '72057615512764998' },
    });
    const message = h.takeNext();
    await h.store.transition(r.requestId, 'RUNNING', { from: 'QUEUED', patch: { incrementAttempts: true } });
    await h.store.transition(r.requestId, 'SUCCEEDED', {
      from: 'RUNNING',
      patch: { result: { deleted: 1 } },
    });
    // The dead run wrote its outcome event, then died before telling anyone.
    await h.deps.audit.append({
      requestId: r.requestId,
      type: 'succeeded',
      detail: { result: { deleted: 1 } },
    });

    for (let receive = 2; receive <= 3; receive++) {
      expect(await runJobMessage(deps, { body: message.body, receiveCount: receive })).toMatchObject({
        kind: 'skipped',
      });
    }
    // Told once (the second redelivery finds its callback event); a listener that cannot tell is left alone.
    expect(calls).toEqual([r.requestId]);
    expect((await h.trail(r.requestId)).filter((e) => e.type === 'succeeded')).toHaveLength(1);
  });
});
