import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, createZpaClient } from '../../../shared/zscaler/factory.ts';
import type { ZpaClient } from '../../../shared/zscaler/zpa/client.ts';
import { type RunningSimulator, startSimulator } from '../../../simulator/index.ts';
import { collect, simTenant, zpaCredentials } from './sim-setup.ts';

let sim: RunningSimulator;
let zpa: ZpaClient;

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    seed: { connectors: 1200, groups: 6, disconnectedRatio: 0.25 },
    rateLimits: false,
  });
  zpa = createZpaClient({
    tenant: simTenant(sim.url, 'oneapi'),
    credentials: zpaCredentials(sim.url, 'oneapi'),
  });
});
afterAll(async () => {
  await closeAll();
  await sim.stop();
});

const listCalls = () => sim.callLog.filter((e) => e.api === 'zpa' && e.path.endsWith('/connector'));

describe('ZPA paging over a generated tenant of 1,200 connectors', () => {
  it('iterates every connector with pages of 500 (3 pages, nothing lost or repeated)', async () => {
    sim.reset();
    const all = await collect(zpa.appConnectors.list());
    expect(all).toHaveLength(1200);
    expect(new Set(all.map((c) => c.id)).size).toBe(1200);
    expect(listCalls().map((e) => e.query)).toEqual([
      'page=1&pagesize=500',
      'page=2&pagesize=500',
      'page=3&pagesize=500',
    ]);
  });

  it('page-level iterator: string totalPages become numbers; 12 pages of 100', async () => {
    sim.reset();
    const pages = await collect(zpa.appConnectors.listPages({ pageSize: 100 }));
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(pages.every((p) => p.totalPages === 12 && p.list.length === 100)).toBe(true);
  });

  it('a search spanning several pages returns every match', async () => {
    sim.reset();
    const expected = [...sim.state.connectors.values()].filter(
      (c) => c.controlChannelStatus === 'ZPN_STATUS_DISCONNECTED',
    );
    expect(expected.length).toBeGreaterThan(100);
    const found = await collect(
      zpa.appConnectors.search(
        [{ field: 'controlChannelStatus', op: 'EQ', value: 'ZPN_STATUS_DISCONNECTED' }],
        {
          pageSize: 50,
        },
      ),
    );
    expect(new Set(found.map((c) => c.id))).toEqual(new Set(expected.map((c) => c.id)));
    expect(listCalls().length).toBe(Math.ceil(expected.length / 50));
    expect(
      listCalls().every((e) =>
        e.query.includes('search=controlChannelStatus%20EQ%20ZPN_STATUS_DISCONNECTED'),
      ),
    ).toBe(true);
  });

  it('groups page too, and an empty result ends after one page', async () => {
    const groups = await collect(zpa.appConnectorGroups.list({ pageSize: 4 }));
    expect(groups).toHaveLength(sim.state.appConnectorGroups.size);
    sim.reset();
    const none = await collect(
      zpa.appConnectors.search([{ field: 'name', op: 'EQ', value: 'no-such-connector' }]),
    );
    expect(none).toEqual([]);
    expect(listCalls()).toHaveLength(1);
  });
});
