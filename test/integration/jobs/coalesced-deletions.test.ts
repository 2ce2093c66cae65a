import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryLifecycleCompleter } from '../../../shared/intake/lifecycle-completer.ts';
import { DeletionCoalescer } from '../../../shared/jobs/deletion-coalescer.ts';
import type { ConnectorRecord } from '../../../simulator/index.ts';
import { type Harness, itsm, startHarness, TENANT } from '../worker/harness.ts';

/**
 * Deletions of a tenant arriving together share one paged listing and bulk deletes (worker
 * `deletionWindowMs`), while each request keeps its own guardrails, audit and truthful outcome.
 */
let h: Harness;
let groupId: string;
let seq = 0;
const WINDOW_MS = 2_000;
const lifecycle = new MemoryLifecycleCompleter();

beforeAll(async () => {
  h = await startHarness({ config: { worker: { deletionWindowMs: WINDOW_MS } } });
  [groupId] = [...h.sim.state.appConnectorGroups.keys()] as [string];
  h.deps.services = { lifecycle };
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  h.sim.reset();
  h.sim.setFaults({});
  // Every test starts after a quiet spell (no round open, no deletion lately) and under the cap.
  h.clock.advance(3_600_000);
});

function connector(opts: Partial<ConnectorRecord> = {}) {
  seq++;
  return h.sim.state.addConnector({
    groupId,
    name: `edge-${seq}`,
    privateIp: `10.30.${Math.floor(seq / 250)}.${(seq % 250) + 1}`,
    controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
    ...opts,
  });
}

const deleteById = (id: string) => itsm({ action: 'appConnector.delete', connector: { id } }, `CHG-${id}`);
const stateOf = async (requestId: string) => (await h.store.get(requestId))?.state;
const bulkBodies = () =>
  h.sim.callLog
    .filter((e) => e.method === 'POST' && e.path.endsWith('/connector/bulkDelete'))
    .map((e) => e.status);
const zpaCalls = () => h.sim.callLog.filter((e) => e.api === 'zpa');

describe('coalesced App Connector deletions (simulator, dynalite, the worker run loop)', () => {
  it('a burst of deletions: the first goes alone, the rest share one listing and one bulk delete, each read back gone', async () => {
    const cs = Array.from({ length: 8 }, () => connector());
    const rs = [];
    for (const c of cs) rs.push(await h.submit(deleteById(c.id)));
    await h.drain({ max: 60 });

    for (const r of rs) expect(await stateOf(r.requestId)).toBe('SUCCEEDED');
    for (const c of cs) expect(h.sim.state.connectors.has(c.id)).toBe(false);
    const writes = h.writes();
    // Two went alone (the first lookup, the first deletion after it), six in one bulk delete.
    expect(writes.filter((w) => w.startsWith('DELETE'))).toHaveLength(2);
    expect(writes.filter((w) => w.startsWith('POST') && w.endsWith('/connector/bulkDelete'))).toHaveLength(1);
    expect(bulkBodies()).toEqual([200]);
    // One by one these would be 8 GET (lookup) + 8 DELETE + 8 GET (confirm).
    expect(zpaCalls().length).toBeLessThan(12);

    // A follower names the shared calls and who made them; its guardrails were its own.
    const last = rs.at(-1)!;
    const rec = await h.store.get(last.requestId);
    expect(rec?.result).toMatchObject({
      deleted: cs.at(-1)!.id,
      confirmed: true,
      sharedCall: expect.any(Object),
    });
    const leader = (rec!.result as { sharedCall: { leader: string } }).sharedCall.leader;
    const trail = await h.trail(last.requestId);
    const shared = trail.filter((e) => e.type === 'state' && e.detail?.coalesced);
    expect(shared.map((e) => (e.detail!.coalesced as { phase: string }).phase)).toEqual(['lookup', 'delete']);
    const del = shared[1]!.detail!.coalesced as { calls: string[]; leader: string; members: number };
    expect(del.calls).toEqual([
      'POST /connector/bulkDelete (chunk 1 of 1, 6 ids)',
      'GET /connector (paged listing, 1 page)',
    ]);
    expect(del.leader).toBe(leader);
    expect(trail.filter((e) => e.type === 'guardrail').map((e) => e.detail?.rule)).toEqual(['deletion-cap']);
    if (leader !== last.requestId) {
      // The leader's own trail holds the call itself; the follower's holds none of it.
      expect(
        trail.some((e) => e.type === 'zscaler.call' && String(e.detail?.path).includes('bulkDelete')),
      ).toBe(false);
      const leaderTrail = await h.trail(leader);
      expect(
        leaderTrail.some((e) => e.type === 'zscaler.call' && String(e.detail?.path).includes('bulkDelete')),
      ).toBe(true);
    }
  });

  it('guardrails stay per request: a protected and a connected connector in the burst are REJECTED and kept, the others deleted', async () => {
    const ok = [connector(), connector(), connector(), connector()];
    const protectedOne = connector({ name: `edge-${seq} do not delete` });
    const connected = connector({ controlChannelStatus: 'ZPN_STATUS_AUTHENTICATED' });
    const all = [ok[0]!, protectedOne, ok[1]!, connected, ok[2]!, ok[3]!];
    const rs = new Map<string, string>();
    for (const c of all) rs.set(c.id, (await h.submit(deleteById(c.id))).requestId);
    await h.drain({ max: 60 });

    expect(await stateOf(rs.get(protectedOne.id)!)).toBe('REJECTED');
    expect(await stateOf(rs.get(connected.id)!)).toBe('REJECTED');
    expect(h.sim.state.connectors.has(protectedOne.id)).toBe(true);
    expect(h.sim.state.connectors.has(connected.id)).toBe(true);
    for (const c of ok) {
      expect(await stateOf(rs.get(c.id)!)).toBe('SUCCEEDED');
      expect(h.sim.state.connectors.has(c.id)).toBe(false);
    }
    const rejected = await h.store.get(rs.get(protectedOne.id)!);
    expect(rejected?.error?.code).toBe('guardrail:protected-name');
    expect((await h.store.get(rs.get(connected.id)!))?.error?.code).toBe('guardrail:force');
  });

  it('the hourly cap stays per request: past it a request of the burst waits HELD and its connector stays', async () => {
    await h.stop();
    h = await startHarness({
      config: { worker: { deletionWindowMs: WINDOW_MS }, guardrails: { deletionsPerHour: 3 } },
    });
    [groupId] = [...h.sim.state.appConnectorGroups.keys()] as [string];
    const cs = Array.from({ length: 5 }, () => connector());
    const rs = [];
    for (const c of cs) rs.push(await h.submit(deleteById(c.id)));
    await h.drain({ max: 60 });
    const states = await Promise.all(rs.map((r) => stateOf(r.requestId)));
    expect(states.filter((s) => s === 'SUCCEEDED')).toHaveLength(3);
    expect(states.filter((s) => s === 'HELD')).toHaveLength(2);
    const held = cs.filter((_, i) => states[i] === 'HELD');
    for (const c of held) expect(h.sim.state.connectors.has(c.id)).toBe(true);
    expect(h.sim.state.connectors.size).toBe(2);
    // The other tests run under the default cap again.
    await h.stop();
    h = await startHarness({ config: { worker: { deletionWindowMs: WINDOW_MS } } });
    [groupId] = [...h.sim.state.appConnectorGroups.keys()] as [string];
    h.deps.services = { lifecycle };
  });

  it('a bulk answer that cannot confirm (the API refused the chunk) sends each member to settle alone: truthful per connector', async () => {
    const cs = Array.from({ length: 5 }, () => connector());
    // Zscaler Deception's connector cannot be deleted: the bulk call refuses the whole chunk (400).
    const deception = cs[3]!;
    h.sim.state.connectors.get(deception.id)!.deception = true;
    const rs = [];
    for (const c of cs) rs.push(await h.submit(deleteById(c.id)));
    await h.drain({ max: 60 });

    const states = await Promise.all(rs.map((r) => stateOf(r.requestId)));
    expect(states).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'FAILED', 'SUCCEEDED']);
    expect(h.sim.state.connectors.has(deception.id)).toBe(true);
    // The refused bulk delete, then each member's own DELETE.
    expect(bulkBodies()).toEqual([400]);
    const deletes = h.writes().filter((w) => w.startsWith('DELETE'));
    expect(deletes).toHaveLength(5);
    const failed = await h.store.get(rs[3]!.requestId);
    expect(failed?.error?.message).toMatch(/Deception/);
    const trail = await h.trail(rs[4]!.requestId);
    expect(trail.find((e) => e.type === 'state' && e.detail?.outcome)?.detail?.outcome).toBe(
      'not confirmed by the shared calls',
    );
  });

  it('a bulk delete applied but answered 500 is read back gone by the listing: no member repeats it', async () => {
    const cs = Array.from({ length: 5 }, () => connector());
    h.sim.setFaults({
      appliedThenError: 1,
      methods: ['POST'],
      paths: ['/connector/bulkDelete'],
      maxCount: 1,
    });
    const rs = [];
    for (const c of cs) rs.push(await h.submit(deleteById(c.id)));
    await h.drain({ max: 60 });
    for (const r of rs) expect(await stateOf(r.requestId)).toBe('SUCCEEDED');
    for (const c of cs) expect(h.sim.state.connectors.has(c.id)).toBe(false);
    expect(bulkBodies()).toEqual([500]);
    // Only the two that went alone sent a DELETE of their own.
    expect(h.writes().filter((w) => w.startsWith('DELETE'))).toHaveLength(2);
  });

  it('a leader that crashed after claiming: its members settle alone once the claim ends; nothing is lost or claimed falsely', async () => {
    const cs = Array.from({ length: 5 }, () => connector());
    const rs = [];
    for (const c of cs) rs.push(await h.submit(deleteById(c.id)));
    // Run until every follower joined the delete round (the first two went alone).
    for (let i = 0; i < 30; i++) {
      const joined = await Promise.all(rs.slice(2).map((r) => h.store.get(r.requestId)));
      if (joined.every((x) => x?.state === 'DEFERRED' && x.result?.deleteRound)) break;
      await h.deliverNext();
    }
    const crashed = (await h.store.get(rs[2]!.requestId))!;
    const round = crashed.result?.deleteRound as string;
    // Its run claims the round, then dies before the bulk call (or after it: nobody can tell).
    const coalescer = new DeletionCoalescer(h.control, 'delete');
    const closesAt = h.clock.now() + WINDOW_MS;
    h.clock.advance(WINDOW_MS);
    expect(await coalescer.step(round, crashed.requestId, h.clock.now())).toMatchObject({ kind: 'lead' });
    // ...and, to make it harder, one of the connectors is gone already (its bulk call may have landed).
    h.sim.state.removeConnector(cs[4]!.id);
    expect(closesAt).toBeLessThanOrEqual(h.clock.now());

    await h.drain({ max: 80 });
    for (const r of rs) expect(await stateOf(r.requestId)).toBe('SUCCEEDED');
    for (const c of cs) expect(h.sim.state.connectors.has(c.id)).toBe(false);
    expect(bulkBodies()).toEqual([]);
    const last = await h.store.get(rs[4]!.requestId);
    expect(last?.result).toMatchObject({ deleted: cs[4]!.id, confirmed: true, alreadyGone: true });
  });
});

describe('a crashed lookup leader', () => {
  it('its members look their connectors up alone once its claim ends, and each deletion still reads back gone', async () => {
    const cs = Array.from({ length: 4 }, () => connector());
    const rs = [];
    for (const c of cs) rs.push(await h.submit(deleteById(c.id)));
    // The first goes alone (run now); the other three join one lookup round.
    await h.deliverNext();
    for (let i = 0; i < 3; i++) await h.deliverNext();
    const member = (await h.store.get(rs[1]!.requestId))!;
    const round = member.result?.lookupRound as string;
    expect(round).toEqual(expect.any(String));
    // Its run claims the round and dies before listing.
    h.clock.advance(WINDOW_MS);
    const coalescer = new DeletionCoalescer(h.control, 'lookup');
    expect(await coalescer.step(round, member.requestId, h.clock.now())).toMatchObject({ kind: 'lead' });

    await h.drain({ max: 80 });
    for (const r of rs) expect(await stateOf(r.requestId)).toBe('SUCCEEDED');
    for (const c of cs) expect(h.sim.state.connectors.has(c.id)).toBe(false);
    // No shared listing answered them: each looked its connector up alone (GET connector/{id}).
    for (const r of rs.slice(1)) {
      const trail = await h.trail(r.requestId);
      const phases = trail
        .filter((e) => e.type === 'state' && e.detail?.coalesced)
        .map((e) => (e.detail!.coalesced as { phase: string }).phase);
      expect(phases).not.toContain('lookup');
    }
    for (const c of cs) {
      expect(zpaCalls().some((e) => e.method === 'GET' && e.path.endsWith(`/connector/${c.id}`))).toBe(true);
    }
  });
});

describe('coalesced teardown burst', () => {
  it('a scale-in of 12 instances: lifecycles completed, one shared listing, one bulk delete for the followers, all read back gone', async () => {
    const instances = Array.from({ length: 12 }, (_, i) => {
      const c = connector({ name: `asg-${seq}` });
      const instanceId = `i-0burst${String(i).padStart(10, '0')}`;
      return {
        c,
        request: {
          action: 'appConnector.teardown',
          tenant: TENANT,
          reason: 'scale-in',
          source: { kind: 'autoscaling', name: 'asg', ref: instanceId },
          provider: 'aws',
          instanceId,
          groupId,
          privateIp: c.privateIp,
          lifecycle: {
            asgName: 'zpa-connectors',
            hookName: 'zcops-teardown',
            token: `tok-${i}-aaaa-bbbb`,
            instanceId,
          },
        },
      };
    });
    const done = lifecycle.completed.length;
    const rs = [];
    for (const t of instances) rs.push(await h.submit(t.request as never));
    await h.drain({ max: 120 });

    for (const r of rs) expect(await stateOf(r.requestId)).toBe('SUCCEEDED');
    for (const t of instances) expect(h.sim.state.connectors.has(t.c.id)).toBe(false);
    expect(lifecycle.completed.length - done).toBe(12);
    const reads = zpaCalls().filter((e) => e.method === 'GET');
    const writes = h.writes();
    // One by one: 12 × (GET group + GET connector + DELETE + GET) = 36 reads, 12 writes.
    expect(writes.length).toBeLessThanOrEqual(3);
    expect(reads.length).toBeLessThanOrEqual(8);
    const result = (await h.store.get(rs.at(-1)!.requestId))?.result;
    expect(result).toMatchObject({ lifecycleDone: true, confirmed: true, deleted: instances.at(-1)!.c.id });
  });
});
