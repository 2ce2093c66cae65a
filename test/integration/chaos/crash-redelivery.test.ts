import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLease } from '../../../shared/worker/lease.ts';
import { runJobMessage } from '../../../shared/worker/run-job.ts';
import { type Harness, startHarness } from '../worker/harness.ts';

/**
 * Found by the chaos run: a worker killed mid-run leaves its request RUNNING and its lease live (the
 * lease, 900 s by default, outlives the queue's visibility timeout, 720 s deployed). The message
 * comes back while the dead run's lease still holds; it used to be acknowledged as "another worker
 * is running it", so the request stayed RUNNING forever with no message left to finish it.
 */
describe('a crashed run is resumed when its message comes back while the dead lease still holds', () => {
  let h: Harness;
  let groupId: string;
  beforeAll(async () => {
    h = await startHarness();
    groupId = [...h.sim.state.appConnectorGroups.keys()][0]!;
  });
  afterAll(() => h?.stop());

  it('the redelivered message is handed back for when the lease ends, and the request then succeeds', async () => {
    const c = h.sim.state.addConnector({ groupId, name: 'crashed-mid-run' });
    h.sim.state.setConnectorStatus(c.id, 'DISCONNECTED', h.clock.now() - 86_400_000);
    const r = await h.submit({
      action: 'appConnector.delete',
      tenant: 'sim',
      reason: 'decommission',
      source: { kind: 'itsm', name: 'servicenow', ref: 'CHG0099001' },
      connector: { id: c.id },
    });
    const message = h.takeNext();
    // The crashed run: it took the lease and moved the request to RUNNING, then its process died.
    const leaseMs = h.config.worker.leaseSeconds * 1000;
    const dead = await acquireLease(h.control, `run:${r.requestId}`, 'dead-worker', leaseMs, h.clock.now());
    expect(dead.held).toBe(true);
    await h.store.transition(r.requestId, 'RUNNING', { from: 'QUEUED', patch: { incrementAttempts: true } });

    // Its message comes back after the visibility timeout, while the dead run's lease still holds.
    h.clock.advance(leaseMs / 2);
    const out = await runJobMessage(h.deps, { body: message.body, receiveCount: 2 });
    expect(out).toMatchObject({ kind: 'skipped' });
    expect((await h.store.get(r.requestId))?.state).toBe('RUNNING');

    // Acknowledged, but not lost: a copy is due when the lease ends, and it finishes the request.
    const redeliveredAt = h.clock.now();
    const next = await h.deliverNext();
    expect(next).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    // It ran only once the dead run's lease had ended.
    expect(h.clock.now()).toBeGreaterThanOrEqual(redeliveredAt + leaseMs / 2);
    expect(h.sim.state.connectors.has(c.id)).toBe(false);
    expect((await h.store.get(r.requestId))?.attempts).toBe(2);
  });
});
