import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, itsm, startHarness } from '../worker/harness.ts';

let h: Harness;

beforeAll(async () => {
  // ZTW DELETE at 1/min (the hourly window left out); the test's clock moves instead of waiting.
  h = await startHarness({
    config: {
      worker: { activationQuietSeconds: 90 },
      rateLimits: { defaults: { ztw: { delete: [{ limit: 1, windowMs: 60_000 }] } } },
    },
  });
});
afterAll(async () => h?.stop());

const ztwCalls = (method: string, fragment: string) =>
  h.sim.callLog.filter((e) => e.api === 'ztw' && e.method === method && e.path.includes(fragment));

describe('ecVm.delete (Cloud & Branch Connector, legacy session)', () => {
  it('a burst of deletions (by group + VM id and by instance id) gets ONE activation, then each verifies 404', async () => {
    const [g1, g2] = [...h.sim.state.ecGroups.values()];
    const a = g1!.vms[0]!;
    const b = g1!.vms[1]!;
    const c = g2!.vms[0]!;
    h.sim.reset();
    const r1 = await h.submit(itsm({ action: 'ecVm.delete', vm: { groupId: g1!.id, vmId: a.id } }, 'CHG-A'));
    const r2 = await h.submit(itsm({ action: 'ecVm.delete', vm: { groupId: g1!.id, vmId: b.id } }, 'CHG-B'));
    const r3 = await h.submit(itsm({ action: 'ecVm.delete', vm: { instanceId: c.vmInstanceId } }, 'CHG-C'));
    const results = await h.drain({ max: 40 });
    expect(results.every((x) => !(x instanceof Error))).toBe(true);
    for (const r of [r1, r2, r3]) {
      const rec = await h.store.get(r.requestId);
      expect(rec, JSON.stringify(rec)).toMatchObject({ state: 'SUCCEEDED', result: { verified: true } });
    }
    expect(ztwCalls('PUT', '/ecAdminActivateStatus/activate')).toHaveLength(1);
    expect(ztwCalls('DELETE', '/ecgroup/').map((e) => e.status)).toEqual([200, 200]);
    expect(ztwCalls('DELETE', '/ecVm/uuid/').map((e) => e.status)).toEqual([200]);
    expect(h.sim.state.getVm(g1!.id, a.id)).toBeUndefined();
    expect(h.sim.state.findVmByInstanceId(c.vmInstanceId)).toBeUndefined();
    // The rate limiter spaced the three DELETEs (1/min): the third was deferred, never sent early.
    const deletes = h.sim.callLog.filter(
      (e) => e.api === 'ztw' && e.method === 'DELETE' && !e.path.endsWith('/auth'),
    );
    for (let i = 1; i < deletes.length; i++)
      expect(deletes[i]!.at - deletes[i - 1]!.at).toBeGreaterThanOrEqual(60_000);
    const trail = await h.trail(r3.requestId);
    expect(trail.some((e) => e.type === 'deferred' && String(e.detail?.reason).includes('rate-limit'))).toBe(
      true,
    );
    // One session at a time: every ZTW call ran inside a session that was closed before the next opened.
    const auth = h.sim.callLog
      .filter((e) => e.api === 'auth' && e.path === '/api/v1/auth')
      .map((e) => e.method);
    for (let i = 0; i < auth.length; i += 2) expect(auth.slice(i, i + 2)).toEqual(['POST', 'DELETE']);
  });

  it('a VM already gone succeeds with no DELETE; a redelivered deferred job never deletes twice', async () => {
    const [, g2] = [...h.sim.state.ecGroups.values()];
    const vm = g2!.vms.at(-1)!;
    h.sim.reset();
    const gone = await h.submit(itsm({ action: 'ecVm.delete', vm: { groupId: g2!.id, vmId: 99999999 } }));
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect((await h.store.get(gone.requestId))?.result).toMatchObject({ alreadyGone: true });

    h.clock.advance(3_600_000); // a fresh hour of DELETE budget
    const r = await h.submit(itsm({ action: 'ecVm.delete', vm: { groupId: g2!.id, vmId: vm.id } }));
    const first = await h.deliverNext();
    expect(first).toMatchObject({ kind: 'deferred' });
    // The delayed message is delivered twice (at-least-once): one run activates, the other skips.
    const delayed = h.takeNext();
    const { runJobMessage } = await import('../../../shared/worker/run-job.ts');
    expect(await runJobMessage(h.deps, { body: delayed.body, receiveCount: 1 })).toEqual({
      kind: 'settled',
      state: 'SUCCEEDED',
    });
    expect(await runJobMessage(h.deps, { body: delayed.body, receiveCount: 2 })).toEqual({
      kind: 'skipped',
      reason: 'request is SUCCEEDED',
    });
    expect(ztwCalls('DELETE', '/ecgroup/')).toHaveLength(1);
    expect(ztwCalls('PUT', '/activate')).toHaveLength(1);
    expect((await h.store.get(r.requestId))?.state).toBe('SUCCEEDED');
  });

  it('dry-run plans the DELETE, the activation and the verification, and makes no write', async () => {
    const [g1] = [...h.sim.state.ecGroups.values()];
    const vm = g1!.vms.at(-1)!;
    h.sim.reset();
    const r = await h.submit(
      itsm({ action: 'ecVm.delete', vm: { groupId: g1!.id, vmId: vm.id }, dryRun: true }),
    );
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(ztwCalls('DELETE', '/ecgroup')).toHaveLength(0);
    expect(ztwCalls('PUT', '/activate')).toHaveLength(0);
    const rec = await h.store.get(r.requestId);
    expect(((rec?.result?.plannedCalls ?? []) as { method: string }[]).map((c) => c.method)).toEqual([
      'DELETE',
      'PUT',
      'GET',
    ]);
  });
});
