import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ConflictError,
  NotFoundError,
  RateLimitedError,
  RetryLaterError,
  TransientError,
  ValidationError,
} from '../../../shared/zscaler/errors.ts';
import { closeAll, createZpaClient, createZtwClient } from '../../../shared/zscaler/factory.ts';
import { type RunningSimulator, startSimulator } from '../../../simulator/index.ts';
import {
  manualClock,
  recordingHooks,
  recordingSystemClock,
  simTenant,
  zpaCredentials,
  ztwCredentials,
} from './sim-setup.ts';

// Faults and rate limits over real loopback HTTP. The client sleeps on a manual clock where the
// test is about decisions, and on the wall clock where the server's windows must really pass.
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    seed: { connectors: 60, groups: 2, ecGroups: 2, vmsPerGroup: 3 },
    rateLimits: false,
  });
});
beforeEach(() => {
  sim.setFaults({});
  sim.setRateLimits(false);
  sim.reset();
});
afterAll(async () => {
  await closeAll();
  await sim.stop();
});

function zpaClient(
  opts: {
    clock?: ReturnType<typeof manualClock>;
    hooks?: ReturnType<typeof recordingHooks>;
    maxTotalWaitMs?: number;
    http?: { headersTimeoutMs: number };
  } = {},
) {
  return createZpaClient({
    tenant: simTenant(sim.url, 'legacy'),
    credentials: zpaCredentials(sim.url, 'legacy'),
    clock: opts.clock ?? manualClock(),
    ...(opts.hooks ? { hooks: opts.hooks } : {}),
    ...(opts.http ? { http: opts.http } : {}),
    retry: { maxTotalWaitMs: opts.maxTotalWaitMs ?? 60_000 },
  });
}
const zpaCalls = (method?: string) =>
  sim.callLog.filter((e) => e.api === 'zpa' && (!method || e.method === method));
const connectorIds = () => [...sim.state.connectors.values()].filter((c) => !c.deception).map((c) => c.id);

describe('retry and Retry-After', () => {
  it('real 429s under a time-scaled ZPA write budget: retried after the decimal Retry-After, all deletes succeed', async () => {
    // timeScale 20 over a budget of 2 writes per 10 s: 2 per 500 ms, and Retry-After comes as tenths
    // of seconds (`0.3s`). Six concurrent deletes are sure to overrun it.
    const scaled = await startSimulator({
      port: 0,
      seed: { connectors: 30, groups: 1 },
      rateLimits: { zpa: { write: [{ limit: 2, windowMs: 10_000 }] } },
      timeScale: 20,
    });
    try {
      const hooks = recordingHooks();
      const clock = recordingSystemClock();
      const zpa = createZpaClient({
        tenant: simTenant(scaled.url, 'legacy'),
        credentials: zpaCredentials(scaled.url, 'legacy'),
        clock,
        hooks,
        retry: { maxAttempts: 10, baseDelayMs: 50 },
      });
      const ids = [...scaled.state.connectors.values()]
        .filter((c) => !c.deception)
        .map((c) => c.id)
        .slice(0, 6);
      await Promise.all(ids.map((id) => zpa.appConnectors.delete(id)));
      for (const id of ids) expect(scaled.state.connectors.has(id)).toBe(false);

      const limited = hooks.afters.filter((r) => r.errorClass === 'RateLimitedError');
      expect(limited.length).toBeGreaterThan(0);
      const served429 = scaled.callLog.filter((e) => e.method === 'DELETE' && e.status === 429);
      expect(served429).toHaveLength(limited.length);
      for (const r of limited) {
        expect(r.status).toBe(429);
        expect(r.call.rateClass).toBe('write');
        // Decimal seconds parsed: more than 0, less than a whole second.
        expect(r.retryAfterMs).toBeGreaterThan(0);
        expect(r.retryAfterMs).toBeLessThan(1_000);
      }
      // Every sleep honoured its Retry-After floor (sorted domination pairs each sleep with its 429).
      const sleeps = [...clock.sleeps].sort((a, b) => a - b);
      const floors = limited.map((r) => r.retryAfterMs!).sort((a, b) => a - b);
      expect(sleeps).toHaveLength(floors.length);
      sleeps.forEach((s, i) => {
        expect(s).toBeGreaterThanOrEqual(floors[i]!);
      });
    } finally {
      await scaled.stop();
    }
  });

  it('503 with Retry-After 10s: a GET sleeps at least 10 s (manual clock) and succeeds', async () => {
    const clock = manualClock();
    const zpa = zpaClient({ clock });
    sim.setFaults({ unavailable: 1, maxCount: 1, apis: ['zpa'] });
    await zpa.appConnectors.get(connectorIds()[0]!);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(10_000);
    expect(zpaCalls().map((e) => e.status)).toEqual([503, 200]);
  });

  it('a wait past the cap becomes RetryLaterError(notBefore) with no sleep', async () => {
    const clock = manualClock();
    const zpa = zpaClient({ clock, maxTotalWaitMs: 5_000 });
    sim.setFaults({ unavailable: 1, apis: ['zpa'] });
    const err = await zpa.appConnectors.get(connectorIds()[0]!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLaterError);
    expect((err as RetryLaterError).notBefore).toBeGreaterThanOrEqual(clock.now() + 10_000);
    expect((err as RetryLaterError).cause).toBeInstanceOf(TransientError);
    expect(clock.sleeps).toEqual([]);
    expect(zpaCalls()).toHaveLength(1);
  });

  it('timeouts and connection resets on a GET are TransientErrors and are retried', async () => {
    const zpa = zpaClient({ http: { headersTimeoutMs: 300 } });
    sim.setFaults({
      rules: [
        { timeout: 1, maxCount: 1, apis: ['zpa'] },
        { reset: 1, maxCount: 1, apis: ['zpa'] },
      ],
    });
    const id = connectorIds()[0]!;
    expect((await zpa.appConnectors.get(id)).id).toBe(id);
    const faults = zpaCalls().map((e) => e.fault ?? 'ok');
    expect(faults).toEqual(['timeout', 'reset', 'ok']);
  });

  it('edit lock 409 on DELETE is retried; a lock that persists surfaces ConflictError', async () => {
    const zpa = zpaClient();
    const [a, b] = connectorIds();
    sim.setFaults({ editLock: 1, maxCount: 1, apis: ['zpa'] });
    await zpa.appConnectors.delete(a!);
    expect(zpaCalls('DELETE').map((e) => e.status)).toEqual([409, 204]);
    sim.setFaults({ editLock: 1, apis: ['zpa'] });
    await expect(zpa.appConnectors.delete(b!)).rejects.toBeInstanceOf(ConflictError);
    expect(zpaCalls('DELETE').length).toBe(2 + 4);
  });

  it('persistent 500s on DELETE end in TransientError after maxAttempts', async () => {
    const zpa = zpaClient();
    sim.setFaults({ serverError: 1, apis: ['zpa'] });
    await expect(zpa.appConnectors.delete(connectorIds()[0]!)).rejects.toBeInstanceOf(TransientError);
    expect(zpaCalls('DELETE')).toHaveLength(4);
  });
});

describe('POST create is never retried blindly', () => {
  it('applied-then-500: one POST, TransientError, and the group exists (look it up by name next)', async () => {
    const hooks = recordingHooks();
    const zpa = zpaClient({ hooks });
    sim.setFaults({ appliedThenError: 1, maxCount: 1, methods: ['POST'], apis: ['zpa'] });
    const err = await zpa.appConnectorGroups
      .create({ name: 'ambiguous-500', latitude: 1, longitude: 1, location: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(zpaCalls('POST')).toHaveLength(1);
    const found = [];
    for await (const g of zpa.appConnectorGroups.search([
      { field: 'name', op: 'EQ', value: 'ambiguous-500' },
    ]))
      found.push(g);
    expect(found).toHaveLength(1);
    const creates = hooks.befores.filter((c) => c.operation === 'appConnectorGroup.create');
    expect(creates).toEqual([expect.objectContaining({ attempt: 1, idempotent: false, rateClass: 'write' })]);
  });

  it('applied-then-timeout: one POST, TransientError', async () => {
    const zpa = zpaClient({ http: { headersTimeoutMs: 300 } });
    sim.setFaults({ appliedThenTimeout: 1, maxCount: 1, methods: ['POST'], apis: ['zpa'] });
    await expect(
      zpa.pccGroups.create({
        name: 'ambiguous-timeout',
        countryCode: 'US',
        latitude: 1,
        longitude: 1,
        location: 'x',
      }),
    ).rejects.toBeInstanceOf(TransientError);
    expect(zpaCalls('POST')).toHaveLength(1);
  });

  it('a 429 on create is surfaced as RateLimitedError, not repeated', async () => {
    const zpa = zpaClient();
    sim.setFaults({ tooManyRequests: 1, maxCount: 1, methods: ['POST'], apis: ['zpa'] });
    await expect(
      zpa.appConnectorGroups.create({ name: 'limited', latitude: 1, longitude: 1, location: 'x' }),
    ).rejects.toBeInstanceOf(RateLimitedError);
    expect(zpaCalls('POST')).toHaveLength(1);
  });
});

describe('error classes from the server', () => {
  it('404 / 400 resource.not.found → NotFoundError; duplicate name → ValidationError with id and params', async () => {
    const zpa = zpaClient();
    await expect(zpa.appConnectorGroups.get('1')).rejects.toBeInstanceOf(NotFoundError);
    await expect(zpa.appConnectors.delete('1')).rejects.toMatchObject({
      name: 'NotFoundError',
      status: 400,
      id: 'resource.not.found',
    });
    const existing = [...sim.state.appConnectorGroups.values()][0]!;
    const err = await zpa.appConnectorGroups
      .create({ name: existing.name, latitude: 1, longitude: 1, location: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toMatchObject({ status: 400, id: 'duplicate.name' });
  });

  it('ZTW: a real 429 under the DELETE budget carries the body Retry-After; the cap defers the job', async () => {
    // The VM DELETE budget is 1/s; slowed to 1/min here so the Retry-After lies past the 10 s cap.
    sim.setRateLimits({ ztw: { 'ecgroup.delete': [{ limit: 1, windowMs: 60_000 }] } });
    const clock = manualClock();
    const ztw = createZtwClient({
      tenant: simTenant(sim.url, 'legacy'),
      credentials: ztwCredentials(sim.url, 'legacy'),
      clock,
      retry: { maxTotalWaitMs: 10_000 },
    });
    const [group] = [...sim.state.ecGroups.values()];
    const [vm1, vm2] = group!.vms;
    await ztw.deleteVm(group!.id, vm1!.id);
    // The next DELETE must wait ~60 s, past the 10 s cap.
    const err = await ztw.deleteVm(group!.id, vm2!.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLaterError);
    expect((err as RetryLaterError).why).toBe('retry-after');
    expect((err as RetryLaterError).cause).toBeInstanceOf(RateLimitedError);
    expect((err as RetryLaterError).notBefore - clock.now()).toBeGreaterThan(10_000);
    expect(sim.callLog.filter((e) => e.api === 'ztw' && e.method === 'DELETE').map((e) => e.status)).toEqual([
      200, 429,
    ]);
    await ztw.close();
  });
});
