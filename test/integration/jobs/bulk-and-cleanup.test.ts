import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, itsm, startHarness } from '../worker/harness.ts';

let h: Harness;
let groupId: string;
let otherGroupId: string;
const DAY_S = 86_400;

beforeAll(async () => {
  h = await startHarness({
    config: { worker: { bulkDeleteChunk: 100 }, guardrails: { deletionsPerHour: 1000 } },
  });
  [groupId, otherGroupId] = [...h.sim.state.appConnectorGroups.keys()] as [string, string];
});
afterAll(async () => h?.stop());

const bulkCalls = () =>
  h.sim.callLog.filter((e) => e.method === 'POST' && e.path.endsWith('/connector/bulkDelete'));

describe('appConnector.bulkDelete and appConnector.cleanup', () => {
  it('bulk deletes 250 connectors in chunks of at most 100, reading pages (not 250 GETs)', async () => {
    const made = h.sim.state.addConnectors(groupId, 250, { controlChannelStatus: 'ZPN_STATUS_DISCONNECTED' });
    h.sim.reset();
    const ids = made.map((c) => c.id);
    const r = await h.submit(itsm({ action: 'appConnector.bulkDelete', ids: [...ids, '72057615512700001'] }));
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(bulkCalls().map((e) => e.status)).toEqual([200, 200, 200]);
    expect(ids.some((id) => h.sim.state.connectors.has(id))).toBe(false);
    expect((await h.store.get(r.requestId))?.result).toMatchObject({
      deleted: 250,
      calls: 3,
      alreadyGone: 1,
    });
    expect(h.sim.callLog.filter((e) => e.method === 'GET' && /\/connector\/\d+$/.test(e.path))).toHaveLength(
      0,
    );
  });

  it('bulk delete is refused whole when one id is protected, and when ids are outside the given group', async () => {
    const a = h.sim.state.addConnector({
      groupId,
      name: 'keep-me DO NOT DELETE',
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
    });
    const b = h.sim.state.addConnector({
      groupId,
      name: 'plain',
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
    });
    const r1 = await h.submit(itsm({ action: 'appConnector.bulkDelete', ids: [a.id, b.id] }));
    const r2 = await h.submit(
      itsm({ action: 'appConnector.bulkDelete', ids: [b.id], groupId: otherGroupId }),
    );
    h.sim.reset();
    await h.drain();
    expect(bulkCalls()).toHaveLength(0);
    expect(await h.store.get(r1.requestId)).toMatchObject({
      state: 'REJECTED',
      stateReason: 'guardrail:protected-name',
    });
    expect(await h.store.get(r2.requestId)).toMatchObject({
      state: 'FAILED',
      error: { code: 'wrong-group' },
    });
    expect(h.sim.state.connectors.has(a.id) && h.sim.state.connectors.has(b.id)).toBe(true);
  });

  it('cleanup finds connectors disconnected longer than the duration with the docs search, skips protected ones', async () => {
    const now = Math.floor(h.clock.now() / 1000);
    const old = h.sim.state.addConnectors(otherGroupId, 3, {
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
      lastBrokerDisconnectTime: now - 20 * DAY_S,
    });
    const recent = h.sim.state.addConnector({
      groupId: otherGroupId,
      name: 'recent',
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
      lastBrokerDisconnectTime: now - 2 * DAY_S,
    });
    const guarded = h.sim.state.addConnector({
      groupId: otherGroupId,
      name: 'Do Not Delete - lab',
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
      lastBrokerDisconnectTime: now - 30 * DAY_S,
    });
    const connected = h.sim.state.addConnector({
      groupId: otherGroupId,
      name: 'up',
      lastBrokerDisconnectTime: now - 30 * DAY_S,
    });
    const elsewhere = h.sim.state.addConnector({
      groupId,
      name: 'old-other-group',
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
      lastBrokerDisconnectTime: now - 30 * DAY_S,
    });
    h.sim.reset();
    const r = await h.submit(
      itsm({ action: 'appConnector.cleanup', disconnectedFor: '15d', groupId: otherGroupId }),
    );
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    const search = h.sim.callLog.find((e) => e.method === 'GET' && e.query.includes('search='));
    expect(search?.query).toContain(
      'search=controlChannelStatus%20EQ%20ZPN_STATUS_DISCONNECTED%20AND%20lastBrokerDisconnectTimeDuration%20GT%2015d',
    );
    for (const c of old) expect(h.sim.state.connectors.has(c.id)).toBe(false);
    for (const c of [recent, guarded, connected, elsewhere])
      expect(h.sim.state.connectors.has(c.id)).toBe(true);
    expect((await h.store.get(r.requestId))?.result).toMatchObject({ deleted: 3 });
    const excluded = (await h.trail(r.requestId)).filter(
      (e) => e.type === 'guardrail' && e.detail?.decision === 'excluded',
    );
    expect(excluded).toHaveLength(1);
    expect(String(excluded[0]?.detail?.reason)).toMatch(/Do Not Delete - lab.*protected name pattern/);
  });

  it('a cleanup whose bulk delete landed but answered 500 names the removed connectors when it runs again', async () => {
    const now = Math.floor(h.clock.now() / 1000);
    const old = h.sim.state.addConnectors(otherGroupId, 3, {
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
      lastBrokerDisconnectTime: now - 40 * DAY_S,
    });
    h.sim.reset();
    h.sim.setFaults({
      appliedThenError: 1,
      methods: ['POST'],
      paths: ['/connector/bulkDelete'],
      maxCount: 1,
    });
    const r = await h.submit(
      itsm({ action: 'appConnector.cleanup', disconnectedFor: '30d', groupId: otherGroupId }),
    );
    // The bulk delete removed them, then answered 500: the run defers, keeping the ids it sent.
    expect(await h.deliverNext()).toMatchObject({ kind: 'deferred' });
    h.sim.setFaults({});
    for (const c of old) expect(h.sim.state.connectors.has(c.id)).toBe(false);
    expect((await h.store.get(r.requestId))?.result).toMatchObject({
      sentIds: expect.arrayContaining(old.map((c) => c.id)),
    });
    // The search no longer finds them; each is read back as gone and named in the result (before the
    // fix this ended SUCCEEDED with deleted: 0, telling the ticket nothing was removed).
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    const result = (await h.store.get(r.requestId))?.result;
    expect(result).toMatchObject({ deleted: 3 });
    expect([...((result?.ids as string[]) ?? [])].sort()).toEqual(old.map((c) => c.id).sort());
    expect(bulkCalls()).toHaveLength(1);
  });

  it('cleanup with nothing to delete succeeds with no write', async () => {
    h.sim.reset();
    await h.submit(itsm({ action: 'appConnector.cleanup', disconnectedFor: '365d' }));
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(h.writes()).toEqual([]);
  });
});
