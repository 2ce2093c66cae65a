import { describe, expect, it, vi } from 'vitest';
import { SourcePolicySchema } from '../../../shared/config/sources.ts';
import { DeletionCap } from '../../../shared/guardrails/deletion-cap.ts';
import {
  checkGuardrails,
  type GuardrailInput,
  type GuardrailNote,
} from '../../../shared/guardrails/guardrails.ts';
import { MemoryControlStore } from '../../../shared/guardrails/memory-control-store.ts';
import { PauseSwitch } from '../../../shared/guardrails/pause-switch.ts';
import { ProtectedNames } from '../../../shared/guardrails/protected-names.ts';
import type { Plan, PlanResource } from '../../../shared/jobs/job.ts';

const HOUR = 3_600_000;
const policy = (mayForce: boolean) =>
  SourcePolicySchema.parse({
    name: mayForce ? 'sn' : 'asg',
    kind: 'autoscaling',
    allowedActions: ['appConnector.delete'],
    allowedTenants: ['*'],
    mayForce,
  });
const conn = (id: string, name: string, connected = false): PlanResource => ({
  kind: 'appConnector',
  id,
  name,
  effect: 'delete',
  connected,
});
const plan = (resources: PlanResource[], partial = false): Plan => ({ calls: [], resources, partial });

function input(over: Partial<GuardrailInput> = {}): GuardrailInput & { notes: GuardrailNote[] } {
  const notes: GuardrailNote[] = [];
  return {
    tenant: 'acme',
    requestId: 'r1',
    force: false,
    policy: policy(false),
    protectedNames: new ProtectedNames(),
    cap: new DeletionCap(new MemoryControlStore()),
    deletionsPerHour: 10,
    dryRun: false,
    nowMs: 1_000_000,
    note: async (n) => {
      notes.push(n);
    },
    notes,
    ...over,
  };
}

describe('ProtectedNames', () => {
  it('matches "do not delete" in any case, anywhere; custom patterns are regular expressions', () => {
    const names = new ProtectedNames();
    expect(names.match('edge (DO NOT DELETE)')).toBe('do not delete');
    expect(names.match('Do Not Delete')).toBe('do not delete');
    expect(names.match('do-not-delete')).toBeUndefined();
    expect(names.match(undefined)).toBeUndefined();
    expect(new ProtectedNames(['^prod-', 'keep']).match('PROD-1')).toBe('^prod-');
  });
});

describe('checkGuardrails', () => {
  it('refuses a protected name (never deleted), with the reason audited', async () => {
    const i = input();
    const d = await checkGuardrails(plan([conn('1', 'core DO NOT DELETE')]), i);
    expect(d).toMatchObject({ kind: 'refuse', rule: 'protected-name' });
    expect(i.notes).toEqual([expect.objectContaining({ rule: 'protected-name', decision: 'refused' })]);
  });

  it('a partial plan excludes protected and connected resources and keeps the rest', async () => {
    const i = input();
    const d = await checkGuardrails(
      plan([conn('1', 'a DO NOT DELETE'), conn('2', 'b', true), conn('3', 'c')], true),
      i,
    );
    expect(d.kind).toBe('allow');
    if (d.kind === 'allow') expect(d.plan.resources.map((r) => r.id)).toEqual(['3']);
    expect(i.notes.map((n) => `${n.rule}:${n.decision}`)).toEqual([
      'protected-name:excluded',
      'force:excluded',
      'deletion-cap:allowed',
    ]);
  });

  it('a connected connector needs force, and force needs mayForce', async () => {
    expect(await checkGuardrails(plan([conn('1', 'a', true)]), input())).toMatchObject({
      kind: 'refuse',
      rule: 'force',
      reason: expect.stringContaining('needs force'),
    });
    expect(await checkGuardrails(plan([conn('1', 'a', true)]), input({ force: true }))).toMatchObject({
      kind: 'refuse',
      rule: 'force',
      reason: expect.stringContaining('may not use force'),
    });
    expect(
      await checkGuardrails(plan([conn('1', 'a', true)]), input({ force: true, policy: undefined })),
    ).toMatchObject({ kind: 'refuse', rule: 'force' });
    const i = input({ force: true, policy: policy(true) });
    expect((await checkGuardrails(plan([conn('1', 'a', true)]), i)).kind).toBe('allow');
    expect(i.notes[0]).toMatchObject({ rule: 'force', decision: 'allowed' });
  });

  it('creations and reads pass untouched and never count against the cap', async () => {
    const i = input({ deletionsPerHour: 0 });
    const d = await checkGuardrails(
      plan([{ kind: 'pccGroup', name: 'do not delete me', effect: 'create' }]),
      i,
    );
    expect(d.kind).toBe('allow');
    expect(i.notes).toEqual([]);
  });
});

describe('DeletionCap (rolling hour, per tenant)', () => {
  it('holds past the cap, counts a request once, frees capacity after an hour, admits approved requests', async () => {
    const cap = new DeletionCap(new MemoryControlStore());
    const admit = (requestId: string, count: number, nowMs: number, tenant = 'acme') =>
      cap.admit({ tenant, requestId, count, limit: 5, nowMs });
    expect(await admit('a', 3, 0)).toMatchObject({ allowed: true, used: 0 });
    expect(await admit('a', 3, 10)).toMatchObject({ allowed: true, used: 0 }); // the same request again
    expect(await admit('b', 3, 20)).toMatchObject({ allowed: false, used: 3, limit: 5 });
    expect(await admit('b', 3, 20, 'other')).toMatchObject({ allowed: true }); // per tenant
    expect(await admit('c', 2, 30)).toMatchObject({ allowed: true, used: 3 });
    expect(await cap.used('acme', 30)).toBe(5);
    expect(await admit('b', 3, HOUR + 1)).toMatchObject({ allowed: true, used: 2 }); // 'a' aged out
    await cap.approve('d', 'alice', HOUR + 2);
    expect(await admit('d', 50, HOUR + 3)).toMatchObject({ allowed: true, approved: true });
  });

  it('a dry-run evaluation records nothing', async () => {
    const cap = new DeletionCap(new MemoryControlStore());
    await cap.admit({ tenant: 't', requestId: 'x', count: 4, limit: 5, nowMs: 0, record: false });
    expect(await cap.used('t', 1)).toBe(0);
  });

  it('concurrent admissions never exceed the cap (compare-and-set)', async () => {
    const cap = new DeletionCap(new MemoryControlStore());
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        cap.admit({ tenant: 't', requestId: `r${i}`, count: 1, limit: 3, nowMs: 0 }),
      ),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(3);
    expect(await cap.used('t', 1)).toBe(3);
  });

  it("one process's simultaneous admissions share one ledger write, decided in arrival order", async () => {
    const store = new MemoryControlStore();
    const put = vi.spyOn(store, 'put');
    const cap = new DeletionCap(store);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        cap.admit({ tenant: 't', requestId: `r${i}`, count: 1, limit: 4, nowMs: 0 }),
      ),
    );
    expect(results.map((r) => r.allowed)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(results.map((r) => r.used)).toEqual([0, 1, 2, 3, 4, 4, 4, 4, 4, 4]);
    expect(put.mock.calls.filter(([key]) => key === 'deletions:t')).toHaveLength(1);
    expect(await cap.admit({ tenant: 't', requestId: 'r0', count: 1, limit: 4, nowMs: 1 })).toMatchObject({
      allowed: true,
      used: 3,
    });
    expect(put.mock.calls.filter(([key]) => key === 'deletions:t')).toHaveLength(1); // admitted before: no write
  });

  it('a write that keeps losing fails every admission of its group, and the next group writes again', async () => {
    const store = new MemoryControlStore();
    const cap = new DeletionCap(store);
    vi.spyOn(store, 'put').mockResolvedValue(undefined); // every conditional write loses
    const lost = await Promise.allSettled(
      ['a', 'b'].map((requestId) => cap.admit({ tenant: 't', requestId, count: 1, limit: 4, nowMs: 0 })),
    );
    expect(lost.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    vi.mocked(store.put).mockRestore();
    expect(await cap.admit({ tenant: 't', requestId: 'c', count: 1, limit: 4, nowMs: 0 })).toMatchObject({
      allowed: true,
    });
  }, 60_000);
});

describe('PauseSwitch', () => {
  it('pauses and resumes a tenant', async () => {
    const p = new PauseSwitch(new MemoryControlStore());
    expect(await p.state('acme')).toBeUndefined();
    await p.pause('acme', { reason: 'freeze', by: 'ops', nowMs: 0 });
    await p.pause('acme', { reason: 'again', by: 'bob', nowMs: 5 });
    expect(await p.state('acme')).toEqual({ reason: 'freeze', by: 'ops', since: '1970-01-01T00:00:00.000Z' });
    expect(await p.state('other')).toBeUndefined();
    expect(await p.resume('acme')).toBe(true);
    expect(await p.resume('acme')).toBe(false);
    expect(await p.state('acme')).toBeUndefined();
  });
});
