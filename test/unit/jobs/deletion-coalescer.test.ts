import { describe, expect, it } from 'vitest';
import { MemoryControlStore } from '../../../shared/guardrails/memory-control-store.ts';
import { CLAIM_MS, DeletionCoalescer, MAX_MEMBERS } from '../../../shared/jobs/deletion-coalescer.ts';

type Member = { id: string };
type Result = { gone: string[] } | { abandoned: true };

const W = 2_000;
const T0 = 1_700_000_000_000;

function setup() {
  const store = new MemoryControlStore();
  return { store, c: new DeletionCoalescer<Member, Result>(store, 'delete') };
}

describe('DeletionCoalescer', () => {
  it('a lone deletion goes alone at once; one arriving while it was recent opens a round the next ones join', async () => {
    const { c } = setup();
    expect(await c.join('acme', 'r1', { id: '1' }, T0, W)).toEqual({ kind: 'alone' });
    const second = await c.join('acme', 'r2', { id: '2' }, T0 + 100, W);
    expect(second).toMatchObject({ kind: 'joined', closesAt: T0 + 100 + W });
    const third = await c.join('acme', 'r3', { id: '3' }, T0 + 900, W);
    expect(third).toEqual(second);
    // Another scope is another story.
    expect(await c.join('other', 'r9', { id: '9' }, T0 + 900, W)).toEqual({ kind: 'alone' });
    // Quiet for longer than the window: alone again.
    expect(await c.join('other', 'r10', { id: '10' }, T0 + 900 + W + 1, W)).toEqual({ kind: 'alone' });
  });

  it('the first member back after the close leads with every member; the others wait, then read its result', async () => {
    const { c } = setup();
    await c.join('acme', 'r1', { id: '1' }, T0, W);
    const j = await c.join('acme', 'r2', { id: '2' }, T0 + 10, W);
    await c.join('acme', 'r3', { id: '3' }, T0 + 20, W);
    if (j.kind !== 'joined') throw new Error('not joined');

    expect(await c.step(j.round, 'r3', T0 + 500)).toEqual({
      kind: 'wait',
      notBefore: j.closesAt,
      why: 'coalescing-window',
    });
    const lead = await c.step(j.round, 'r3', j.closesAt);
    expect(lead).toEqual({ kind: 'lead', members: { r2: { id: '2' }, r3: { id: '3' } } });
    // A join after the close opens the next round (the burst goes on), never this one.
    const late = await c.join('acme', 'r4', { id: '4' }, j.closesAt + 1, W);
    expect(late.kind === 'joined' && late.round !== j.round).toBe(true);

    expect(await c.step(j.round, 'r2', j.closesAt + 5)).toMatchObject({
      kind: 'wait',
      why: 'coalesced-call-in-progress',
    });
    await c.record(j.round, 'r3', { gone: ['2', '3'] }, j.closesAt + 300);
    expect(await c.step(j.round, 'r2', j.closesAt + 400)).toEqual({
      kind: 'result',
      result: { gone: ['2', '3'] },
      leader: 'r3',
      members: 2,
    });
    // A second recording (a late leader) changes nothing.
    await c.record(j.round, 'r2', { gone: [] }, j.closesAt + 500);
    expect(await c.step(j.round, 'r3', j.closesAt + 600)).toMatchObject({ result: { gone: ['2', '3'] } });
  });

  it('a leader that crashed: its members settle alone once the claim ends, at once when it comes back itself', async () => {
    const { c } = setup();
    await c.join('acme', 'r1', { id: '1' }, T0, W);
    const j = await c.join('acme', 'r2', { id: '2' }, T0 + 10, W);
    await c.join('acme', 'r3', { id: '3' }, T0 + 20, W);
    if (j.kind !== 'joined') throw new Error('not joined');
    expect(await c.step(j.round, 'r2', j.closesAt)).toMatchObject({ kind: 'lead' });
    // r2 dies here. Until its claim ends, r3 waits; then it is told to settle alone.
    expect(await c.step(j.round, 'r3', j.closesAt + CLAIM_MS - 1)).toMatchObject({ kind: 'wait' });
    expect(await c.step(j.round, 'r3', j.closesAt + CLAIM_MS)).toMatchObject({ kind: 'expired' });

    // Another round: its leader's redelivered run marks the round abandoned, and nobody waits.
    const k = await c.join('acme', 'r5', { id: '5' }, j.closesAt + 10, W);
    await c.join('acme', 'r6', { id: '6' }, j.closesAt + 20, W);
    if (k.kind !== 'joined') throw new Error('not joined');
    expect(await c.step(k.round, 'r5', k.closesAt)).toMatchObject({ kind: 'lead' });
    expect(await c.step(k.round, 'r5', k.closesAt + 1_000)).toMatchObject({ kind: 'expired' });
    expect(await c.step(k.round, 'r6', k.closesAt + 1_001)).toMatchObject({
      kind: 'result',
      result: { abandoned: true },
    });
  });

  it('a round that is not recorded any more (expired item) sends its members alone', async () => {
    const { c } = setup();
    expect(await c.step('no-such-round', 'r1', T0)).toMatchObject({ kind: 'expired' });
  });

  it('a full round closes to newcomers: they open the next one', async () => {
    const { c } = setup();
    await c.join('acme', 'first', { id: '0' }, T0, W);
    const rounds = new Set<string>();
    for (let i = 0; i < MAX_MEMBERS + 5; i++) {
      const j = await c.join('acme', `r${i}`, { id: String(i) }, T0 + 1, W);
      if (j.kind !== 'joined') throw new Error(`join ${i}: ${j.kind}`);
      rounds.add(j.round);
    }
    expect(rounds.size).toBe(2);
  });

  it('joining twice (a redelivered run) keeps one membership', async () => {
    const { c } = setup();
    await c.join('acme', 'r1', { id: '1' }, T0, W);
    const a = await c.join('acme', 'r2', { id: '2' }, T0 + 1, W);
    const b = await c.join('acme', 'r2', { id: '2' }, T0 + 2, W);
    expect(b).toEqual(a);
    if (a.kind !== 'joined') throw new Error('not joined');
    expect(await c.step(a.round, 'r2', a.closesAt)).toEqual({ kind: 'lead', members: { r2: { id: '2' } } });
  });

  it('concurrent joiners all land in one round (conditional writes, no lost member)', async () => {
    const { c } = setup();
    await c.join('acme', 'r0', { id: '0' }, T0, W);
    const joins = await Promise.all(
      Array.from({ length: 40 }, (_, i) => c.join('acme', `r${i + 1}`, { id: String(i + 1) }, T0 + 5, W)),
    );
    const joined = joins.filter((j) => j.kind === 'joined');
    expect(joined).toHaveLength(40);
    const round = (joined[0] as { round: string }).round;
    expect(new Set(joined.map((j) => (j as { round: string }).round))).toEqual(new Set([round]));
    const lead = await c.step(round, 'r1', T0 + 5 + W);
    expect(Object.keys((lead as { members: object }).members)).toHaveLength(40);
  });
});
