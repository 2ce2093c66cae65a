import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, itsm, startHarness } from '../worker/harness.ts';

// Group creation as the documented API behaves: an App Connector group create answer without id,
// names compared without letter case, search strings the server cannot parse, answers of an
// unexpected shape after the group was created, and the retried "busy" answers.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());
beforeEach(() => {
  h.sim.setFaults({});
  h.sim.reset();
});

const acg = (name: string, extra: Record<string, unknown> = {}) =>
  itsm(
    {
      action: 'appConnectorGroup.create',
      group: { name, latitude: 37.33, longitude: -121.88, location: 'San Jose, CA, USA', ...extra },
    },
    `CHG-${name}`,
  );
const byName = (name: string) => [...h.sim.state.appConnectorGroups.values()].filter((g) => g.name === name);
const posts = () => h.sim.callLog.filter((e) => e.method === 'POST' && e.path.endsWith('/appConnectorGroup'));

describe('appConnectorGroup.create against the documented API', () => {
  it('the 201 answer has no id: the group is read back by name and SUCCEEDED names its id', async () => {
    const r = await h.submit(acg('Docs shaped answer'));
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    const [group] = byName('Docs shaped answer');
    expect(group).toBeDefined();
    const post = posts()[0]!;
    expect(post.status).toBe(201);
    // The read-back after the POST: a name search.
    const after = h.sim.callLog.slice(h.sim.callLog.indexOf(post) + 1);
    expect(after.some((e) => e.method === 'GET' && e.query.includes('search=name%20LIKE%20Docs'))).toBe(true);
    expect((await h.store.get(r.requestId))?.result).toMatchObject({ groupId: group!.id, created: true });
  });

  it('a group whose name differs only in case is found: FAILED name-clash saying so, no POST', async () => {
    h.sim.state.addAppConnectorGroup({ name: 'aws us-east-1' });
    h.sim.reset();
    const r = await h.submit(acg('AWS US-East-1'));
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'FAILED' });
    const rec = await h.store.get(r.requestId);
    expect(rec?.error?.code).toBe('name-clash');
    expect(rec?.error?.message).toMatch(/"aws us-east-1".*already exists.*letter case/);
    expect(posts()).toHaveLength(0);
    expect(byName('AWS US-East-1')).toHaveLength(0);
  });

  it('a name the server search rejects (special characters) is looked up by listing every page', async () => {
    const name = 'Lab (eu) & "dev"';
    const r = await h.submit(acg(name));
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    const searches = h.sim.callLog.filter((e) => e.method === 'GET' && e.query.includes('search='));
    expect(searches.length).toBeGreaterThan(0);
    expect(searches.every((e) => e.status === 400)).toBe(true);
    const listings = h.sim.callLog.filter(
      (e) => e.method === 'GET' && e.path.endsWith('/appConnectorGroup') && !e.query.includes('search='),
    );
    expect(listings.length).toBeGreaterThanOrEqual(2); // before the POST, and to read it back
    expect((await h.store.get(r.requestId))?.result).toMatchObject({ groupId: byName(name)[0]!.id });
    // Sent again: found by listing, no second POST.
    await h.submit(acg(name), { state: 'QUEUED' });
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(posts()).toHaveLength(1);
    expect(byName(name)).toHaveLength(1);
  });

  it('a write refused as busy (db.simultaneous.request) is deferred, looked up again, POSTed once', async () => {
    h.sim.setFaults({ simultaneousRequest: 1, maxCount: 1, methods: ['POST'] });
    const r = await h.submit(acg('busy-create'));
    await h.drain();
    expect((await h.store.get(r.requestId))?.state).toBe('SUCCEEDED');
    expect(posts().map((e) => e.fault ?? e.status)).toEqual(['simultaneousRequest', 201]);
    expect(byName('busy-create')).toHaveLength(1);
  });
});
