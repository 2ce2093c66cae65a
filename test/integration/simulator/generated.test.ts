import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../simulator/index.ts';
import { startSimulator } from '../../../simulator/index.ts';
import { type Client, client, ZPA_BASE, zpaLogin, ztwLogin } from './helpers.ts';

describe('a generated 50,000-connector tenant', () => {
  let sim: RunningSimulator;
  let c: Client;
  let auth: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulator({
      rateLimits: false,
      seed: { connectors: 50_000, groups: 2_000, ecGroups: 12, vmsPerGroup: 3, seed: 7 },
    });
    c = client(sim);
    auth = await zpaLogin(c);
  });
  afterAll(async () => {
    await c.close();
    await sim.stop();
  });

  it('pages through every connector at pagesize 500', async () => {
    const ids = new Set<string>();
    let page = 1;
    let totalPages = 1;
    do {
      const r = await c.call('GET', `${ZPA_BASE}/connector?page=${page}&pagesize=500`, { headers: auth });
      totalPages = Number(r.json.totalPages);
      for (const x of r.json.list ?? []) ids.add(x.id);
      page += 1;
    } while (page <= totalPages);
    expect(totalPages).toBe(100);
    expect(ids.size).toBe(50_000);
  });

  it('lists 2,000 groups in 4 pages, each embedding its 25 connectors', async () => {
    const r = await c.call('GET', `${ZPA_BASE}/appConnectorGroup?page=4&pagesize=500`, { headers: auth });
    expect(r.json.totalPages).toBe('4');
    expect(r.json.list).toHaveLength(500);
    expect(r.json.list[0].connectors).toHaveLength(25);
  });

  it('searches disconnected connectors by duration, consistent with the state', async () => {
    const q = encodeURIComponent(
      'controlChannelStatus EQ ZPN_STATUS_DISCONNECTED AND lastBrokerDisconnectTimeDuration GT 15d',
    );
    const r = await c.call('GET', `${ZPA_BASE}/connector?search=${q}&pagesize=1`, { headers: auth });
    const now = sim.state.nowSeconds();
    const expected = sim.state.findConnectors(
      (x) =>
        x.controlChannelStatus === 'ZPN_STATUS_DISCONNECTED' &&
        x.lastBrokerDisconnectTime !== undefined &&
        now - x.lastBrokerDisconnectTime > 15 * 86_400,
    ).length;
    expect(expected).toBeGreaterThan(1000);
    expect(r.json.totalCount).toBe(String(expected));
  });

  it('generates ecgroups with VMs', async () => {
    const cookie = await ztwLogin(c, Date.now());
    const r = await c.call('GET', '/api/v1/ecgroup?pageSize=5', { headers: cookie });
    expect(r.json).toHaveLength(5);
    expect(r.json[0].ecVMs).toHaveLength(3);
    // Listings carry no instance id; the VM is found by it through /ecVm/uuid.
    expect(r.json[0].ecVMs[0].vmInstanceId).toBeUndefined();
    const instanceId = sim.state.getVm(r.json[0].id, r.json[0].ecVMs[0].id)?.vmInstanceId;
    expect(instanceId).toMatch(/^i-0[0-9a-f]+$/);
    const byUuid = await c.call('GET', `/api/v1/ecVm/uuid/${instanceId}`, { headers: cookie });
    expect(byUuid.json.id).toBe(r.json[0].ecVMs[0].id);
  });
});
