import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, itsm, startHarness } from '../worker/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ auth: 'oneapi', config: { worker: { activationQuietSeconds: 0 } } });
});
afterAll(async () => h?.stop());

describe('jobs with OneAPI credentials (bearer tokens for ZPA and ZTW)', () => {
  it('deletes an App Connector and a VM (with activation and 404 verification), creates a group', async () => {
    const [groupId] = [...h.sim.state.appConnectorGroups.keys()] as [string];
    const c = h.sim.state.addConnector({
      groupId,
      name: 'oneapi-conn',
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
    });
    const [g] = [...h.sim.state.ecGroups.values()];
    const vm = g!.vms[0]!;
    h.sim.reset();
    const r1 = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }));
    const r2 = await h.submit(itsm({ action: 'ecVm.delete', vm: { groupId: g!.id, vmId: vm.id } }));
    const r3 = await h.submit(
      itsm({
        action: 'pccGroup.create',
        group: { name: 'oneapi-pcc', countryCode: 'FR', latitude: 48.85, longitude: 2.35, location: 'Paris' },
      }),
    );
    await h.drain();
    for (const r of [r1, r2, r3]) expect((await h.store.get(r.requestId))?.state).toBe('SUCCEEDED');
    expect(h.sim.state.connectors.has(c.id)).toBe(false);
    expect(h.sim.state.getVm(g!.id, vm.id)).toBeUndefined();
    expect(h.sim.callLog.some((e) => e.path === '/oauth2/v1/token')).toBe(true);
    expect(h.sim.callLog.some((e) => e.path === '/api/v1/auth')).toBe(false);
    expect(
      h.sim.callLog.filter(
        (e) => e.api === 'ztw' && e.path.startsWith('/ztw/api/v1/ecgroup/') && e.method === 'DELETE',
      ),
    ).toHaveLength(1);
  });
});
