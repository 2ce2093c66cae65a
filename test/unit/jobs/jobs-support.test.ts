import { describe, expect, it } from 'vitest';
import { MemoryControlStore } from '../../../shared/guardrails/memory-control-store.ts';
import { ActivationCoalescer } from '../../../shared/jobs/activation-coalescer.ts';
import { bulkDeleteCalls, chunk } from '../../../shared/jobs/bulk-delete.ts';
import { clashReason, differingFields } from '../../../shared/jobs/group-match.ts';
import { JOBS } from '../../../shared/jobs/registry.ts';

describe('group matching', () => {
  it('compares loosely typed values and skips fields the API does not report', () => {
    expect(
      differingFields(
        { name: 'a', latitude: '37.330', enabled: true, upgradeTimeInSecs: '66600' },
        { name: 'a', latitude: 37.33, enabled: 'true', upgradeTimeInSecs: 66600 },
      ),
    ).toEqual([]);
    expect(
      differingFields(
        { name: 'a', location: 'X', upgradeDay: 'SUNDAY', extra: 'e' },
        { name: 'a', location: 'Y', upgradeDay: 'MONDAY' },
      ),
    ).toEqual(['location', 'upgradeDay']);
    expect(clashReason('PCC group', 'dc', '7', ['countryCode'])).toBe(
      'PCC group "dc" already exists (id 7) with a different configuration: countryCode differ',
    );
  });
});

describe('bulk delete chunking', () => {
  it('chunks at most 100 ids per call', () => {
    const ids = Array.from({ length: 250 }, (_, i) => String(i + 1));
    expect(chunk(ids, 100).map((c) => c.length)).toEqual([100, 100, 50]);
    const calls = bulkDeleteCalls(ids, 100);
    expect(calls).toHaveLength(3);
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/connector/bulkDelete', write: true });
    expect((calls[2]!.body as { ids: string[] }).ids).toHaveLength(50);
  });
});

describe('ActivationCoalescer', () => {
  it('one activation after the quiet period covers every deletion so far', async () => {
    const c = new ActivationCoalescer(new MemoryControlStore());
    const s1 = await c.noteDeletion('t', 0);
    const s2 = await c.noteDeletion('t', 50_000);
    expect(await c.next('t', s1, 'a', 60_000, 30_000)).toEqual({
      kind: 'wait',
      notBefore: 80_000,
      why: 'activation-quiet-period',
    });
    const step = await c.next('t', s1, 'a', 80_000, 30_000);
    expect(step).toEqual({ kind: 'activate', through: 2 });
    // While a's activation runs, b waits; afterwards b only verifies.
    expect(await c.next('t', s2, 'b', 80_001, 30_000)).toMatchObject({
      kind: 'wait',
      why: 'activation-in-progress',
    });
    await c.activated('t', 'a', 2);
    expect(await c.next('t', s2, 'b', 80_002, 30_000)).toEqual({ kind: 'activated' });
    // A later deletion needs a new activation.
    const s3 = await c.noteDeletion('t', 100_000);
    expect(await c.next('t', s3, 'c', 130_000, 30_000)).toEqual({ kind: 'activate', through: 3 });
    // Other tenants are independent.
    expect(await c.next('u', 1, 'x', 0, 0)).toEqual({ kind: 'activate', through: 0 });
  });
});

describe('ActivationCoalescer: following a sent activation, failures, giving a claim up', () => {
  it('the owner of a sent activation follows it (never activates again); a failure covers only its deletions', async () => {
    const c = new ActivationCoalescer(new MemoryControlStore());
    const s1 = await c.noteDeletion('t', 0);
    expect(await c.next('t', s1, 'a', 10_000, 10_000)).toEqual({ kind: 'activate', through: 1 });
    await c.sent('t', 'a', 10_001);
    // Back from the queue (a new run of the same request): follow, do not PUT again.
    expect(await c.next('t', s1, 'a', 20_000, 10_000)).toEqual({
      kind: 'follow',
      through: 1,
      sentAt: 10_001,
    });
    // Meanwhile another request's deletion waits for it.
    const s2 = await c.noteDeletion('t', 20_001);
    expect(await c.next('t', s2, 'b', 30_002, 10_000)).toMatchObject({
      kind: 'wait',
      why: 'activation-in-progress',
    });
    await c.failed('t', 'a', 1, 'Zscaler reported ADM_ACTV_FAIL');
    expect(await c.next('t', s1, 'a', 30_003, 10_000)).toEqual({
      kind: 'failed',
      detail: 'Zscaler reported ADM_ACTV_FAIL',
    });
    // The later deletion gets an activation of its own, which also covers the failed one.
    expect(await c.next('t', s2, 'b', 30_004, 10_000)).toEqual({ kind: 'activate', through: 2 });
    await c.activated('t', 'b', 2);
    expect(await c.next('t', s1, 'a', 30_005, 10_000)).toEqual({ kind: 'activated' });
  });

  it('a released claim (outcome not seen) lets the next job activate again', async () => {
    const c = new ActivationCoalescer(new MemoryControlStore());
    const s1 = await c.noteDeletion('t', 0);
    const s2 = await c.noteDeletion('t', 0);
    expect(await c.next('t', s1, 'a', 1_000, 0)).toEqual({ kind: 'activate', through: 2 });
    await c.sent('t', 'a', 1_000);
    await c.release('t', 'a');
    expect(await c.next('t', s2, 'b', 1_001, 0)).toEqual({ kind: 'activate', through: 2 });
  });
});

describe('registry', () => {
  it("maps each of this part's actions to a job whose action matches its key", () => {
    for (const [action, job] of Object.entries(JOBS)) expect(job?.action).toBe(action);
    expect(Object.keys(JOBS)).toEqual(
      expect.arrayContaining([
        'appConnector.delete',
        'appConnector.bulkDelete',
        'appConnector.cleanup',
        'ecVm.delete',
        'appConnectorGroup.create',
        'pccGroup.create',
      ]),
    );
  });
});
