import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../simulator/index.ts';
import { obfuscateApiKey, SIMULATOR_CREDENTIALS, startSimulator } from '../../../simulator/index.ts';
import { manualClock } from '../../fixtures/manual-clock.ts';
import { type Client, client, oneApiLogin, SIM_START, ztwLogin } from './helpers.ts';

const C = SIMULATOR_CREDENTIALS.ztw;
const GROUP = 4543181;
const VM = 4543182;
const VM_INSTANCE = 'i-0f9e8d7c6b5a49382';

describe('Cloud & Branch Connector API', () => {
  const clock = manualClock(SIM_START);
  let sim: RunningSimulator;
  let c: Client;
  let cookie: Record<string, string>;

  beforeAll(async () => {
    sim = await startSimulator({ clock, rateLimits: false, sessionIdleSeconds: 1800, timeScale: 10 });
    c = client(sim);
  });
  afterAll(async () => {
    await c.close();
    await sim.stop();
  });
  beforeEach(async () => {
    cookie = await ztwLogin(c, clock.now());
  });

  describe('/auth', () => {
    const body = (over: Record<string, unknown>) => {
      const ts = clock.now();
      return {
        apiKey: obfuscateApiKey(C.apiKey, ts),
        username: C.username,
        password: C.password,
        timestamp: ts,
        ...over,
      };
    };

    it('accepts the obfuscated key and sets JSESSIONID', async () => {
      const r = await c.call('POST', '/api/v1/auth', { json: body({}) });
      expect(r.status).toBe(200);
      expect(String(r.headers['set-cookie'])).toMatch(/^JSESSIONID=[0-9A-F]{32}; Path=\//);
      expect(r.json.authType).toBe('ADMIN_LOGIN');
    });

    it.each([
      ['the plain key', { apiKey: C.apiKey }],
      [
        'a key obfuscated for another timestamp',
        { apiKey: obfuscateApiKey(C.apiKey, Date.UTC(2020, 0, 1, 0, 0, 0, 7)) },
      ],
      ['a wrong password', { password: 'nope' }],
      ['a wrong user', { username: 'x@y' }],
    ])('rejects %s with 400 INVALID_USERNAME_OR_PASSWORD', async (_label, over) => {
      const r = await c.call('POST', '/api/v1/auth', { json: body(over) });
      expect(r.status).toBe(400);
      expect(r.json.code).toBe('INVALID_USERNAME_OR_PASSWORD');
      expect(typeof r.json.message).toBe('string');
    });

    it('rejects a timestamp far from now even when the key matches it', async () => {
      const old = clock.now() - 10 * 60_000;
      const r = await c.call('POST', '/api/v1/auth', {
        json: body({ timestamp: old, apiKey: obfuscateApiKey(C.apiKey, old) }),
      });
      expect(r.status).toBe(400);
    });

    it('expires a session sessionIdleSeconds (scaled) after its last request', async () => {
      clock.advance(179_000); // 1800 s / 10 = 180 s
      expect((await c.call('GET', '/api/v1/ecgroup', { headers: cookie })).status).toBe(200);
      clock.advance(179_000); // still alive: the previous call touched it
      expect((await c.call('GET', '/api/v1/ecgroup', { headers: cookie })).status).toBe(200);
      clock.advance(180_000);
      const r = await c.call('GET', '/api/v1/ecgroup', { headers: cookie });
      expect(r.status).toBe(401);
      expect(r.json.code).toBe('SESSION_NOT_VALID');
    });

    it('requires a session, and DELETE /auth ends it', async () => {
      expect((await c.call('GET', '/api/v1/ecgroup')).json.code).toBe('SESSION_NOT_VALID');
      expect(
        (await c.call('GET', '/api/v1/ecgroup', { headers: { cookie: 'JSESSIONID=FAKE' } })).status,
      ).toBe(401);
      expect((await c.call('DELETE', '/api/v1/auth', { headers: cookie })).status).toBe(200);
      expect((await c.call('GET', '/api/v1/ecgroup', { headers: cookie })).status).toBe(401);
      expect((await c.call('DELETE', '/api/v1/auth', { headers: cookie })).status).toBe(401);
    });
  });

  it('lists groups as a bare array with integer ids and pages by page/pageSize', async () => {
    const r = await c.call('GET', '/api/v1/ecgroup', { headers: cookie });
    expect(Array.isArray(r.json)).toBe(true);
    expect(r.json).toHaveLength(2);
    const g = r.json[0];
    expect(g).toMatchObject({
      id: GROUP,
      deployType: 'CLOUD',
      status: ['ENABLED'],
      platform: 'AWS',
      tunnelMode: 'ENCRYPTED',
    });
    expect(g.location).toEqual({ id: 4543180, name: 'AWS-us-west-2-vpc-0a1b2c3d' });
    expect(g.ecVMs[0]).toMatchObject({
      id: VM,
      operationalStatus: 'ACTIVE',
      formFactor: 'SMALL',
      natIp: '44.229.10.21',
      buildVersion: '23.158.1.1',
      upgradeStatus: 0,
    });
    // Listings carry no instance id (the official SDK models have none): never match one against them.
    expect(JSON.stringify(r.json)).not.toContain('vmInstanceId');
    expect(JSON.stringify(r.json)).not.toContain('i-0a1b2c3d4e5f60718');
    expect(Array.isArray(g.ecVMs[0].ecInstances)).toBe(true);
    expect(g.ecVMs[0].managementNw).toBeTypeOf('object');
    expect((await c.call('GET', '/api/v1/ecgroup?page=2&pageSize=1', { headers: cookie })).json[0].id).toBe(
      4543200,
    );
    expect((await c.call('GET', '/api/v1/ecgroup?page=3&pageSize=1', { headers: cookie })).json).toEqual([]);
    expect((await c.call('GET', '/api/v1/ecgroup?pageSize=abc', { headers: cookie })).status).toBe(400);
  });

  it('gets a group and a VM; unknown ones answer 404', async () => {
    expect((await c.call('GET', `/api/v1/ecgroup/${GROUP}`, { headers: cookie })).json.name).toBe(
      'AWS-us-west-2-vpc-0a1b2c3d',
    );
    expect((await c.call('GET', `/api/v1/ecgroup/${GROUP}/vm/${VM}`, { headers: cookie })).json.id).toBe(VM);
    const r = await c.call('GET', `/api/v1/ecgroup/${GROUP}/vm/1`, { headers: cookie });
    expect(r.status).toBe(404);
    expect(r.json.code).toBe('RESOURCE_NOT_FOUND');
    expect((await c.call('GET', '/api/v1/ecgroup/1', { headers: cookie })).status).toBe(404);
  });

  it('finds a VM by instance id only through GET /ecVm/uuid/{vmInstanceId}', async () => {
    const r = await c.call('GET', '/api/v1/ecVm/uuid/i-0a1b2c3d4e5f60718', { headers: cookie });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: VM, name: 'zs-cc-vpc-0a1b2c3d-1' });
    expect(r.json.vmInstanceId).toBeUndefined();
    const none = await c.call('GET', '/api/v1/ecVm/uuid/i-0000000000000beef', { headers: cookie });
    expect(none.status).toBe(404);
    expect(none.json.code).toBe('RESOURCE_NOT_FOUND');
  });

  it('sends null where a field is not set', async () => {
    const vm = sim.state.addEcVm(4543200, { natIp: '', ecInstances: [] });
    const r = await c.call('GET', `/api/v1/ecgroup/4543200/vm/${vm.id}`, { headers: cookie });
    expect(r.json).toMatchObject({ natIp: null, ecInstances: null });
    expect(
      (await c.call('GET', '/api/v1/ecAdminActivateStatus', { headers: cookie })).json.adminStatusMap,
    ).toBeNull();
  });

  it('activation is queued behind another admin, takes time, and only then is a deletion 404', async () => {
    const vm = sim.state.addEcVm(4543200);
    sim.state.ztwActivation.queueHeldUntil = clock.now() + 1_000;
    try {
      await c.call('DELETE', `/api/v1/ecgroup/4543200/vm/${vm.id}`, { headers: cookie });
      const put = await c.call('PUT', '/api/v1/ecAdminActivateStatus/activate', { headers: cookie });
      expect(put.json.adminActivateStatus).toBe('ADM_ACTV_QUEUED');
      const get = () => c.call('GET', `/api/v1/ecgroup/4543200/vm/${vm.id}`, { headers: cookie });
      const status = async () =>
        (await c.call('GET', '/api/v1/ecAdminActivateStatus', { headers: cookie })).json.adminActivateStatus;
      expect((await get()).status).toBe(200);
      clock.advance(1_000);
      expect(await status()).toBe('ADM_ACTIVATING');
      expect((await get()).status).toBe(200);
      clock.advance(300); // 3 s at ×10
      expect(await status()).toBe('ADM_ACTV_DONE');
      expect((await get()).status).toBe(404);
    } finally {
      sim.state.ztwActivation.queueHeldUntil = undefined;
    }
  });

  it('deletes a VM: pending until activation, then 404', async () => {
    const del = await c.call('DELETE', `/api/v1/ecgroup/${GROUP}/vm/${VM}`, { headers: cookie });
    expect(del.status).toBe(200);
    const status = await c.call('GET', '/api/v1/ecAdminActivateStatus', { headers: cookie });
    expect(status.json).toMatchObject({ orgEditStatus: 'EDITS_PRESENT', adminActivateStatus: 'ADM_EDITING' });
    expect((await c.call('GET', `/api/v1/ecgroup/${GROUP}/vm/${VM}`, { headers: cookie })).status).toBe(200);
    expect((await c.call('DELETE', `/api/v1/ecgroup/${GROUP}/vm/${VM}`, { headers: cookie })).status).toBe(
      404,
    );

    const act = await c.call('PUT', '/api/v1/ecAdminActivateStatus/activate', { headers: cookie });
    expect(act.status).toBe(200);
    // The PUT answers while the activation runs; the deletion shows once it is done.
    expect(act.json).toMatchObject({ orgEditStatus: 'EDITS_PRESENT', adminActivateStatus: 'ADM_ACTIVATING' });
    expect((await c.call('GET', `/api/v1/ecgroup/${GROUP}/vm/${VM}`, { headers: cookie })).status).toBe(200);
    clock.advance(300); // 3 s at ×10
    const done = await c.call('GET', '/api/v1/ecAdminActivateStatus', { headers: cookie });
    expect(done.json).toMatchObject({
      orgEditStatus: 'EDITS_CLEARED',
      orgLastActivateStatus: 'CAC_ACTV_UI',
      adminActivateStatus: 'ADM_ACTV_DONE',
    });
    expect((await c.call('GET', `/api/v1/ecgroup/${GROUP}/vm/${VM}`, { headers: cookie })).status).toBe(404);
    expect(sim.state.getVm(GROUP, VM)).toBeUndefined();
  });

  it('deletes by cloud instance id; logout activates pending edits', async () => {
    const r = await c.call('DELETE', `/api/v1/ecVm/uuid/${VM_INSTANCE}`, { headers: cookie });
    expect(r.status).toBe(200);
    expect((await c.call('DELETE', `/api/v1/ecVm/uuid/${VM_INSTANCE}`, { headers: cookie })).status).toBe(
      404,
    );
    expect((await c.call('DELETE', '/api/v1/ecVm/uuid/i-unknown', { headers: cookie })).status).toBe(404);
    const out = await c.call('DELETE', '/api/v1/auth', { headers: cookie });
    expect(out.json.adminActivateStatus).toBe('ADM_ACTIVATING');
    clock.advance(300);
    sim.state.tickActivation();
    expect(sim.state.activation.orgLastActivateStatus).toBe('CAC_ACTV_SESSION_LOGOUT');
    expect(sim.state.findVmByInstanceId(VM_INSTANCE)).toBeUndefined();
  });

  it('auto-activates edits left idle for 30 minutes (scaled)', async () => {
    const vm = sim.state.addEcVm(4543200);
    await c.call('DELETE', `/api/v1/ecgroup/4543200/vm/${vm.id}`, { headers: cookie });
    clock.advance(179_000); // 30 min / 10 = 180 s
    expect((await c.call('GET', `/api/v1/ecgroup/4543200/vm/${vm.id}`, { headers: cookie })).status).toBe(
      200,
    );
    clock.advance(1000);
    expect(
      (await c.call('GET', '/api/v1/ecAdminActivateStatus', { headers: cookie })).json.adminActivateStatus,
    ).toBe('ADM_ACTIVATING');
    clock.advance(300);
    expect((await c.call('GET', `/api/v1/ecgroup/4543200/vm/${vm.id}`, { headers: cookie })).status).toBe(
      404,
    );
    expect(sim.state.activation.orgLastActivateStatus).toBe('CAC_ACTV_TIMER');
  });

  it('serves the same API over OneAPI with a bearer token', async () => {
    const bearer = await oneApiLogin(c);
    const r = await c.call('GET', '/ztw/api/v1/ecgroup', { headers: bearer });
    expect(r.status).toBe(200);
    expect(Array.isArray(r.json)).toBe(true);
    expect((await c.call('GET', '/ztw/api/v1/ecgroup', { headers: cookie })).status).toBe(401);
    expect((await c.call('GET', '/ztw/api/v1/ecAdminActivateStatus', { headers: bearer })).status).toBe(200);
    const entry = sim.callLog.find((e) => e.path === '/ztw/api/v1/ecgroup' && e.status === 200);
    expect(entry).toMatchObject({ api: 'ztw', rateClass: 'ecgroup.get', tenant: '24326813' });
  });

  it('classifies calls by rate class in the call log', () => {
    const cls = (m: string, p: RegExp) =>
      sim.callLog.find((e) => e.method === m && p.test(e.path))?.rateClass;
    expect(cls('GET', /\/ecgroup$/)).toBe('ecgroup.get');
    expect(cls('GET', /\/vm\//)).toBe('ecgroup.get');
    expect(cls('DELETE', /\/vm\//)).toBe('ecgroup.delete');
    expect(cls('GET', /\/ecVm\/uuid\//)).toBe('ecVmUuid.get');
    expect(cls('DELETE', /\/ecVm\/uuid\//)).toBe('ecVmUuid.delete');
    expect(cls('GET', /ecAdminActivateStatus$/)).toBe('ecAdminActivateStatus.get');
    expect(cls('PUT', /activate$/)).toBe('ecAdminActivateStatusActivate.put');
    expect(cls('POST', /\/auth$/)).toBe('none');
    expect(sim.callLog.some((e) => e.sessionId?.startsWith('s'))).toBe(true);
    expect(JSON.stringify(sim.callLog)).not.toContain(C.password);
  });
});
