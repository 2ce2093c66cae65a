import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobMessage } from '../../../shared/worker/run-job.ts';
import { type Harness, itsm, startHarness } from '../worker/harness.ts';

/**
 * ecVm.delete against the simulator, which behaves as the facts page says: listings carry no
 * instance ids, an activation is queued and takes time (3 s by default), a deletion reads 404 only
 * once its activation is done, and the per-endpoint limits are enforced.
 */

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ simRateLimits: true });
});
afterAll(async () => h?.stop());

const ztwCalls = (method: string, fragment: string) =>
  h.sim.callLog.filter((e) => e.api === 'ztw' && e.method === method && e.path.includes(fragment));

const fresh = () => {
  h.clock.advance(3_600_000); // a fresh hour of every budget, and the previous activations long done
  h.sim.reset();
};

describe('ecVm.delete (Cloud & Branch Connector, legacy session)', () => {
  it('by instance id: found through GET /ecVm/uuid (listings carry none), SUCCEEDED only once it reads 404', async () => {
    fresh();
    const [g1] = [...h.sim.state.ecGroups.values()];
    const vm = h.sim.state.addEcVm(g1!.id);
    const listed = h.sim.callLog.length;
    const r = await h.submit(
      itsm({ action: 'ecVm.delete', vm: { instanceId: vm.vmInstanceId } }, 'CHG-UUID'),
    );
    const results = await h.drain({ max: 20 });
    expect(results.every((x) => !(x instanceof Error))).toBe(true);
    const rec = await h.store.get(r.requestId);
    expect(rec, JSON.stringify(rec)).toMatchObject({ state: 'SUCCEEDED', result: { verified: true } });
    // The truth: the VM is gone, a DELETE /ecVm/uuid was served, and no listing was searched.
    expect(h.sim.state.findVmByInstanceId(vm.vmInstanceId)).toBeUndefined();
    expect(ztwCalls('DELETE', `/ecVm/uuid/${vm.vmInstanceId}`).map((e) => e.status)).toEqual([200]);
    expect(h.sim.callLog.slice(listed).some((e) => /\/ecgroup\/?$/.test(e.path))).toBe(false);
    // The last read of the VM is the 404 that made it SUCCEEDED, after the activation was asked for.
    const reads = ztwCalls('GET', `/ecVm/uuid/${vm.vmInstanceId}`);
    expect(reads.map((e) => e.status)).toEqual([200, 404]);
    const activate = ztwCalls('PUT', '/ecAdminActivateStatus/activate');
    expect(activate).toHaveLength(1);
    expect(reads.at(-1)!.at).toBeGreaterThanOrEqual(activate[0]!.at);
  });

  it('an instance id no VM has succeeds as already gone on the 404 of /ecVm/uuid, with no write', async () => {
    fresh();
    const r = await h.submit(itsm({ action: 'ecVm.delete', vm: { instanceId: 'i-0000000000000dead' } }));
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect((await h.store.get(r.requestId))?.result).toMatchObject({ alreadyGone: true, verified: true });
    expect(h.writes()).toEqual([]);
    expect(ztwCalls('GET', '/ecVm/uuid/i-0000000000000dead').map((e) => e.status)).toEqual([404]);
  });

  it('a burst of deletions (by group + VM id and by instance id) gets ONE activation, then each verifies 404', async () => {
    fresh();
    const [g1, g2] = [...h.sim.state.ecGroups.values()];
    const a = h.sim.state.addEcVm(g1!.id);
    const b = h.sim.state.addEcVm(g1!.id);
    const c = h.sim.state.addEcVm(g2!.id);
    const r1 = await h.submit(itsm({ action: 'ecVm.delete', vm: { groupId: g1!.id, vmId: a.id } }, 'CHG-A'));
    const r2 = await h.submit(itsm({ action: 'ecVm.delete', vm: { groupId: g1!.id, vmId: b.id } }, 'CHG-B'));
    const r3 = await h.submit(itsm({ action: 'ecVm.delete', vm: { instanceId: c.vmInstanceId } }, 'CHG-C'));
    const results = await h.drain({ max: 60 });
    expect(results.every((x) => !(x instanceof Error))).toBe(true);
    for (const r of [r1, r2, r3]) {
      const rec = await h.store.get(r.requestId);
      expect(rec, JSON.stringify(rec)).toMatchObject({ state: 'SUCCEEDED', result: { verified: true } });
    }
    expect(ztwCalls('PUT', '/ecAdminActivateStatus/activate')).toHaveLength(1);
    expect(ztwCalls('DELETE', '/ecgroup/').map((e) => e.status)).toEqual([200, 200]);
    expect(ztwCalls('DELETE', '/ecVm/uuid/').map((e) => e.status)).toEqual([200]);
    expect(h.sim.state.getVm(g1!.id, a.id)).toBeUndefined();
    expect(h.sim.state.getVm(g1!.id, b.id)).toBeUndefined();
    expect(h.sim.state.findVmByInstanceId(c.vmInstanceId)).toBeUndefined();
    // The simulator enforces the per-endpoint limits: none was hit.
    expect(h.sim.callLog.filter((e) => e.status === 429)).toEqual([]);
    // One session at a time: every ZTW call ran inside a session that was closed before the next opened.
    const auth = h.sim.callLog
      .filter((e) => e.api === 'auth' && e.path === '/api/v1/auth')
      .map((e) => e.method);
    for (let i = 0; i < auth.length; i += 2) expect(auth.slice(i, i + 2)).toEqual(['POST', 'DELETE']);
  });

  it('a queued, then long-running activation never ends FAILED: the job defers and SUCCEEDS once the VM reads 404', async () => {
    fresh();
    const [g1] = [...h.sim.state.ecGroups.values()];
    const vm = h.sim.state.addEcVm(g1!.id);
    // Another admin's edit holds the activation queue for 2 minutes, then it runs for 40 s.
    h.sim.state.ztwActivation.queueHeldUntil = h.clock.now() + 120_000;
    h.sim.state.ztwActivation.durationMs = 40_000;
    try {
      const r = await h.submit(itsm({ action: 'ecVm.delete', vm: { groupId: g1!.id, vmId: vm.id } }));
      const results = await h.drain({ max: 60 });
      expect(results.every((x) => !(x instanceof Error))).toBe(true);
      const rec = await h.store.get(r.requestId);
      expect(rec, JSON.stringify(rec)).toMatchObject({ state: 'SUCCEEDED', result: { verified: true } });
      expect(h.sim.state.getVm(g1!.id, vm.id)).toBeUndefined();
      const trail = await h.trail(r.requestId);
      const reasons = trail.filter((e) => e.type === 'deferred').map((e) => String(e.detail?.reason));
      expect(reasons.some((x) => x.includes('ADM_ACTV_QUEUED'))).toBe(true);
      expect(reasons.some((x) => x.includes('ADM_ACTIVATING'))).toBe(true);
      expect(ztwCalls('PUT', '/activate')).toHaveLength(1);
      // While queued and running the VM still read 200; nothing was concluded from those reads.
      const statuses = ztwCalls('GET', '/ecAdminActivateStatus').map((e) => e.status);
      expect(statuses.length).toBeGreaterThan(2);
    } finally {
      h.sim.state.ztwActivation.queueHeldUntil = undefined;
      h.sim.state.ztwActivation.durationMs = 3_000;
    }
  });

  it('an activation that fails ends FAILED naming what landed: the DELETE was accepted, the VM is still there', async () => {
    fresh();
    const [, g2] = [...h.sim.state.ecGroups.values()];
    const vm = h.sim.state.addEcVm(g2!.id);
    // Logging out asks for an activation too (CAC_ACTV_SESSION_LOGOUT): both that one and the job's fail.
    h.sim.state.ztwActivation.failNext = 2;
    const r = await h.submit(itsm({ action: 'ecVm.delete', vm: { instanceId: vm.vmInstanceId } }));
    const results = await h.drain({ max: 20 });
    expect(results.every((x) => !(x instanceof Error))).toBe(true);
    const rec = await h.store.get(r.requestId);
    expect(rec?.state).toBe('FAILED');
    expect(rec?.error?.message).toMatch(
      /DELETE of VM i-\w+ accepted, activation failed \(Zscaler reported ADM_ACTV_FAIL\)/,
    );
    expect(rec?.result).toMatchObject({ deleteAccepted: true, activation: 'failed', verified: false });
    // What the result says is what Zscaler holds: the deletion is pending, the VM still there.
    expect(h.sim.state.findVmByInstanceId(vm.vmInstanceId)?.vm.pendingDeletion).toBe(true);
    h.sim.state.ztwActivation.failNext = 0;
    h.sim.state.activate('CAC_ACTV_UI'); // leave nothing pending for the next test
  });

  it('a VM already gone succeeds with no DELETE; a redelivered deferred job never deletes twice', async () => {
    fresh();
    const [, g2] = [...h.sim.state.ecGroups.values()];
    const vm = h.sim.state.addEcVm(g2!.id);
    const gone = await h.submit(itsm({ action: 'ecVm.delete', vm: { groupId: g2!.id, vmId: 99999999 } }));
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect((await h.store.get(gone.requestId))?.result).toMatchObject({ alreadyGone: true });

    const r = await h.submit(itsm({ action: 'ecVm.delete', vm: { groupId: g2!.id, vmId: vm.id } }));
    const first = await h.deliverNext();
    expect(first).toMatchObject({ kind: 'deferred' });
    // The delayed message is delivered twice (at-least-once): one run activates, the other skips.
    const delayed = h.takeNext();
    h.clock.advance(Math.max(0, delayed.dueAt - h.clock.now()));
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

  it('dry-run plans the DELETE, the activation, its status and the verification, and makes no write', async () => {
    fresh();
    const [g1] = [...h.sim.state.ecGroups.values()];
    const vm = h.sim.state.addEcVm(g1!.id);
    const r = await h.submit(
      itsm({ action: 'ecVm.delete', vm: { groupId: g1!.id, vmId: vm.id }, dryRun: true }),
    );
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(h.writes()).toEqual([]);
    const rec = await h.store.get(r.requestId);
    const planned = (rec?.result?.plannedCalls ?? []) as { method: string; path: string }[];
    expect(planned.map((c) => `${c.method} ${c.path}`)).toEqual([
      `DELETE /ecgroup/${g1!.id}/vm/${vm.id}`,
      'PUT /ecAdminActivateStatus/activate',
      'GET /ecAdminActivateStatus',
      `GET /ecgroup/${g1!.id}/vm/${vm.id}`,
    ]);
  });
});

describe('ecVm.delete with an older configuration (per-class ZTW budget `delete`)', () => {
  let old: Harness;
  beforeAll(async () => {
    old = await startHarness({
      simRateLimits: true,
      config: { rateLimits: { defaults: { ztw: { delete: [{ limit: 1, windowMs: 60_000 }] } } } },
    });
  });
  afterAll(async () => old?.stop());

  it('still loads, and its class figure spaces the DELETEs of each endpoint family', async () => {
    const [g1] = [...old.sim.state.ecGroups.values()];
    const [a, b] = g1!.vms;
    old.sim.reset();
    await old.submit(itsm({ action: 'ecVm.delete', vm: { groupId: g1!.id, vmId: a!.id } }, 'CHG-1'));
    await old.submit(itsm({ action: 'ecVm.delete', vm: { groupId: g1!.id, vmId: b!.id } }, 'CHG-2'));
    const results = await old.drain({ max: 40 });
    expect(results.every((x) => !(x instanceof Error))).toBe(true);
    const deletes = old.sim.callLog.filter((e) => e.method === 'DELETE' && e.path.includes('/vm/'));
    expect(deletes).toHaveLength(2);
    expect(deletes[1]!.at - deletes[0]!.at).toBeGreaterThanOrEqual(60_000);
  });
});
