import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSimulator, SimulatorOptions } from '../../../simulator/index.ts';
import { findRateViolations, startSimulator } from '../../../simulator/index.ts';
import { type Client, client, fakeClock, ZPA_BASE, zpaLogin, ztwLogin } from './helpers.ts';

let sim: RunningSimulator | undefined;
let c: Client | undefined;
afterEach(async () => {
  await c?.close();
  await sim?.stop();
  sim = undefined;
  c = undefined;
});

async function setup(options: SimulatorOptions = {}) {
  const clock = fakeClock();
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

describe('ZTW rate limits', () => {
  it('enforces DELETE 1/min and 4/h with the ZTW 429 shape', async () => {
    const { clock, sim, c } = await setup();
    const vms = Array.from({ length: 6 }, () => sim.state.addEcVm(4543200));
    const cookie = await ztwLogin(c, clock.now());
    const del = (i: number) =>
      c.call('DELETE', `/api/v1/ecgroup/4543200/vm/${vms[i]?.id}`, { headers: cookie });
    expect((await del(0)).status).toBe(200);
    const r = await del(1);
    expect(r.status).toBe(429);
    expect(r.json).toEqual({ message: 'Rate Limit (1/MINUTE) exceeded', 'Retry-After': '60 seconds' });
    expect(r.headers['retry-after']).toBe('60');
    for (let i = 1; i < 4; i++) {
      clock.advance(60_000);
      expect((await del(i)).status).toBe(200);
    }
    clock.advance(60_000);
    const hourly = await del(4);
    expect(hourly.status).toBe(429);
    expect(hourly.json.message).toBe('Rate Limit (4/HOUR) exceeded');
    expect(hourly.json['Retry-After']).toBe(`${60 * 60 - 4 * 60} seconds`);
  });

  it('enforces GET 2/s, /ecgroup 5/s and activate 1/s separately; /auth is unlimited', async () => {
    const { clock, c } = await setup();
    for (let i = 0; i < 8; i++) await ztwLogin(c, clock.now());
    const cookie = await ztwLogin(c, clock.now());
    const getOne = () => c.call('GET', '/api/v1/ecgroup/4543200', { headers: cookie });
    expect((await getOne()).status).toBe(200);
    expect((await getOne()).status).toBe(200);
    const r = await getOne();
    expect(r.json).toEqual({ message: 'Rate Limit (2/SECOND) exceeded', 'Retry-After': '1 seconds' });
    clock.advance(300);
    expect((await getOne()).json['Retry-After']).toBe('0 seconds');
    for (let i = 0; i < 5; i++)
      expect((await c.call('GET', '/api/v1/ecgroup', { headers: cookie })).status).toBe(200);
    expect((await c.call('GET', '/api/v1/ecgroup', { headers: cookie })).status).toBe(429);
    const act = () => c.call('PUT', '/api/v1/ecAdminActivateStatus/activate', { headers: cookie });
    expect((await act()).status).toBe(200);
    expect((await act()).status).toBe(429);
    clock.advance(1000);
    expect((await act()).status).toBe(200);
    expect((await getOne()).status).toBe(200);
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
