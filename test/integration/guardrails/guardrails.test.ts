import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve } from '../../../shared/guardrails/approve.ts';
import { NotHeldError } from '../../../shared/guardrails/errors.ts';
import { PauseSwitch } from '../../../shared/guardrails/pause-switch.ts';
import { type Harness, itsm, startHarness, TENANT } from '../worker/harness.ts';

let h: Harness;
let groupId: string;

beforeAll(async () => {
  h = await startHarness({
    config: { guardrails: { deletionsPerHour: 100, tenants: { [TENANT]: { deletionsPerHour: 3 } } } },
  });
  [groupId] = [...h.sim.state.appConnectorGroups.keys()] as [string];
});
afterAll(async () => h?.stop());

const down = { controlChannelStatus: 'ZPN_STATUS_DISCONNECTED' as const };
const asg = (fields: Record<string, unknown>) => ({
  tenant: TENANT,
  reason: 'scale-in',
  source: { kind: 'autoscaling', name: 'asg', ref: 'i-0abc' },
  ...fields,
});
const guardrailEvents = async (id: string) =>
  (await h.trail(id))
    .filter((e) => e.type === 'guardrail')
    .map((e) => `${e.detail?.rule}:${e.detail?.decision}`);

describe('guardrails before any write (simulator + dynalite)', () => {
  it('a protected name is never deleted, in any case', async () => {
    const c = h.sim.state.addConnector({ groupId, name: 'core-01 (Do NOT Delete)', ...down });
    h.sim.reset();
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }));
    await h.deliverNext();
    expect(await h.store.get(r.requestId)).toMatchObject({
      state: 'REJECTED',
      error: { code: 'guardrail:protected-name' },
    });
    expect(h.writes()).toEqual([]);
    expect(await guardrailEvents(r.requestId)).toEqual(['protected-name:refused']);
  });

  it('a connected connector needs force, and force only from a source whose policy allows it', async () => {
    const a = h.sim.state.addConnector({ groupId, name: 'live-1' });
    const b = h.sim.state.addConnector({ groupId, name: 'live-2' });
    h.sim.reset();
    const noForce = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: a.id } }));
    const asgForce = await h.submit(
      asg({ action: 'appConnector.delete', connector: { id: a.id }, force: true }) as never,
    );
    const itsmForce = await h.submit(
      itsm({ action: 'appConnector.delete', connector: { id: b.id }, force: true }),
    );
    await h.drain();
    expect((await h.store.get(noForce.requestId))?.error?.message).toMatch(
      /is connected; deleting it needs force/,
    );
    expect((await h.store.get(asgForce.requestId))?.error?.message).toMatch(/source asg may not use force/);
    expect((await h.store.get(itsmForce.requestId))?.state).toBe('SUCCEEDED');
    expect(h.sim.state.connectors.has(a.id)).toBe(true);
    expect(h.sim.state.connectors.has(b.id)).toBe(false);
    expect(await guardrailEvents(itsmForce.requestId)).toEqual(['force:allowed', 'deletion-cap:allowed']);
  });

  it('past the hourly cap a request waits HELD; approve() queues it again and it runs', async () => {
    // Cap 3/h for this tenant; live-2 above used 1.
    const cs = h.sim.state.addConnectors(groupId, 3, down);
    const r1 = await h.submit(itsm({ action: 'appConnector.bulkDelete', ids: [cs[0]!.id, cs[1]!.id] }));
    const r2 = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: cs[2]!.id } }));
    await h.drain();
    expect((await h.store.get(r1.requestId))?.state).toBe('SUCCEEDED');
    const held = await h.store.get(r2.requestId);
    expect(held).toMatchObject({ state: 'HELD' });
    expect(held?.stateReason).toMatch(/deletion cap reached: 3 of 3 deletions used in the last hour/);
    expect(h.sim.state.connectors.has(cs[2]!.id)).toBe(true);
    expect((await h.trail(r2.requestId)).map((e) => e.type)).toContain('held');
    expect((await h.store.byState('HELD')).map((r) => r.requestId)).toContain(r2.requestId);

    await expect(approve(h.deps, r1.requestId, { by: 'alice' })).rejects.toBeInstanceOf(NotHeldError);
    const approved = await approve(h.deps, r2.requestId, { by: 'alice', note: 'planned scale-in' });
    expect(approved.state).toBe('QUEUED');
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(h.sim.state.connectors.has(cs[2]!.id)).toBe(false);
    const trail = await h.trail(r2.requestId);
    expect(trail.find((e) => e.type === 'approved')?.detail).toMatchObject({ by: 'alice' });
    expect(String(trail.filter((e) => e.detail?.rule === 'deletion-cap').at(-1)?.detail?.reason)).toMatch(
      /approved by an operator/,
    );
  });

  it('a paused tenant defers its jobs without calling Zscaler; after resume they run', async () => {
    h.clock.advance(3_600_001); // a fresh hour for the cap
    const pause = new PauseSwitch(h.control);
    await pause.pause(TENANT, { reason: 'change freeze', by: 'ops', nowMs: h.clock.now() });
    const c = h.sim.state.addConnector({ groupId, name: 'paused-target', ...down });
    h.sim.reset();
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }));
    expect(await h.deliverNext()).toMatchObject({ kind: 'deferred', delaySeconds: 60 });
    expect(h.sim.callLog).toEqual([]);
    expect(await h.store.get(r.requestId)).toMatchObject({ state: 'DEFERRED' });
    expect((await h.store.get(r.requestId))?.stateReason).toMatch(
      /tenant sim is paused \(change freeze, by ops\)/,
    );
    expect(await pause.resume(TENANT)).toBe(true);
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(h.sim.state.connectors.has(c.id)).toBe(false);
  });

  it('dry-run records the exact planned calls, makes no write and does not use up the cap', async () => {
    const c = h.sim.state.addConnector({ groupId, name: 'dry', ...down });
    h.sim.reset();
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id }, dryRun: true }));
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(h.writes()).toEqual([]);
    expect(h.sim.state.connectors.has(c.id)).toBe(true);
    const rec = await h.store.get(r.requestId);
    expect(rec?.result).toMatchObject({
      dryRun: true,
      plannedCalls: [
        { api: 'zpa', method: 'DELETE', path: `/connector/${c.id}`, write: true },
        { api: 'zpa', method: 'GET', path: `/connector/${c.id}`, write: false },
      ],
    });
    const planned = (await h.trail(r.requestId)).find((e) => e.type === 'planned');
    expect(planned?.detail).toMatchObject({ dryRun: true });
    const { DeletionCap } = await import('../../../shared/guardrails/deletion-cap.ts');
    expect(await new DeletionCap(h.control).used(TENANT, h.clock.now())).toBe(1); // only paused-target
  });
});
