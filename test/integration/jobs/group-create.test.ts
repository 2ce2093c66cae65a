import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, itsm, startHarness } from '../worker/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

const acg = (name: string, extra: Record<string, unknown> = {}) =>
  itsm(
    {
      action: 'appConnectorGroup.create',
      group: { name, latitude: 37.33, longitude: -121.88, location: 'San Jose, CA, USA', ...extra },
    },
    `CHG-${name}`,
  );
const posts = (fragment: string) =>
  h.sim.callLog.filter((e) => e.method === 'POST' && e.path.endsWith(fragment));

describe('appConnectorGroup.create and pccGroup.create', () => {
  it('creates an App Connector group with a version profile resolved by name; a duplicate never POSTs again', async () => {
    const profile = [...h.sim.state.versionProfiles.values()][0]!;
    h.sim.reset();
    const r1 = await h.submit({ ...acg('AWS eu-west-1'), versionProfileName: profile.name } as never);
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    const created = [...h.sim.state.appConnectorGroups.values()].find((g) => g.name === 'AWS eu-west-1');
    expect(created).toMatchObject({ overrideVersionProfile: true, versionProfileId: profile.id });
    expect((await h.store.get(r1.requestId))?.result).toMatchObject({ groupId: created!.id, created: true });
    // The same ticket sent again as a new request: found by name, same configuration, no POST.
    const r2 = await h.submit({ ...acg('AWS eu-west-1'), versionProfileName: profile.name } as never);
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect((await h.store.get(r2.requestId))?.result).toMatchObject({ groupId: created!.id, created: false });
    expect(posts('/appConnectorGroup')).toHaveLength(1);
  });

  it('a name clash with a different configuration fails with the differing fields', async () => {
    h.sim.reset();
    const r = await h.submit(acg('AWS eu-west-1', { location: 'Dublin, Ireland', upgradeDay: 'MONDAY' }));
    await h.deliverNext();
    const rec = await h.store.get(r.requestId);
    expect(rec).toMatchObject({ state: 'FAILED', error: { code: 'name-clash' } });
    expect(rec?.error?.message).toMatch(
      /^App Connector group "AWS eu-west-1" already exists \(id \d+\) with a different configuration: .*location.*upgradeDay.* differ$/,
    );
    expect(posts('/appConnectorGroup')).toHaveLength(0);
  });

  it('an unknown version profile name fails before any write', async () => {
    h.sim.reset();
    const r = await h.submit({ ...acg('with-profile'), versionProfileName: 'No Such Profile' } as never);
    await h.deliverNext();
    expect(await h.store.get(r.requestId)).toMatchObject({
      state: 'FAILED',
      error: { code: 'unknown-version-profile' },
    });
    expect(h.writes()).toEqual([]);
  });

  it('after an ambiguous failure (applied, then 500) it looks the group up instead of POSTing again', async () => {
    h.sim.reset();
    h.sim.setFaults({ appliedThenError: 1, methods: ['POST'], paths: ['/appConnectorGroup'], maxCount: 1 });
    const r = await h.submit(acg('ambiguous-1'));
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    h.sim.setFaults({});
    expect(posts('/appConnectorGroup').map((e) => e.status)).toEqual([500]);
    expect((await h.store.get(r.requestId))?.result).toMatchObject({
      created: true,
      afterAmbiguousFailure: true,
    });
    expect([...h.sim.state.appConnectorGroups.values()].filter((g) => g.name === 'ambiguous-1')).toHaveLength(
      1,
    );
  });

  it('a 500 that did not apply defers the job; its next run looks up first, then POSTs once', async () => {
    h.sim.reset();
    h.sim.setFaults({ serverError: 1, methods: ['POST'], paths: ['/appConnectorGroup'], maxCount: 1 });
    const r = await h.submit(acg('ambiguous-2'));
    expect(await h.deliverNext()).toMatchObject({ kind: 'deferred' });
    h.sim.setFaults({});
    expect(await h.store.get(r.requestId)).toMatchObject({ state: 'DEFERRED', deferrals: 1 });
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(posts('/appConnectorGroup').map((e) => e.status)).toEqual([500, 201]);
    expect([...h.sim.state.appConnectorGroups.values()].filter((g) => g.name === 'ambiguous-2')).toHaveLength(
      1,
    );
  });

  it('creates a PCC group once; a retry finds it by name', async () => {
    h.sim.reset();
    const pcc = itsm({
      action: 'pccGroup.create',
      group: {
        name: 'dc-frankfurt',
        countryCode: 'DE',
        latitude: 50.11,
        longitude: 8.68,
        location: 'Frankfurt, Germany',
      },
    });
    const r1 = await h.submit(pcc);
    const r2 = await h.submit(pcc);
    await h.drain();
    expect(await h.store.get(r1.requestId)).toMatchObject({ state: 'SUCCEEDED', result: { created: true } });
    expect(await h.store.get(r2.requestId)).toMatchObject({ state: 'SUCCEEDED', result: { created: false } });
    expect(posts('/privateCloudControllerGroup')).toHaveLength(1);
  });
});
