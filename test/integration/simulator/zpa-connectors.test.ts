import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../simulator/index.ts';
import { startSimulator } from '../../../simulator/index.ts';
import { manualClock } from '../../fixtures/manual-clock.ts';
import { type Client, client, ZPA_BASE, zpaLogin } from './helpers.ts';

const DAY = 86_400_000;
const DO_NOT_DELETE = '144118148382065437';
const AZURE_1 = '144118148382064836';
const KEY_1 = '217246660303024865';

describe('ZPA App Connectors (docs seed)', () => {
  const clock = manualClock(Date.UTC(2025, 5, 1));
  let sim: RunningSimulator;
  let c: Client;
  let auth: Record<string, string>;
  const get = (p: string) => c.call('GET', `${ZPA_BASE}${p}`, { headers: auth });

  beforeAll(async () => {
    sim = await startSimulator({ clock, rateLimits: false });
    c = client(sim);
    auth = await zpaLogin(c);
  });
  afterAll(async () => {
    await c.close();
    await sim.stop();
  });

  it('lists with string totals, no totalCount, durations from the clock', async () => {
    const r = await get('/connector');
    expect(r.status).toBe(200);
    expect(r.json.totalPages).toBe('1');
    expect(r.json.totalCount).toBeUndefined();
    expect(r.json.list).toHaveLength(8);
    const azure = r.json.list.find((x: { id: string }) => x.id === AZURE_1);
    expect(azure).toMatchObject({
      name: 'Azure Connector-1',
      controlChannelStatus: 'ZPN_STATUS_AUTHENTICATED',
      lastBrokerConnectTime: '1649128946',
      privateIp: '10.0.0.4',
      appConnectorGroupId: '144118148382064835',
      appConnectorGroupName: 'Azure Connectors',
      modifiedTime: '1621702841',
    });
    const secs = Math.floor(clock.now() / 1000) - 1649128946;
    const d = Math.floor(secs / 86400);
    expect(azure.lastBrokerConnectTimeDuration).toMatch(new RegExp(`^${d}d \\d{2}h \\d{2}m \\d{2}s$`));
  });

  it('pages with page/pagesize, omits list past the end and clamps pagesize to 500', async () => {
    const p1 = await get('/connector?page=1&pagesize=3');
    expect(p1.json.totalPages).toBe('3');
    expect(p1.json.list).toHaveLength(3);
    const p3 = await get('/connector?page=3&pagesize=3');
    expect(p3.json.list).toHaveLength(2);
    const p4 = await get('/connector?page=4&pagesize=3');
    expect(p4.json).toEqual({ totalPages: '3' });
    const big = await get('/connector?pagesize=5000');
    expect(big.json.list).toHaveLength(8);
    const bad = await get('/connector?page=0');
    expect(bad.status).toBe(400);
    expect(bad.json.id).toBe('invalid.page.number');
  });

  it('gets one connector and answers 400 resource.not.found for an unknown id', async () => {
    expect((await get(`/connector/${KEY_1}`)).json.name).toBe('example_provising_key-1');
    const r = await get('/connector/999');
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ id: 'resource.not.found' });
    expect((await get('/connector/abc')).json.id).toBe('invalid.id');
  });

  describe('search', () => {
    it('parses %20-encoded terms joined by AND, with totalCount and microtenantName', async () => {
      const q = encodeURIComponent(
        'controlChannelStatus EQ ZPN_STATUS_DISCONNECTED AND lastBrokerDisconnectTimeDuration GT 15d',
      );
      expect(q).toContain('%20');
      const r = await get(`/connector?search=${q}`);
      expect(r.json.totalCount).toBe('2');
      expect(r.json.list.map((x: { id: string }) => x.id).sort()).toEqual([
        '217246660303024865',
        '217246660303025075',
      ]);
      expect(r.json.list[0].microtenantName).toBe('Default');
    });

    it('rejects a +-encoded search instead of reading + as a space', async () => {
      const r = await get('/connector?search=enabled+EQ+true');
      expect(r.status).toBe(400);
      expect(r.json.id).toBe('invalid.search.criteria');
    });

    it('supports LIKE, EQ on booleans, version comparisons and duration combos', async () => {
      expect(
        (await get(`/connector?search=${encodeURIComponent('name LIKE do not delete')}`)).json.list[0].id,
      ).toBe(DO_NOT_DELETE);
      expect((await get(`/connector?search=${encodeURIComponent('enabled EQ true')}`)).json.totalCount).toBe(
        '8',
      );
      const v = await get(`/connector?search=${encodeURIComponent('currentVersion LT 22.0.0')}`);
      expect(v.json.list.map((x: { name: string }) => x.name).sort()).toEqual([
        'example_provising_key-1',
        'example_provising_key-4',
      ]);
      const recent = await get(
        `/connector?search=${encodeURIComponent('lastBrokerConnectTimeDuration LT 1d 12h')}`,
      );
      expect(recent.json).toEqual({ totalPages: '0', totalCount: '0' });
      expect((await get(`/connector?search=${encodeURIComponent('bogus EQ 1')}`)).status).toBe(400);
      expect(
        (await get(`/connector?search=${encodeURIComponent('lastBrokerConnectTimeDuration GT 5x')}`)).status,
      ).toBe(400);
    });

    it('sees a connector that a test takes down, once it has been down long enough', async () => {
      const c1 = sim.state.addConnector({ groupId: '72057615512764441', privateIp: '10.9.9.9' });
      sim.state.setConnectorStatus(c1.id, 'DISCONNECTED', clock.now() - 20 * DAY);
      const q = encodeURIComponent(
        'controlChannelStatus EQ ZPN_STATUS_DISCONNECTED AND lastBrokerDisconnectTimeDuration GT 15d',
      );
      const r = await get(`/connector?search=${q}`);
      expect(r.json.list.map((x: { id: string }) => x.id)).toContain(c1.id);
      const one = (await get(`/connector/${c1.id}`)).json;
      expect(one.lastBrokerDisconnectTimeDuration).toBe('20d 00h 00m 00s');
      sim.state.removeConnector(c1.id);
    });
  });

  describe('writes', () => {
    beforeEach(async () => {
      await sim.stop().catch(() => undefined);
      await c.close();
      sim = await startSimulator({ clock, rateLimits: false });
      c = client(sim);
      auth = await zpaLogin(c);
    });

    it('updates with PUT 204 and answers 404 for an unknown id', async () => {
      const r = await c.call('PUT', `${ZPA_BASE}/connector/${KEY_1}`, {
        headers: auth,
        json: { name: 'renamed', description: 'd', enabled: false },
      });
      expect(r.status).toBe(204);
      expect(r.text).toBe('');
      expect(sim.state.connectors.get(KEY_1)).toMatchObject({
        name: 'renamed',
        enabled: false,
        description: 'd',
      });
      const missing = await c.call('PUT', `${ZPA_BASE}/connector/42`, { headers: auth, json: { name: 'x' } });
      expect(missing.status).toBe(404);
      expect(missing.json.id).toBe('resource.not.found');
      const empty = await c.call('PUT', `${ZPA_BASE}/connector/${KEY_1}`, {
        headers: auth,
        json: { name: ' ' },
      });
      expect(empty.status).toBe(400);
    });

    it('deletes with 204, then answers 400 resource.not.found', async () => {
      expect((await c.call('DELETE', `${ZPA_BASE}/connector/${KEY_1}`, { headers: auth })).status).toBe(204);
      expect(sim.state.connectors.has(KEY_1)).toBe(false);
      const again = await c.call('DELETE', `${ZPA_BASE}/connector/${KEY_1}`, { headers: auth });
      expect(again.status).toBe(400);
      expect(again.json.id).toBe('resource.not.found');
    });

    it('refuses to update or delete Deception connectors', async () => {
      const rec = sim.state.connectors.get(AZURE_1);
      if (!rec) throw new Error('seed');
      rec.deception = true;
      const put = await c.call('PUT', `${ZPA_BASE}/connector/${AZURE_1}`, {
        headers: auth,
        json: { name: 'x' },
      });
      expect(put.status).toBe(400);
      expect(put.json.id).toBe('deception.connector.not.editable');
      expect((await c.call('DELETE', `${ZPA_BASE}/connector/${AZURE_1}`, { headers: auth })).status).toBe(
        400,
      );
      const bulk = await c.call('POST', `${ZPA_BASE}/connector/bulkDelete`, {
        headers: auth,
        json: { ids: [KEY_1, AZURE_1] },
      });
      expect(bulk.status).toBe(400);
      expect(sim.state.connectors.has(KEY_1)).toBe(true);
    });

    it('bulk deletes with 200, ignoring unknown ids, and validates the body', async () => {
      const r = await c.call('POST', `${ZPA_BASE}/connector/bulkDelete`, {
        headers: auth,
        json: { ids: [KEY_1, AZURE_1, '123456'] },
      });
      expect(r.status).toBe(200);
      expect(sim.state.connectors.has(KEY_1)).toBe(false);
      expect(sim.state.connectors.has(AZURE_1)).toBe(false);
      expect(sim.state.connectors.size).toBe(6);
      const empty = await c.call('POST', `${ZPA_BASE}/connector/bulkDelete`, {
        headers: auth,
        json: { ids: [] },
      });
      expect(empty.status).toBe(400);
      const junk = await c.call('POST', `${ZPA_BASE}/connector/bulkDelete`, {
        headers: { ...auth, 'content-type': 'application/json' },
        body: '{"ids":',
      });
      expect(junk.status).toBe(400);
      expect(junk.json.id).toBe('invalid.request.body');
    });

    it('filters by microtenantId and hides other microtenants on get', async () => {
      const created = await c.call('POST', `${ZPA_BASE}/appConnectorGroup?microtenantId=289397352052032197`, {
        headers: auth,
        json: { name: 'mt group', latitude: '1', longitude: '2', location: 'Somewhere' },
      });
      expect(created.status).toBe(201);
      // The create answer carries no id (the docs' example); the group is found by name.
      expect(created.json.id).toBeUndefined();
      const search = await get(`/appConnectorGroup?search=${encodeURIComponent('name EQ mt group')}`);
      expect(search.json.list[0]).toMatchObject({
        microtenantId: '289397352052032197',
        microtenantName: 'firedrill_scope-1',
      });
      const [conn] = sim.state.addConnectors(search.json.list[0].id, 1);
      const mt = await get('/connector?microtenantId=289397352052032197');
      expect(mt.json.list.map((x: { id: string }) => x.id)).toEqual([conn?.id]);
      expect((await get('/connector?microtenantId=0')).json.list).toHaveLength(8);
      expect((await get('/connector')).json.list).toHaveLength(9);
      expect((await get(`/connector/${conn?.id}?microtenantId=0`)).status).toBe(400);
      expect((await get('/connector?microtenantId=77')).json.id).toBe('invalid.microtenant.id');
    });
  });
});
