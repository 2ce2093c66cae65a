import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, NotFoundError } from '../../../shared/zscaler/errors.ts';
import { closeAll, createZtwClient } from '../../../shared/zscaler/factory.ts';
import { type RunningSimulator, startSimulator } from '../../../simulator/index.ts';
import { collect, manualClock, recordingHooks, simTenant, ztwCredentials } from './sim-setup.ts';

let sim: RunningSimulator;
const clock = manualClock();

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    seed: { connectors: 10, groups: 2, ecGroups: 25, vmsPerGroup: 2 },
    rateLimits: false,
    clock,
  });
});
afterAll(async () => {
  await closeAll();
  await sim.stop();
});

const logins = () =>
  sim.callLog.filter((e) => e.api === 'auth' && e.method === 'POST' && e.path === '/api/v1/auth');

describe('Cloud & Branch Connector, legacy session', () => {
  it('pages /ecgroup (bare arrays) until a short page, one shared session for concurrent callers', async () => {
    sim.reset();
    const hooks = recordingHooks();
    const ztw = createZtwClient({
      tenant: simTenant(sim.url, 'legacy'),
      credentials: ztwCredentials(sim.url, 'legacy'),
      clock,
      hooks,
    });
    const [a, b] = await Promise.all([
      collect(ztw.listEcGroups({ pageSize: 10 })),
      collect(ztw.listEcGroups({ pageSize: 10 })),
    ]);
    expect(a.length).toBe(25);
    expect(b.map((g) => g.id)).toEqual(a.map((g) => g.id));
    expect(typeof a[0]!.id).toBe('number');
    expect(logins()).toHaveLength(1);
    const pages = sim.callLog
      .filter((e) => e.api === 'ztw' && e.path === '/api/v1/ecgroup')
      .map((e) => e.query);
    expect(pages.filter((q) => q === 'page=3&pageSize=10')).toHaveLength(2);
    expect(pages.some((q) => q.startsWith('page=4'))).toBe(false);
    expect(new Set(hooks.befores.map((c) => `${c.operation}:${c.rateClass}`))).toEqual(
      new Set(['ztw.login:none', 'ecGroup.list:read']),
    );
    await ztw.close();
  });

  it('gets a group and a VM, deletes a VM, activates, verifies 404; deletes by instance id', async () => {
    sim.reset();
    const hooks = recordingHooks();
    const ztw = createZtwClient({
      tenant: simTenant(sim.url, 'legacy'),
      credentials: ztwCredentials(sim.url, 'legacy'),
      clock,
      hooks,
    });
    const [group] = [...sim.state.ecGroups.values()];
    const [vm1, vm2] = group!.vms;
    expect((await ztw.getEcGroup(group!.id)).id).toBe(group!.id);
    expect((await ztw.getVm(group!.id, vm1!.id)).name).toBe(vm1!.name);

    expect((await ztw.getVmByInstanceId(vm2!.vmInstanceId)).id).toBe(vm2!.id);
    await ztw.deleteVm(group!.id, vm1!.id);
    await ztw.deleteVmByInstanceId(vm2!.vmInstanceId);
    const activated = await ztw.activate();
    // The PUT answers while the activation runs (3 s): the VMs read 200 until it is done.
    expect(activated?.adminActivateStatus).toBe('ADM_ACTIVATING');
    expect((await ztw.getVm(group!.id, vm1!.id)).id).toBe(vm1!.id);
    clock.advance(3_000);
    const status = await ztw.activationStatus();
    expect(status.adminActivateStatus).toBe('ADM_ACTV_DONE');
    await expect(ztw.getVm(group!.id, vm1!.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(ztw.getVmByInstanceId(vm2!.vmInstanceId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(ztw.getVm(group!.id, vm2!.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(ztw.deleteVmByInstanceId('i-0doesnotexist')).rejects.toBeInstanceOf(NotFoundError);

    const classes = hooks.befores.map((c) => `${c.method} ${c.operation}:${c.rateClass}`);
    expect(classes).toContain('DELETE ecVm.delete:delete');
    expect(classes).toContain('DELETE ecVm.deleteByInstanceId:delete');
    expect(classes).toContain('PUT ecAdminActivateStatus.activate:activate');
    expect(classes).toContain('GET ecAdminActivateStatus.get:read');

    await ztw.close();
    const logout = sim.callLog.filter((e) => e.method === 'DELETE' && e.path === '/api/v1/auth');
    expect(logout.map((e) => e.status)).toEqual([200]);
  });

  it('re-authenticates only on 401 SESSION_NOT_VALID (idle expiry), then repeats the call once', async () => {
    sim.reset();
    const ztw = createZtwClient({
      tenant: simTenant(sim.url, 'legacy'),
      credentials: ztwCredentials(sim.url, 'legacy'),
      clock,
    });
    await ztw.activationStatus();
    clock.advance(29 * 60_000);
    await ztw.activationStatus();
    expect(logins()).toHaveLength(1);
    clock.advance(31 * 60_000);
    await ztw.activationStatus();
    expect(logins()).toHaveLength(2);
    const statuses = sim.callLog.filter((e) => e.api === 'ztw').map((e) => e.status);
    expect(statuses).toEqual([200, 200, 401, 200]);
    await ztw.close();
  });

  it('a session the server keeps rejecting right after sign-in ends in AuthError after two re-auths in a row', async () => {
    sim.reset();
    const ztw = createZtwClient({
      tenant: simTenant(sim.url, 'legacy'),
      credentials: ztwCredentials(sim.url, 'legacy'),
      clock,
    });
    sim.setFaults({ expiredAuth: 1, apis: ['ztw'] });
    const err = await ztw.activationStatus().catch((e: unknown) => e);
    sim.setFaults({});
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).id).toBe('SESSION_NOT_VALID');
    expect(logins()).toHaveLength(3);
  });

  it('bad credentials: 400 INVALID_USERNAME_OR_PASSWORD → AuthError', async () => {
    sim.reset();
    const creds = { ...ztwCredentials(sim.url, 'legacy'), password: 'not-the-password' };
    const ztw = createZtwClient({ tenant: simTenant(sim.url, 'legacy'), credentials: creds, clock });
    const err = await ztw.activationStatus().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).id).toBe('INVALID_USERNAME_OR_PASSWORD');
    expect((err as Error).message).not.toContain('not-the-password');
  });
});

describe('Cloud & Branch Connector, OneAPI bearer', () => {
  it('lists groups and gets a VM with a token; renews on 401', async () => {
    sim.reset();
    const ztw = createZtwClient({
      tenant: simTenant(sim.url, 'oneapi'),
      credentials: ztwCredentials(sim.url, 'oneapi'),
      clock,
    });
    const groups = await collect(ztw.listEcGroups());
    expect(groups.length).toBe(sim.state.ecGroups.size);
    const g = groups.find((x) => (x.ecVMs?.length ?? 0) > 0)!;
    sim.setFaults({ expiredAuth: 1, maxCount: 1, apis: ['ztw'] });
    expect((await ztw.getVm(g.id, g.ecVMs![0]!.id)).id).toBe(g.ecVMs![0]!.id);
    sim.setFaults({});
    expect(sim.callLog.filter((e) => e.path === '/oauth2/v1/token')).toHaveLength(2);
    expect(sim.callLog.filter((e) => e.api === 'ztw').every((e) => e.path.startsWith('/ztw/api/v1/'))).toBe(
      true,
    );
    expect(logins()).toHaveLength(0);
    await ztw.close();
  });
});

describe('Cloud & Branch Connector rate limit keys', () => {
  it('each call spends its endpoint family budget (ecVmUuid.delete, ecAdminActivateStatus.get, …)', async () => {
    sim.reset();
    const { keyOf } = await import('../../../shared/ratelimit/hooks.ts');
    const { formatKey } = await import('../../../shared/ratelimit/key.ts');
    const hooks = recordingHooks();
    const ztw = createZtwClient({
      tenant: simTenant(sim.url, 'legacy'),
      credentials: ztwCredentials(sim.url, 'legacy'),
      clock,
      hooks,
    });
    const [group] = [...sim.state.ecGroups.values()];
    const vm = sim.state.addEcVm(group!.id);
    await ztw.getVmByInstanceId(vm.vmInstanceId);
    await ztw.getVm(group!.id, vm.id);
    await ztw.deleteVmByInstanceId(vm.vmInstanceId);
    await ztw.activate();
    await ztw.activationStatus();
    await collect(ztw.listEcGroups());
    await ztw.close();
    const keys = hooks.befores.map((c) => {
      const k = keyOf(c);
      return k ? formatKey(k) : `${c.operation}:unlimited`;
    });
    expect(keys).toEqual([
      'ztw.login:unlimited',
      'sim/ztw/ecVmUuid.get',
      'sim/ztw/ecgroup.get',
      'sim/ztw/ecVmUuid.delete',
      'sim/ztw/ecAdminActivateStatusActivate.put',
      'sim/ztw/ecAdminActivateStatus.get',
      'sim/ztw/ecgroup.get',
      'ztw.logout:unlimited',
    ]);
  });
});
