import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../simulator/index.ts';
import { startSimulator } from '../../../simulator/index.ts';
import { type Client, client, ONEAPI_ZPA_BASE, oneApiLogin, ZPA_BASE, zpaLogin } from './helpers.ts';

const valid = {
  name: 'New group',
  latitude: '37.3382082',
  longitude: '-121.8863286',
  location: 'San Jose, CA, USA',
};

describe('ZPA groups, PCC groups, Cloud Connector groups and version profiles', () => {
  let sim: RunningSimulator;
  let c: Client;
  let auth: Record<string, string>;
  const call = (m: 'GET' | 'POST' | 'PUT' | 'DELETE', p: string, json?: unknown) =>
    c.call(m, `${ZPA_BASE}${p}`, { headers: auth, json });

  beforeAll(async () => {
    sim = await startSimulator({ rateLimits: false });
    c = client(sim);
    auth = await zpaLogin(c);
  });
  afterAll(async () => {
    await c.close();
    await sim.stop();
  });

  describe('App Connector groups', () => {
    it('lists groups embedding their connectors, omitting connectors when empty', async () => {
      const r = await call('GET', '/appConnectorGroup?pagesize=500');
      expect(r.json.totalPages).toBe('1');
      const aws = r.json.list.find((g: { name: string }) => g.name === 'AWS Assistants');
      expect(aws.connectors[0]).toMatchObject({
        name: '*Do not Delete* Lanukcorp AWS Connectors-4',
        assistantVersion: {
          ctrlChannelStatus: 'ZPN_STATUS_AUTHENTICATED',
          lastBrokerConnectTime: '1649062642000000',
        },
      });
      expect(aws).toMatchObject({ versionProfileName: 'Internal - ET Ops QA ', upgradeTimeInSecs: '28800' });
      const azure = r.json.list.find((g: { name: string }) => g.name === 'Azure');
      expect(azure.connectors).toBeUndefined();
    });

    it('creates with 201 and documented defaults, then gets, searches, updates and deletes', async () => {
      const created = await call('POST', '/appConnectorGroup', valid);
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({
        name: 'New group',
        enabled: true,
        upgradeDay: 'SUNDAY',
        upgradeTimeInSecs: '66600',
        dnsQueryType: 'IPV4_IPV6',
        versionProfileId: '0',
        overrideVersionProfile: false,
      });
      // As the docs' example answer: no id, no times; the group is found by name.
      expect(created.json.id).toBeUndefined();
      expect(created.json.creationTime).toBeUndefined();
      const search = await call(
        'GET',
        `/appConnectorGroup?search=${encodeURIComponent('name EQ New group')}`,
      );
      expect(search.json).toMatchObject({ totalPages: '1', totalCount: '1' });
      expect(search.json.list[0].microtenantName).toBe('Default');
      const id = search.json.list[0].id as string;
      expect(id).toMatch(/^\d+$/);
      expect((await call('GET', `/appConnectorGroup/${id}`)).json.name).toBe('New group');

      const put = await call('PUT', `/appConnectorGroup/${id}`, {
        ...valid,
        upgradeDay: 'MONDAY',
        upgradeTimeInSecs: 900,
      });
      expect(put.status).toBe(204);
      expect(sim.state.appConnectorGroups.get(id)).toMatchObject({
        upgradeDay: 'MONDAY',
        upgradeTimeInSecs: '900',
      });

      sim.state.addConnector({ groupId: id });
      const busy = await call('DELETE', `/appConnectorGroup/${id}`);
      expect(busy.status).toBe(400);
      expect(busy.json.id).toBe('connector.group.not.empty');
      for (const conn of sim.state.connectorsInGroup(id)) sim.state.removeConnector(conn.id);
      expect((await call('DELETE', `/appConnectorGroup/${id}`)).status).toBe(204);
      expect((await call('GET', `/appConnectorGroup/${id}`)).status).toBe(404);
      expect((await call('PUT', `/appConnectorGroup/${id}`, valid)).status).toBe(404);
      expect((await call('DELETE', `/appConnectorGroup/${id}`)).status).toBe(404);
    });

    it('rejects a duplicate name (case-insensitive) with 400 duplicate.name', async () => {
      const r = await call('POST', '/appConnectorGroup', { ...valid, name: 'aws' });
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ id: 'duplicate.name', params: ['aws', '72057615512764441'] });
    });

    it.each([
      [{ latitude: '91' }, 'invalid.latitude'],
      [{ longitude: '-180.5' }, 'invalid.longitude'],
      [{ latitude: 'north' }, 'invalid.latitude'],
      [{ upgradeTimeInSecs: '86400' }, 'invalid.upgrade.time'],
      [{ upgradeTimeInSecs: '1000' }, 'invalid.upgrade.time'],
      [{ upgradeDay: 'FUNDAY' }, 'invalid.upgrade.day'],
      [{ tcpQuickAckApp: true }, 'invalid.tcp.quick.ack'],
      [{ overrideVersionProfile: true }, 'version.profile.required'],
      [{ overrideVersionProfile: true, versionProfileId: '999' }, 'invalid.version.profile'],
      [{ name: '' }, 'required.field.missing'],
      [{ location: undefined }, 'required.field.missing'],
      [{ dnsQueryType: 'IPV5' }, 'invalid.dns.query.type'],
    ])('validates %j → %s', async (patch, id) => {
      const r = await call('POST', '/appConnectorGroup', {
        ...valid,
        name: `v-${id}-${Math.random()}`,
        ...patch,
      });
      expect(r.status).toBe(400);
      expect(r.json.id).toBe(id);
      expect(typeof r.json.reason).toBe('string');
      expect(Array.isArray(r.json.params)).toBe(true);
    });

    it('accepts tcpQuickAck flags all true and an override with a known profile', async () => {
      const r = await call('POST', '/appConnectorGroup', {
        ...valid,
        name: 'quick',
        tcpQuickAckApp: true,
        tcpQuickAckAssistant: true,
        tcpQuickAckReadAssistant: true,
        overrideVersionProfile: true,
        versionProfileId: '2',
      });
      expect(r.status).toBe(201);
      expect(r.json).toMatchObject({ overrideVersionProfile: true, versionProfileId: '2' });
      const found = await call('GET', `/appConnectorGroup?search=${encodeURIComponent('name EQ quick')}`);
      expect(found.json.list[0]).toMatchObject({ versionProfileName: 'New Release', tcpQuickAckApp: true });
    });

    it('refuses to change Deception groups', async () => {
      const g = sim.state.addAppConnectorGroup({ name: 'decoy', deception: true });
      const r = await call('PUT', `/appConnectorGroup/${g.id}`, { ...valid, name: 'decoy' });
      expect(r.json.id).toBe('deception.connector.group.not.editable');
      expect((await call('DELETE', `/appConnectorGroup/${g.id}`)).status).toBe(400);
    });
  });

  describe('Cloud Connector groups', () => {
    it('lists (paged) and gets by id, 404 for unknown', async () => {
      const all = await call('GET', '/cloudConnectorGroup');
      expect(all.json.list).toHaveLength(9);
      const p = await call('GET', '/cloudConnectorGroup?page=1&pagesize=2');
      expect(p.json.totalPages).toBe('5');
      const one = await call('GET', '/cloudConnectorGroup/217246660303023507');
      expect(one.json).toMatchObject({ name: 'TestZNF', creationTime: '1569858419' });
      expect(one.json.cloudConnectors).toHaveLength(6);
      expect((await call('GET', '/cloudConnectorGroup/1')).status).toBe(404);
    });
  });

  describe('Private Cloud Controller groups', () => {
    const pcc = {
      ...valid,
      name: 'pcc-new',
      countryCode: 'in',
      latitude: 17.406498,
      longitude: 78.47724389999999,
    };

    it('lists with totalCount and scopeName, filters by microtenant, summarises', async () => {
      const list = await call('GET', '/privateCloudControllerGroup?page=1&pagesize=2');
      expect(list.json).toMatchObject({ totalPages: '2', totalCount: '3' });
      const mt = await call('GET', '/privateCloudControllerGroup?microtenantId=289397352052032197');
      expect(mt.json.list).toHaveLength(1);
      expect(mt.json.list[0]).toMatchObject({
        scopeId: '289397352052032197',
        scopeName: 'firedrill_scope-1',
      });
      const summary = await call('GET', '/privateCloudControllerGroup/summary');
      expect(summary.json.list[0]).toEqual({ id: '289397352052032393', name: 'Test_AK', enabled: true });
      expect(summary.json.totalCount).toBe('3');
    });

    it('creates in a microtenant with 201 and MONDAY default; countryCode required', async () => {
      const r = await call('POST', '/privateCloudControllerGroup?microtenantId=0', pcc);
      expect(r.status).toBe(201);
      expect(r.json).toMatchObject({
        name: 'pcc-new',
        countryCode: 'IN',
        upgradeDay: 'MONDAY',
        latitude: '17.406498',
        isPublic: 'FALSE',
        microtenantName: 'Default',
      });
      const id = r.json.id as string;
      expect((await call('GET', `/privateCloudControllerGroup/${id}`)).json.name).toBe('pcc-new');
      const missing = await call('POST', '/privateCloudControllerGroup', {
        ...pcc,
        name: 'x',
        countryCode: undefined,
      });
      expect(missing.json).toMatchObject({ id: 'required.field.missing', params: ['countryCode'] });
      const bad = await call('POST', '/privateCloudControllerGroup', {
        ...pcc,
        name: 'y',
        countryCode: 'IND',
      });
      expect(bad.json.id).toBe('invalid.country.code');
      expect((await call('POST', '/privateCloudControllerGroup', pcc)).json.id).toBe('duplicate.name');

      expect(
        (
          await call('PUT', `/privateCloudControllerGroup/${id}?microtenantId=0`, {
            ...pcc,
            description: 'd',
          })
        ).status,
      ).toBe(204);
      expect(sim.state.pccGroups.get(id)?.description).toBe('d');
      expect((await call('DELETE', `/privateCloudControllerGroup/${id}`)).status).toBe(204);
      const gone = await call('GET', `/privateCloudControllerGroup/${id}`);
      expect(gone.status).toBe(400);
      expect(gone.json.id).toBe('resource.not.found');
      expect((await call('DELETE', `/privateCloudControllerGroup/${id}`)).status).toBe(404);
      expect((await call('PUT', `/privateCloudControllerGroup/${id}`, pcc)).status).toBe(404);
    });

    it('refuses to delete a group that still has controllers', async () => {
      const r = await call('DELETE', '/privateCloudControllerGroup/289397352052032169');
      expect(r.status).toBe(400);
      expect(r.json.id).toBe('site.controller.group.not.empty');
    });
  });

  describe('version profiles', () => {
    it('pages visible profiles and finds one by name over OneAPI', async () => {
      const oneapi = await oneApiLogin(c);
      const r = await c.call('GET', `${ONEAPI_ZPA_BASE}/visible/versionProfiles?page=1&pagesize=2`, {
        headers: oneapi,
      });
      expect(r.json.totalPages).toBe('3');
      expect(r.json.list[0]).toMatchObject({ id: '0', name: 'Default', visibilityScope: 'ALL' });
      expect(Array.isArray(r.json.list[0].versions)).toBe(true);
      const byName = await call(
        'GET',
        `/visible/versionProfiles?search=${encodeURIComponent('name EQ New Release')}`,
      );
      expect(byName.json.list.map((p: { id: string }) => p.id)).toEqual(['2']);
    });
  });

  it('answers 404/405 for unknown routes and methods', async () => {
    expect((await call('GET', '/nothing')).status).toBe(404);
    expect((await call('PATCH' as 'GET', '/connector')).status).toBe(405);
    expect((await c.call('GET', '/elsewhere')).status).toBe(404);
  });
});
