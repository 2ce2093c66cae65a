import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSimulator, SimulatorOptions } from '../../../simulator/index.ts';
import { findRateViolations, startSimulator } from '../../../simulator/index.ts';
import { manualClock } from '../../fixtures/manual-clock.ts';
import { type Client, client, SIM_START, ZPA_BASE, zpaLogin, ztwLogin } from './helpers.ts';

let sim: RunningSimulator | undefined;
let c: Client | undefined;
afterEach(async () => {
  await c?.close();
  await sim?.stop();
  sim = undefined;
  c = undefined;
});

async function setup(options: SimulatorOptions = {}) {
  const clock = manualClock(SIM_START);
  sim = await startSimulator({ clock, ...options });
  c = client(sim);
  return { clock, sim, c };
}

describe('ZPA rate limits', () => {
  it('admits 20 GETs per 10 s window opened by the first call; 429s do not count', async () => {
    const { clock, sim, c } = await setup();
    const auth = await zpaLogin(c);
    const get = () => c.call('GET', `${ZPA_BASE}/connector`, { headers: auth });
    for (let i = 0; i < 20; i++) expect((await get()).status).toBe(200);
    const r = await get();
    expect(r.status).toBe(429);
    expect(r.json).toEqual({
      id: 'invalid.toomanyrequests',
      reason: 'Exceeded the number of requests allowed',
    });
    expect(r.headers['retry-after']).toBe('10s');
    clock.advance(3000);
    expect((await get()).headers['retry-after']).toBe('7s');
    clock.advance(6500);
    expect((await get()).headers['retry-after']).toBe('1s');
    clock.advance(500); // exactly 10 s after the first call: a new window
    for (let i = 0; i < 20; i++) expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
    const limited = sim.callLog.filter((e) => e.status === 429);
    expect(limited.every((e) => !e.counted)).toBe(true);
    expect(sim.callLog.filter((e) => e.counted)).toHaveLength(40);
  });

  it('shares one write budget of 10 per 10 s between POST, PUT and DELETE, apart from reads', async () => {
    const { c } = await setup();
    const auth = await zpaLogin(c);
    for (let i = 0; i < 4; i++) {
      expect(
        (await c.call('PUT', `${ZPA_BASE}/connector/217246660303024865`, { headers: auth, json: {} })).status,
      ).toBe(204);
    }
    for (let i = 0; i < 3; i++) {
      expect((await c.call('DELETE', `${ZPA_BASE}/connector/1${i}`, { headers: auth })).status).toBe(400);
    }
    for (let i = 0; i < 3; i++) {
      const r = await c.call('POST', `${ZPA_BASE}/connector/bulkDelete`, {
        headers: auth,
        json: { ids: ['1'] },
      });
      expect(r.status).toBe(200);
    }
    expect(
      (await c.call('POST', `${ZPA_BASE}/connector/bulkDelete`, { headers: auth, json: { ids: ['1'] } }))
        .status,
    ).toBe(429);
    expect((await c.call('GET', `${ZPA_BASE}/connector`, { headers: auth })).status).toBe(200);
  });

  it('emits scaled decimal retry-after under a time scale', async () => {
    const { clock, c } = await setup({ timeScale: 10 });
    const auth = await zpaLogin(c);
    for (let i = 0; i < 10; i++) await c.call('DELETE', `${ZPA_BASE}/connector/9`, { headers: auth });
    expect(
      (await c.call('DELETE', `${ZPA_BASE}/connector/9`, { headers: auth })).headers['retry-after'],
    ).toBe('1s');
    clock.advance(300);
    expect(
      (await c.call('DELETE', `${ZPA_BASE}/connector/9`, { headers: auth })).headers['retry-after'],
    ).toBe('0.7s');
    clock.advance(700);
    expect((await c.call('DELETE', `${ZPA_BASE}/connector/9`, { headers: auth })).status).toBe(400);
  });

  it('can be switched off, overridden and reset at run time', async () => {
    const { sim, c } = await setup();
    const auth = await zpaLogin(c);
    sim.setRateLimits({ zpa: { read: [{ limit: 2, windowMs: 60_000 }] } });
    expect(sim.effectiveLimits().zpa.read).toEqual([{ limit: 2, windowMs: 60_000 }]);
    const get = () => c.call('GET', `${ZPA_BASE}/connector`, { headers: auth });
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    expect((await get()).headers['retry-after']).toBe('60s');
    sim.reset();
    expect(sim.callLog).toHaveLength(0);
    expect((await get()).status).toBe(200);
    sim.setRateLimits(false);
    for (let i = 0; i < 30; i++) expect((await get()).status).toBe(200);
  });

  it('does not count unauthenticated calls', async () => {
    const { c, sim } = await setup();
    for (let i = 0; i < 25; i++) expect((await c.call('GET', `${ZPA_BASE}/connector`)).status).toBe(401);
    expect(sim.callLog.some((e) => e.counted)).toBe(false);
  });
});

describe('ZTW rate limits (per endpoint family and method, the API Rate Limit Summary)', () => {
  it('VM DELETE by instance id: 1/s and 400/h, with the ZTW 429 shape', async () => {
    const { clock, sim, c } = await setup();
    const vms = Array.from({ length: 402 }, () => sim.state.addEcVm(4543200));
    const cookie = await ztwLogin(c, clock.now());
    const del = (i: number) =>
      c.call('DELETE', `/api/v1/ecVm/uuid/${vms[i]?.vmInstanceId}`, { headers: cookie });
    expect((await del(0)).status).toBe(200);
    const r = await del(1);
    expect(r.status).toBe(429);
    expect(r.json).toEqual({ message: 'Rate Limit (1/SECOND) exceeded', 'Retry-After': '1 seconds' });
    clock.advance(400);
    expect((await del(1)).json).toEqual({
      message: 'Rate Limit (1/SECOND) exceeded',
      'Retry-After': '0 seconds',
    });
    // 1/s allows 400 in the hour (the generic weight table's 1/min and 4/h would allow 4).
    for (let i = 1; i < 400; i++) {
      clock.advance(1000);
      expect((await del(i)).status).toBe(200);
    }
    clock.advance(1000);
    const hourly = await del(400);
    expect(hourly.status).toBe(429);
    expect(hourly.json.message).toBe('Rate Limit (400/HOUR) exceeded');
  });

  it('keeps each family apart: /ecgroup (with its VMs) 5/s, /ecVm/uuid 5/s, status 10/s, activate 1/s; /auth unlimited', async () => {
    const { clock, sim, c } = await setup();
    for (let i = 0; i < 8; i++) await ztwLogin(c, clock.now());
    const cookie = await ztwLogin(c, clock.now());
    const call = (method: 'GET' | 'PUT' | 'DELETE', path: string) =>
      c.call(method, `/api/v1${path}`, { headers: cookie });
    // /ecgroup, /ecgroup/{id} and /ecgroup/{id}/vm/{vmid} share the ecgroup GET budget.
    for (const p of [
      '/ecgroup',
      '/ecgroup/4543181',
      '/ecgroup/4543181/vm/4543182',
      '/ecgroup',
      '/ecgroup/4543200',
    ])
      expect((await call('GET', p)).status).toBe(200);
    const r = await call('GET', '/ecgroup/4543200');
    expect(r.status).toBe(429);
    expect(r.json).toEqual({ message: 'Rate Limit (5/SECOND) exceeded', 'Retry-After': '1 seconds' });
    // …while /ecVm/uuid and the activation status have their own.
    for (let i = 0; i < 5; i++)
      expect((await call('GET', '/ecVm/uuid/i-0a1b2c3d4e5f60718')).status).toBe(200);
    expect((await call('GET', '/ecVm/uuid/i-0a1b2c3d4e5f60718')).status).toBe(429);
    for (let i = 0; i < 10; i++) expect((await call('GET', '/ecAdminActivateStatus')).status).toBe(200);
    expect((await call('GET', '/ecAdminActivateStatus')).json.message).toBe(
      'Rate Limit (10/SECOND) exceeded',
    );
    expect((await call('PUT', '/ecAdminActivateStatus/activate')).status).toBe(200);
    expect((await call('PUT', '/ecAdminActivateStatus/activate')).status).toBe(429);
    // A DELETE of one family does not spend another's.
    const vm = sim.state.addEcVm(4543200);
    expect((await call('DELETE', `/ecgroup/4543200/vm/${vm.id}`)).status).toBe(200);
    expect((await call('DELETE', `/ecVm/uuid/${sim.state.addEcVm(4543200).vmInstanceId}`)).status).toBe(200);
    clock.advance(1000);
    expect((await call('GET', '/ecgroup')).status).toBe(200);
    expect((await call('PUT', '/ecAdminActivateStatus/activate')).status).toBe(200);
    expect(sim.callLog.filter((e) => e.api === 'auth').every((e) => e.status === 200)).toBe(true);
  });
});

describe('findRateViolations over a real call log', () => {
  it('flags bursts that straddle a fixed-window boundary, passes paced traffic', async () => {
    const { clock, sim, c } = await setup();
    const auth = await zpaLogin(c);
    const get = () => c.call('GET', `${ZPA_BASE}/connector`, { headers: auth });
    for (let i = 0; i < 20; i++) {
      await get();
      clock.advance(500);
    }
    expect(findRateViolations(sim.callLog, sim.effectiveLimits())).toEqual([]);

    sim.reset();
    await get(); // opens a window at T
    clock.advance(9_900);
    for (let i = 0; i < 19; i++) expect((await get()).status).toBe(200);
    clock.advance(100); // T + 10 s: the server opens a new window…
    for (let i = 0; i < 20; i++) expect((await get()).status).toBe(200);
    const v = findRateViolations(sim.callLog, sim.effectiveLimits());
    // …but any 10 s slice holding 39 calls overran the budget.
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({
      api: 'zpa',
      rateClass: 'read',
      count: 39,
      window: { limit: 20, windowMs: 10_000 },
    });
  });
});
