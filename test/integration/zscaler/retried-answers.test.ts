import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeAll, createZpaClient, createZtwClient } from '../../../shared/zscaler/factory.ts';
import { type RunningSimulator, startSimulator } from '../../../simulator/index.ts';
import { manualClock, recordingHooks, simTenant, zpaCredentials, ztwCredentials } from './sim-setup.ts';

// The client against the simulator's retried-answer faults: retried inside the call, with a
// back-off of their own, never a new sign-in except for an invalidated session.
let sim: RunningSimulator;
const clock = manualClock();

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    seed: { connectors: 20, groups: 1, ecGroups: 1, vmsPerGroup: 3 },
    rateLimits: false,
    clock,
  });
});
beforeEach(async () => {
  await closeAll();
  sim.setFaults({});
  sim.reset();
});
afterAll(async () => {
  await closeAll();
  await sim.stop();
});

const zpa = (hooks = recordingHooks()) =>
  createZpaClient({
    tenant: simTenant(sim.url, 'legacy'),
    credentials: zpaCredentials(sim.url, 'legacy'),
    clock,
    hooks,
    retry: { maxAttempts: 4, maxTotalWaitMs: 60_000 },
  });
const ztw = () =>
  createZtwClient({
    tenant: simTenant(sim.url, 'legacy'),
    credentials: ztwCredentials(sim.url, 'legacy'),
    clock,
    retry: { maxAttempts: 4, maxTotalWaitMs: 60_000 },
  });

describe('retried answers through the client', () => {
  it('ZPA bulk delete (retried only where the server did not act): simultaneous request, then concurrent access, then 200', async () => {
    const ids = [...sim.state.connectors.values()]
      .filter((c) => !c.deception)
      .slice(0, 3)
      .map((c) => c.id);
    sim.setFaults({
      rules: [
        { simultaneousRequest: 1, maxCount: 1, paths: ['/connector/bulkDelete'] },
        { concurrentAccess: 1, maxCount: 1, paths: ['/connector/bulkDelete'] },
      ],
    });
    const hooks = recordingHooks();
    const started = clock.now();
    await zpa(hooks).appConnectors.bulkDelete(ids);
    for (const id of ids) expect(sim.state.connectors.has(id)).toBe(false);
    expect(
      hooks.afters
        .filter((r) => r.call.operation === 'appConnector.bulkDelete')
        .map((r) => [r.status, r.errorClass]),
    ).toEqual([
      [400, 'ConflictError'],
      [409, 'ConflictError'],
      [200, undefined],
    ]);
    // Busy back-off: at least 0.5 s, then at least 1 s.
    expect(clock.now() - started).toBeGreaterThanOrEqual(1_500);
  });

  it('ZTW VM deletion through an org barrier (412, 409) and an unmet precondition: deleted once', async () => {
    const group = [...sim.state.ecGroups.values()][0]!;
    const vm = group.vms[0]!;
    sim.setFaults({
      rules: [
        { orgBarrier: 1, maxCount: 2, apis: ['ztw'], methods: ['DELETE'] },
        { preconditionFailed: 1, maxCount: 1, apis: ['ztw'], methods: ['DELETE'] },
      ],
    });
    const client = ztw();
    await client.deleteVm(group.id, vm.id);
    const deletes = sim.callLog.filter((e) => e.api === 'ztw' && e.method === 'DELETE');
    expect(deletes.map((e) => e.status)).toEqual([412, 409, 409, 200]);
    expect(sim.state.getVm(group.id, vm.id)?.pendingDeletion).toBe(true);
    await client.close();
  });

  it('ZTW Resource Access Blocked backs off without signing in again; an invalidated session signs in once', async () => {
    const client = ztw();
    await client.activationStatus();
    sim.reset();
    sim.setFaults({
      rules: [
        { resourceAccessBlocked: 1, maxCount: 2, apis: ['ztw'] },
        { sessionInvalidated: 1, maxCount: 1, apis: ['ztw'] },
      ],
    });
    await client.activationStatus();
    const ztwCalls = sim.callLog.filter((e) => e.api === 'ztw').map((e) => e.fault ?? e.status);
    expect(ztwCalls).toEqual(['resourceAccessBlocked', 'resourceAccessBlocked', 'sessionInvalidated', 200]);
    const logins = sim.callLog.filter((e) => e.api === 'auth' && e.method === 'POST');
    expect(logins).toHaveLength(1);
    await client.close();
  });
});
