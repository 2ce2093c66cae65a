import { afterEach, describe, expect, it } from 'vitest';
import type { FaultConfig, RunningSimulator } from '../../../simulator/index.ts';
import { startSimulator } from '../../../simulator/index.ts';
import { manualClock } from '../../fixtures/manual-clock.ts';
import { type Client, client, SIM_START, ZPA_BASE, zpaLogin, ztwLogin } from './helpers.ts';

const KEY_1 = '217246660303024865';
let sim: RunningSimulator | undefined;
let c: Client | undefined;
afterEach(async () => {
  await c?.close();
  await sim?.stop();
  sim = undefined;
  c = undefined;
});

async function setup(faults: FaultConfig, headersTimeout?: number) {
  const clock = manualClock(SIM_START);
  sim = await startSimulator({ clock, rateLimits: false, faults });
  c = client(sim, { headersTimeout });
  return { clock, sim, c };
}

describe('fault injection', () => {
  it('injects 429 in the ZPA shape without counting it', async () => {
    const { sim, c } = await setup({ tooManyRequests: 1, apis: ['zpa'] });
    const auth = await zpaLogin(c);
    const r = await c.call('GET', `${ZPA_BASE}/connector`, { headers: auth });
    expect(r.status).toBe(429);
    expect(r.json.id).toBe('invalid.toomanyrequests');
    expect(r.headers['retry-after']).toMatch(/^\d+s$/);
    expect(sim.callLog.at(-1)).toMatchObject({ fault: 'tooManyRequests', counted: false, status: 429 });
  });

  it('injects 429 in the ZTW shape', async () => {
    const { clock, c } = await setup({ tooManyRequests: 1, apis: ['ztw'] });
    const cookie = await ztwLogin(c, clock.now());
    const r = await c.call('GET', '/api/v1/ecgroup', { headers: cookie });
    expect(r.status).toBe(429);
    expect(r.json.message).toBe('Rate Limit (5/SECOND) exceeded');
    expect(r.json['Retry-After']).toMatch(/^\d+ seconds$/);
  });

  it('injects 500 and 503 before applying a write', async () => {
    const { sim, c } = await setup({ serverError: 1, methods: ['DELETE'] });
    const auth = await zpaLogin(c);
    const r = await c.call('DELETE', `${ZPA_BASE}/connector/${KEY_1}`, { headers: auth });
    expect(r.status).toBe(500);
    expect(r.json.id).toBe('internal.server.error');
    expect(sim.state.connectors.has(KEY_1)).toBe(true);
    sim.setFaults({ unavailable: 1, methods: ['DELETE'] });
    const u = await c.call('DELETE', `${ZPA_BASE}/connector/${KEY_1}`, { headers: auth });
    expect(u.status).toBe(503);
    expect(u.json.id).toBe('retryable.server.error');
    expect(u.headers['retry-after']).toBe('10s');
    expect(sim.state.connectors.has(KEY_1)).toBe(true);
    expect((await c.call('GET', `${ZPA_BASE}/connector/${KEY_1}`, { headers: auth })).status).toBe(200);
  });

  it('injects timeouts (never answered) and resets', async () => {
    const { sim, c } = await setup({ timeout: 1, paths: ['/connector/'] }, 300);
    const auth = await zpaLogin(c);
    await expect(c.call('GET', `${ZPA_BASE}/connector/${KEY_1}`, { headers: auth })).rejects.toThrow(
      /timeout/i,
    );
    expect(sim.callLog.at(-1)?.fault).toBe('timeout');
    expect(sim.callLog.at(-1)?.status).toBeUndefined();
    sim.setFaults({ reset: 1, paths: [/\/connector\/\d+$/] });
    await expect(c.call('GET', `${ZPA_BASE}/connector/${KEY_1}`, { headers: auth })).rejects.toThrow();
    expect(sim.callLog.at(-1)?.fault).toBe('reset');
    expect(sim.callLog.at(-1)?.status).toBeUndefined();
    expect((await c.call('GET', `${ZPA_BASE}/connector`, { headers: auth })).status).toBe(200);
  });

  it('injects slow answers that still succeed', async () => {
    const { sim, c } = await setup({ slow: 1, slowMs: 60 });
    const auth = await zpaLogin(c);
    const started = performance.now();
    expect((await c.call('GET', `${ZPA_BASE}/connector`, { headers: auth })).status).toBe(200);
    // A lower bound only: timers never fire meaningfully early, however loaded the machine is.
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
    expect(sim.callLog.at(-1)?.fault).toBe('slow');
  });

  it('adds the base latency to every answer', async () => {
    sim = await startSimulator({ rateLimits: false, latencyMs: 60, seed: 'empty' });
    c = client(sim);
    const started = performance.now();
    expect((await c.call('GET', `${ZPA_BASE}/connector`)).status).toBe(401);
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('injects edit locks on writes only, in each API shape', async () => {
    const { clock, sim, c } = await setup({ editLock: 1 });
    const auth = await zpaLogin(c);
    expect((await c.call('GET', `${ZPA_BASE}/connector`, { headers: auth })).status).toBe(200);
    const z = await c.call('PUT', `${ZPA_BASE}/connector/${KEY_1}`, { headers: auth, json: { name: 'n' } });
    expect(z.status).toBe(409);
    expect(z.json.id).toBe('api.concurrent.access.error');
    expect(sim.state.connectors.get(KEY_1)?.name).toBe('example_provising_key-1');
    const cookie = await ztwLogin(c, clock.now());
    const t = await c.call('DELETE', '/api/v1/ecgroup/4543181/vm/4543182', { headers: cookie });
    expect(t.status).toBe(409);
    expect(t.json.code).toBe('EDIT_LOCK_NOT_AVAILABLE');
    expect(sim.state.getVm(4543181, 4543182)?.pendingDeletion).toBe(false);
  });

  it('expires tokens and sessions on demand', async () => {
    const { clock, sim, c } = await setup({ expiredAuth: 1, maxCount: 1, apis: ['zpa'] });
    const auth = await zpaLogin(c);
    expect((await c.call('GET', `${ZPA_BASE}/connector`, { headers: auth })).status).toBe(401);
    expect((await c.call('GET', `${ZPA_BASE}/connector`, { headers: auth })).status).toBe(401);
    expect((await c.call('GET', `${ZPA_BASE}/connector`, { headers: await zpaLogin(c) })).status).toBe(200);
    sim.setFaults({ expiredAuth: 1, maxCount: 1, apis: ['ztw'] });
    const cookie = await ztwLogin(c, clock.now());
    const r = await c.call('GET', '/api/v1/ecgroup', { headers: cookie });
    expect(r.json.code).toBe('SESSION_NOT_VALID');
    expect((await c.call('GET', '/api/v1/ecgroup', { headers: cookie })).status).toBe(401);
  });

  it('applies the change, then answers 500 or never answers (ambiguous outcomes)', async () => {
    const { sim, c } = await setup({ appliedThenError: 1, methods: ['DELETE'] }, 300);
    const auth = await zpaLogin(c);
    const r = await c.call('DELETE', `${ZPA_BASE}/connector/${KEY_1}`, { headers: auth });
    expect(r.status).toBe(500);
    expect(sim.state.connectors.has(KEY_1)).toBe(false);

    sim.setFaults({ appliedThenTimeout: 1, methods: ['POST'], apis: ['zpa'] });
    const body = { name: 'ambiguous', latitude: '1', longitude: '1', location: 'x' };
    await expect(
      c.call('POST', `${ZPA_BASE}/appConnectorGroup`, { headers: auth, json: body }),
    ).rejects.toThrow();
    expect([...sim.state.appConnectorGroups.values()].some((g) => g.name === 'ambiguous')).toBe(true);
    expect(sim.callLog.at(-1)?.fault).toBe('appliedThenTimeout');
  });

  it('draws deterministically from the seed, honours scope and maxCount', async () => {
    const run = async () => {
      const { sim, c } = await setup({ seed: 42, serverError: 0.5, methods: ['GET'] });
      const auth = await zpaLogin(c);
      const out: number[] = [];
      for (let i = 0; i < 12; i++)
        out.push((await c.call('GET', `${ZPA_BASE}/connector`, { headers: auth })).status);
      await c.close();
      await sim.stop();
      return out;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a).toContain(500);
    expect(a).toContain(200);

    const { c: c2, sim: s2 } = await setup({
      rules: [{ serverError: 1, maxCount: 2, paths: ['/connector'] }],
    });
    const auth = await zpaLogin(c2);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await c2.call('GET', `${ZPA_BASE}/connector`, { headers: auth })).status);
    expect(statuses).toEqual([500, 500, 200]);
    expect((await c2.call('GET', `${ZPA_BASE}/appConnectorGroup`, { headers: auth })).status).toBe(200);
    expect(s2.callLog.filter((e) => e.fault === 'serverError')).toHaveLength(2);
  });

  it('hangs every request during an outage', async () => {
    const { sim, c } = await setup({}, 300);
    const auth = await zpaLogin(c);
    sim.setOutage(true);
    await expect(c.call('GET', `${ZPA_BASE}/connector`, { headers: auth })).rejects.toThrow(/timeout/i);
    expect(sim.callLog.at(-1)?.fault).toBe('outage');
    sim.setOutage(false);
    expect((await c.call('GET', `${ZPA_BASE}/connector`, { headers: auth })).status).toBe(200);
  });
});

describe('faults for the answers the official clients retry (the server does not act)', () => {
  it('ZPA: db.simultaneous.request 400, api.concurrent.access.error 409, non.restricted.entity… 400; nothing deleted', async () => {
    const { sim, c } = await setup({ simultaneousRequest: 1, maxCount: 1, methods: ['DELETE'] });
    const auth = await zpaLogin(c);
    const url = `${ZPA_BASE}/connector/${KEY_1}`;
    const a = await c.call('DELETE', url, { headers: auth });
    expect([a.status, a.json.id]).toEqual([400, 'db.simultaneous.request']);
    expect(sim.state.connectors.has(KEY_1)).toBe(true);
    sim.setFaults({ concurrentAccess: 1, maxCount: 1, methods: ['DELETE'] });
    const b = await c.call('DELETE', url, { headers: auth });
    expect([b.status, b.json.id]).toEqual([409, 'api.concurrent.access.error']);
    sim.setFaults({ nonRestrictedAuth: 1, maxCount: 1, apis: ['zpa'] });
    const d = await c.call('DELETE', url, { headers: auth });
    expect([d.status, d.json.id]).toEqual([400, 'non.restricted.entity.authorization.failed']);
    expect(sim.state.connectors.has(KEY_1)).toBe(true);
    // Write-only kinds never fire on reads; ZPA kinds never on ZTW.
    sim.setFaults({ simultaneousRequest: 1, concurrentAccess: 0 });
    expect((await c.call('GET', url, { headers: auth })).status).toBe(200);
    expect((await c.call('DELETE', url, { headers: auth })).status).toBe(400);
  });

  it('ZTW: org barrier 412 then 409, precondition 409 (VM not deleted), Resource Access Blocked, session invalidated', async () => {
    const { clock, sim, c } = await setup({ orgBarrier: 1, maxCount: 2, apis: ['ztw'] });
    const cookie = await ztwLogin(c, clock.now());
    const vm = '/api/v1/ecgroup/4543181/vm/4543182';
    const o1 = await c.call('DELETE', vm, { headers: cookie });
    const o2 = await c.call('DELETE', vm, { headers: cookie });
    expect([o1.status, o2.status]).toEqual([412, 409]);
    expect(o1.json).toEqual({ code: 'UNEXPECTED_ERROR', message: 'Failed during enter Org barrier' });
    sim.setFaults({ preconditionFailed: 1, maxCount: 1, apis: ['ztw'] });
    const p = await c.call('DELETE', vm, { headers: cookie });
    expect(p.status).toBe(409);
    expect(p.json.message).toMatch(/expected precondition was not met/);
    expect(sim.state.getVm(4543181, 4543182)?.pendingDeletion).toBe(false);
    sim.setFaults({ resourceAccessBlocked: 1, maxCount: 1, apis: ['ztw'] });
    const rab = await c.call('GET', '/api/v1/ecgroup', { headers: cookie });
    expect([rab.status, rab.json]).toEqual([401, { message: 'Resource Access Blocked' }]);
    // The session survives Resource Access Blocked …
    expect((await c.call('GET', '/api/v1/ecgroup', { headers: cookie })).status).toBe(200);
    sim.setFaults({ sessionInvalidated: 1, maxCount: 1, apis: ['ztw'] });
    const inv = await c.call('GET', '/api/v1/ecgroup', { headers: cookie });
    expect([inv.status, inv.json.message]).toEqual([401, 'getAttribute: Session already invalidated']);
    // … but not an invalidation.
    expect((await c.call('GET', '/api/v1/ecgroup', { headers: cookie })).json.code).toBe('SESSION_NOT_VALID');
  });
});
