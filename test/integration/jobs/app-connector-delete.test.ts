import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, itsm, startHarness } from '../worker/harness.ts';

let h: Harness;
let groupId: string;
let otherGroupId: string;

beforeAll(async () => {
  h = await startHarness();
  [groupId, otherGroupId] = [...h.sim.state.appConnectorGroups.keys()] as [string, string];
});
afterAll(async () => h?.stop());

const disconnected = { controlChannelStatus: 'ZPN_STATUS_DISCONNECTED' as const };

describe('appConnector.delete against the simulator (ZPA legacy auth), dynalite stores', () => {
  it('deletes by id, confirms with a GET, audits plan, guardrails and every call', async () => {
    const c = h.sim.state.addConnector({ groupId, name: 'edge-del-1', ...disconnected });
    h.sim.reset();
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }));
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(h.sim.state.connectors.has(c.id)).toBe(false);
    expect(h.writes()).toEqual([
      `DELETE /mgmtconfig/v1/admin/customers/${h.sim.state.customerId}/connector/${c.id}`,
    ]);
    const gets = h.sim.callLog.filter((e) => e.method === 'GET' && e.path.endsWith(`/connector/${c.id}`));
    // Gone: ZPA answers 400 resource.not.found (the client's NotFoundError).
    expect(gets.map((e) => e.status)).toEqual([200, 400]);
    const record = await h.store.get(r.requestId);
    expect(record?.result).toMatchObject({ deleted: c.id, confirmed: true });
    const trail = await h.trail(r.requestId);
    const types = trail.map((e) => e.type);
    expect(types).toContain('planned');
    expect(types).toContain('guardrail');
    expect(types.at(-1)).toBe('succeeded');
    const planned = trail.find((e) => e.type === 'planned');
    expect(planned?.detail?.calls).toEqual([
      expect.objectContaining({ method: 'DELETE', path: `/connector/${c.id}`, write: true }),
      expect.objectContaining({ method: 'GET', path: `/connector/${c.id}`, write: false }),
    ]);
    expect(trail.filter((e) => e.type === 'zscaler.call').length).toBeGreaterThanOrEqual(3);
  });

  it('deletes by name and by private IP within a group', async () => {
    const a = h.sim.state.addConnector({ groupId, name: 'edge by name', ...disconnected });
    const b = h.sim.state.addConnector({
      groupId: otherGroupId,
      name: 'edge-ip',
      privateIp: '10.9.8.7',
      ...disconnected,
    });
    h.sim.state.addConnector({
      groupId,
      name: 'edge-ip-same-ip-other-group',
      privateIp: '10.9.8.7',
      ...disconnected,
    });
    await h.submit(itsm({ action: 'appConnector.delete', connector: { name: 'edge by name' } }));
    await h.submit(
      itsm({ action: 'appConnector.delete', connector: { privateIp: '10.9.8.7', groupId: otherGroupId } }),
    );
    const results = await h.drain();
    expect(results).toEqual([
      { kind: 'settled', state: 'SUCCEEDED' },
      { kind: 'settled', state: 'SUCCEEDED' },
    ]);
    expect(h.sim.state.connectors.has(a.id)).toBe(false);
    expect(h.sim.state.connectors.has(b.id)).toBe(false);
    expect(h.sim.state.findConnectorByName('edge-ip-same-ip-other-group')).toBeDefined();
  });

  it('a connector already gone succeeds without any DELETE', async () => {
    h.sim.reset();
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: '72057615512799999' } }));
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(h.writes()).toEqual([]);
    expect((await h.store.get(r.requestId))?.result).toMatchObject({ alreadyGone: true });
  });

  it('fails with a clear reason when a name matches several connectors, or the id is in another group', async () => {
    h.sim.state.addConnector({ groupId, name: 'twin', ...disconnected });
    h.sim.state.addConnector({ groupId, name: 'twin', ...disconnected });
    const other = h.sim.state.addConnector({ groupId: otherGroupId, name: 'elsewhere', ...disconnected });
    const r1 = await h.submit(itsm({ action: 'appConnector.delete', connector: { name: 'twin' } }));
    const r2 = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: other.id, groupId } }));
    h.sim.reset();
    await h.drain();
    expect(h.writes()).toEqual([]);
    expect((await h.store.get(r1.requestId))?.error?.message).toMatch(/2 connectors are named "twin"/);
    expect((await h.store.get(r2.requestId))?.error?.message).toMatch(
      `belongs to group ${otherGroupId}, not ${groupId}`,
    );
  });

  it('a redelivered message never repeats the change (final request skipped; resumed run finds it gone)', async () => {
    const c = h.sim.state.addConnector({ groupId, name: 'edge-redeliver', ...disconnected });
    h.sim.reset();
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }));
    const body = h.queue.messages.at(-1)!.body;
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    // The same message again (SQS at-least-once): skipped, no call at all.
    const { runJobMessage } = await import('../../../shared/worker/run-job.ts');
    expect(await runJobMessage(h.deps, { body, receiveCount: 2 })).toEqual({
      kind: 'skipped',
      reason: 'request is SUCCEEDED',
    });
    // A worker that died after the DELETE but before recording SUCCEEDED: the run resumes (lease
    // expired), re-reads Zscaler, finds it gone, and succeeds without a second DELETE.
    const c2 = h.sim.state.addConnector({ groupId, name: 'edge-crash', ...disconnected });
    const r2 = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c2.id } }));
    await h.store.transition(r2.requestId, 'RUNNING', { from: 'QUEUED', patch: { incrementAttempts: true } });
    h.sim.state.removeConnector(c2.id); // the DELETE the dead worker made
    expect(await h.deliverNext(2)).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    const after = await h.store.get(r2.requestId);
    expect(after).toMatchObject({ state: 'SUCCEEDED', attempts: 2, result: { alreadyGone: true } });
    expect(h.writes()).toEqual([
      `DELETE /mgmtconfig/v1/admin/customers/${h.sim.state.customerId}/connector/${c.id}`,
    ]);
    expect(r.requestId).not.toBe(r2.requestId);
  });
});
