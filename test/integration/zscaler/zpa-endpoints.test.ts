import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../../shared/zscaler/errors.ts';
import { closeAll, createZpaClient } from '../../../shared/zscaler/factory.ts';
import type { ZpaClient } from '../../../shared/zscaler/zpa/client.ts';
import { type RunningSimulator, startSimulator } from '../../../simulator/index.ts';
import { collect, recordingHooks, simTenant, zpaCredentials } from './sim-setup.ts';

// Every ZPA endpoint of the docs, over real loopback HTTP, legacy sign-in, docs seed.
let sim: RunningSimulator;
let zpa: ZpaClient;
const hooks = recordingHooks();

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 'docs', rateLimits: false });
  zpa = createZpaClient({
    tenant: simTenant(sim.url, 'legacy'),
    credentials: zpaCredentials(sim.url, 'legacy'),
    hooks,
  });
});
afterAll(async () => {
  await closeAll();
  await sim.stop();
});

describe('App Connectors', () => {
  it('list, get, search (encoded with %20), update, delete, bulkDelete', async () => {
    const all = await collect(zpa.appConnectors.list());
    expect(all.length).toBe(sim.state.connectors.size);
    const first = all[0]!;
    expect(await zpa.appConnectors.get(first.id)).toMatchObject({ id: first.id, name: first.name });

    const [disconnected] = [...sim.state.connectors.values()];
    sim.state.setConnectorStatus(disconnected!.id, 'DISCONNECTED', Date.now() - 20 * 86_400_000);
    sim.reset();
    const found = await collect(
      zpa.appConnectors.search([
        { field: 'controlChannelStatus', op: 'EQ', value: 'ZPN_STATUS_DISCONNECTED' },
        { field: 'lastBrokerDisconnectTimeDuration', op: 'GT', value: '15d' },
      ]),
    );
    expect(found.map((c) => c.id)).toContain(disconnected!.id);
    expect(found.every((c) => c.controlChannelStatus === 'ZPN_STATUS_DISCONNECTED')).toBe(true);
    const searchCall = sim.callLog.find((e) => e.method === 'GET' && e.query.includes('search='));
    expect(searchCall?.query).toContain(
      'search=controlChannelStatus%20EQ%20ZPN_STATUS_DISCONNECTED%20AND%20lastBrokerDisconnectTimeDuration%20GT%2015d',
    );
    expect(searchCall?.query).not.toContain('+');

    await zpa.appConnectors.update(first.id, { description: 'updated by zcops', enabled: false });
    expect(await zpa.appConnectors.get(first.id)).toMatchObject({
      description: 'updated by zcops',
      enabled: false,
    });

    await zpa.appConnectors.delete(first.id);
    expect(sim.state.connectors.has(first.id)).toBe(false);
    // Already gone: the typed NotFoundError (the simulator answers 400 resource.not.found here).
    await expect(zpa.appConnectors.delete(first.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(zpa.appConnectors.get(first.id)).rejects.toBeInstanceOf(NotFoundError);

    const rest = [...sim.state.connectors.values()].filter((c) => !c.deception).slice(0, 2);
    await zpa.appConnectors.bulkDelete(rest.map((c) => c.id));
    for (const c of rest) expect(sim.state.connectors.has(c.id)).toBe(false);
  });
});

describe('App Connector groups', () => {
  it('create (201, enabled sent), list, search, get, update, delete', async () => {
    sim.reset();
    const created = await zpa.appConnectorGroups.create({
      name: 'zcops it group',
      latitude: 37.3382082,
      longitude: '-121.8863286',
      location: 'San Jose, CA, USA',
    });
    expect(created.id).toMatch(/^\d+$/);
    const id = created.id!;
    expect(sim.state.appConnectorGroups.get(id)).toMatchObject({ name: 'zcops it group', enabled: true });

    const groups = await collect(zpa.appConnectorGroups.list());
    expect(groups.map((g) => g.id)).toContain(id);
    const byName = await collect(
      zpa.appConnectorGroups.search([{ field: 'name', op: 'EQ', value: 'zcops it group' }]),
    );
    expect(byName.map((g) => g.id)).toEqual([id]);
    const got = await zpa.appConnectorGroups.get(id);
    expect(got).toMatchObject({ name: 'zcops it group', upgradeDay: 'SUNDAY', upgradeTimeInSecs: '66600' });

    await zpa.appConnectorGroups.update(id, {
      name: 'zcops it group',
      latitude: got.latitude!,
      longitude: got.longitude!,
      location: 'San Jose, CA, USA',
      upgradeDay: 'TUESDAY',
    });
    expect((await zpa.appConnectorGroups.get(id)).upgradeDay).toBe('TUESDAY');
    await zpa.appConnectorGroups.delete(id);
    await expect(zpa.appConnectorGroups.get(id)).rejects.toBeInstanceOf(NotFoundError);

    const post = sim.callLog.filter((e) => e.method === 'POST' && e.path.endsWith('/appConnectorGroup'));
    expect(post.map((e) => e.status)).toEqual([201]);
  });

  it('a body the field table forbids never reaches the server', async () => {
    sim.reset();
    await expect(
      zpa.appConnectorGroups.create({
        name: 'bad',
        latitude: 10,
        longitude: 10,
        location: 'x',
        upgradeTimeInSecs: 100,
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(sim.callLog.filter((e) => e.method === 'POST' && e.api === 'zpa')).toEqual([]);
  });
});

describe('Cloud Connector groups, PCC groups, version profiles', () => {
  it('Cloud Connector groups: list and get', async () => {
    const groups = await collect(zpa.cloudConnectorGroups.list());
    expect(groups.length).toBe(sim.state.cloudConnectorGroups.size);
    expect(groups.length).toBeGreaterThan(0);
    expect((await zpa.cloudConnectorGroups.get(groups[0]!.id)).name).toBe(groups[0]!.name);
  });

  it('PCC groups: create with microtenantId, list, summary, get, update, delete', async () => {
    sim.reset();
    const created = await zpa.pccGroups.create(
      {
        name: 'zcops pcc',
        countryCode: 'in',
        latitude: '17.406498',
        longitude: 78.47724389999999,
        location: 'Hyderabad',
      },
      { microtenantId: '0' },
    );
    expect(created).toMatchObject({ name: 'zcops pcc', countryCode: 'IN', upgradeDay: 'MONDAY' });
    const createCall = sim.callLog.find(
      (e) => e.method === 'POST' && e.path.endsWith('/privateCloudControllerGroup'),
    );
    expect(createCall?.query).toBe('microtenantId=0');

    expect((await collect(zpa.pccGroups.list())).map((g) => g.id)).toContain(created.id);
    const summary = await collect(zpa.pccGroups.summary());
    expect(summary.find((s) => s.id === created.id)).toMatchObject({ name: 'zcops pcc' });
    expect(await zpa.pccGroups.get(created.id, { microtenantId: '0' })).toMatchObject({ id: created.id });
    await zpa.pccGroups.update(created.id, {
      name: 'zcops pcc',
      countryCode: 'IN',
      latitude: 17.4,
      longitude: 78.4,
      location: 'Hyderabad, Telangana, India',
    });
    expect((await zpa.pccGroups.get(created.id)).location).toBe('Hyderabad, Telangana, India');
    await zpa.pccGroups.delete(created.id);
    await expect(zpa.pccGroups.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('version profiles: paged list and find by name', async () => {
    const profiles = await collect(zpa.versionProfiles.list({ pageSize: 1 }));
    expect(profiles.length).toBe(sim.state.versionProfiles.size);
    const name = profiles[0]!.name;
    expect((await zpa.versionProfiles.findByName(name.toUpperCase()))?.id).toBe(profiles[0]!.id);
    expect(await zpa.versionProfiles.findByName('no such profile')).toBeUndefined();
  });

  it('hooks saw read/write/none classes and never a secret', () => {
    const classes = new Set(hooks.befores.map((c) => `${c.method}:${c.rateClass}`));
    expect(classes).toEqual(new Set(['POST:none', 'GET:read', 'PUT:write', 'DELETE:write', 'POST:write']));
    expect(JSON.stringify(hooks.befores)).not.toContain('zcops-sim-client-secret');
    expect(hooks.afters.length).toBe(hooks.befores.length);
  });
});
