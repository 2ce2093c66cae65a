import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../../shared/zscaler/errors.ts';
import { closeAll, createZpaClient } from '../../../shared/zscaler/factory.ts';
import { type RunningSimulator, startSimulator } from '../../../simulator/index.ts';
import { manualClock, recordingHooks, simTenant, zpaCredentials } from './sim-setup.ts';

let sim: RunningSimulator;
const clock = manualClock();

// Tokens are shared per tenant and credentials in a process; each test starts without any.
beforeEach(async () => {
  await closeAll();
});

beforeAll(async () => {
  // The simulator and the clients share one manual clock, so token lifetimes pass on demand.
  sim = await startSimulator({ port: 0, seed: 'docs', rateLimits: false, clock, tokenTtlSeconds: 3600 });
});
afterAll(async () => {
  await closeAll();
  await sim.stop();
});

const signIns = (path: string) => sim.callLog.filter((e) => e.api === 'auth' && e.path === path).length;
const someConnectorId = () => [...sim.state.connectors.keys()][0]!;

describe.each(['legacy', 'oneapi'] as const)('ZPA %s auth', (mode) => {
  const tokenPath = mode === 'legacy' ? '/signin' : '/oauth2/v1/token';
  const apiPrefix = mode === 'legacy' ? '/mgmtconfig/' : '/zpa/mgmtconfig/';

  it('signs in once for concurrent callers and reuses the token', async () => {
    sim.reset();
    const zpa = createZpaClient({
      tenant: simTenant(sim.url, mode),
      credentials: zpaCredentials(sim.url, mode),
      clock,
    });
    const id = someConnectorId();
    await Promise.all([zpa.appConnectors.get(id), zpa.appConnectors.get(id), zpa.appConnectors.get(id)]);
    await zpa.appConnectors.get(id);
    expect(signIns(tokenPath)).toBe(1);
    expect(sim.callLog.filter((e) => e.api === 'zpa').every((e) => e.path.startsWith(apiPrefix))).toBe(true);
    expect(sim.callLog.filter((e) => e.api === 'zpa').map((e) => e.status)).toEqual([200, 200, 200, 200]);
  });

  it('shares one token among the clients of a tenant (a worker builds one client per job)', async () => {
    sim.reset();
    const make = (name = 'sim') =>
      createZpaClient({
        tenant: simTenant(sim.url, mode, name),
        credentials: zpaCredentials(sim.url, mode),
        clock,
      });
    const id = someConnectorId();
    await make().appConnectors.get(id);
    await make().appConnectors.get(id);
    expect(signIns(tokenPath)).toBe(1);
    // Another tenant name is another budget and another token, even with the same credentials.
    await make('other').appConnectors.get(id);
    expect(signIns(tokenPath)).toBe(2);
  });

  it('renews shortly before expiry (60 s margin)', async () => {
    sim.reset();
    const zpa = createZpaClient({
      tenant: simTenant(sim.url, mode),
      credentials: zpaCredentials(sim.url, mode),
      clock,
    });
    await zpa.appConnectors.get(someConnectorId());
    clock.advance(3_600_000 - 61_000);
    await zpa.appConnectors.get(someConnectorId());
    expect(signIns(tokenPath)).toBe(1);
    clock.advance(2_000);
    await zpa.appConnectors.get(someConnectorId());
    expect(signIns(tokenPath)).toBe(2);
    expect(sim.callLog.some((e) => e.status === 401)).toBe(false);
  });

  it('on a 401 renews once and repeats the call', async () => {
    sim.reset();
    const hooks = recordingHooks();
    const zpa = createZpaClient({
      tenant: simTenant(sim.url, mode),
      credentials: zpaCredentials(sim.url, mode),
      clock,
      hooks,
    });
    await zpa.appConnectors.get(someConnectorId());
    // The server forgets the token on the next call and answers 401.
    sim.setFaults({ expiredAuth: 1, maxCount: 1, apis: ['zpa'] });
    await zpa.appConnectors.get(someConnectorId());
    sim.setFaults({});
    expect(signIns(tokenPath)).toBe(2);
    const gets = sim.callLog.filter((e) => e.api === 'zpa').map((e) => e.status);
    expect(gets).toEqual([200, 401, 200]);
    const attempts = hooks.afters
      .filter((r) => r.call.operation === 'appConnector.get')
      .map((r) => [r.call.attempt, r.status, r.errorClass]);
    expect(attempts).toEqual([
      [1, 200, undefined],
      [1, 401, 'ExpiredCredentialError'],
      [2, 200, undefined],
    ]);
  });

  it('a token the server keeps rejecting right after issue ends in AuthError after two renewals in a row', async () => {
    sim.reset();
    const zpa = createZpaClient({
      tenant: simTenant(sim.url, mode),
      credentials: zpaCredentials(sim.url, mode),
      clock,
    });
    sim.setFaults({ expiredAuth: 1, apis: ['zpa'] });
    await expect(zpa.appConnectors.get(someConnectorId())).rejects.toBeInstanceOf(AuthError);
    sim.setFaults({});
    expect(signIns(tokenPath)).toBe(3);
    expect(sim.callLog.filter((e) => e.api === 'zpa').length).toBe(3);
  });

  it('bad credentials are an AuthError without the secret in the message', async () => {
    const creds = { ...zpaCredentials(sim.url, mode), clientSecret: 'wrong-secret-value' };
    const zpa = createZpaClient({ tenant: simTenant(sim.url, mode), credentials: creds, clock });
    const err = await zpa.appConnectors.get(someConnectorId()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(String((err as Error).message)).not.toContain('wrong-secret-value');
  });
});

describe('OneAPI token refusals', () => {
  it('an OAuth refusal {error, error_description} is named in the AuthError, never the secret', async () => {
    sim.reset();
    const creds = { ...zpaCredentials(sim.url, 'oneapi'), clientSecret: 'oneapi-wrong-secret' };
    const zpa = createZpaClient({ tenant: simTenant(sim.url, 'oneapi'), credentials: creds, clock });
    const err = await zpa.appConnectors.get(someConnectorId()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).id).toBe('invalid_client');
    expect((err as Error).message).toMatch(/401 invalid_client: \S/);
    expect((err as Error).message).not.toContain('oneapi-wrong-secret');
    // A refusal is final: one token request, no API call.
    expect(signIns('/oauth2/v1/token')).toBe(1);
    expect(sim.callLog.filter((e) => e.api === 'zpa')).toHaveLength(0);
  });
});
