import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoControlStore } from '../../../shared/guardrails/dynamo-control-store.ts';
import { IllegalTransitionError, StateConflictError } from '../../../shared/requests/errors.ts';
import { parseJobMessage } from '../../../shared/requests/job-message.ts';
import { CanonicalRequestSchema } from '../../../shared/requests/request.ts';
import type { RequestRecord } from '../../../shared/requests/request-record.ts';
import { REQUESTS_TABLE } from '../../../shared/requests/table.ts';
import { acquireLease } from '../../../shared/worker/lease.ts';
import { INTAKE_START } from '../../fixtures/events/intake-setup.ts';
import { type LoopbackStack, startLoopbackStack } from '../../fixtures/events/stack.ts';
import { manualClock } from '../../fixtures/manual-clock.ts';

const clock = manualClock(INTAKE_START);
let stack: LoopbackStack;
beforeAll(async () => {
  stack = await startLoopbackStack(clock);
});
afterAll(() => stack.stop());

function record(extra: Partial<RequestRecord> = {}): RequestRecord {
  const requestId = randomUUID();
  const request = CanonicalRequestSchema.parse({
    action: 'appConnector.delete',
    tenant: 'acme',
    reason: 'r',
    source: { kind: 'api', name: 'api', ref: 'CHG-7' },
    connector: { id: '1' },
  });
  const at = new Date(clock.now()).toISOString();
  return {
    requestId,
    state: 'RECEIVED',
    tenant: 'acme',
    action: 'appConnector.delete',
    target: 'appConnector/1',
    ticket: 'CHG-7',
    sourceName: 'api',
    sourceKind: 'api',
    request,
    attempts: 0,
    deferrals: 0,
    createdAt: at,
    updatedAt: at,
    ...extra,
  };
}

describe('DynamoRequestStore on dynalite', () => {
  it('stores requests and applies transitions conditionally', async () => {
    const r = record();
    await stack.store.create(r);
    await expect(stack.store.create(r)).rejects.toThrow();
    expect(await stack.store.get(r.requestId)).toEqual(r);
    await stack.store.transition(r.requestId, 'QUEUED');
    // Two workers race to start the request: exactly one wins.
    const race = await Promise.allSettled([
      stack.store.transition(r.requestId, 'RUNNING', { from: 'QUEUED', patch: { incrementAttempts: true } }),
      stack.store.transition(r.requestId, 'RUNNING', { from: 'QUEUED', patch: { incrementAttempts: true } }),
    ]);
    expect(race.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    const lost = race.find((x) => x.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(StateConflictError);
    expect(lost.reason.actual).toBe('RUNNING');
    const done = await stack.store.transition(r.requestId, 'SUCCEEDED', {
      from: 'RUNNING',
      patch: { result: { deleted: ['1'] }, stateReason: 'deleted' },
    });
    expect(done).toMatchObject({ state: 'SUCCEEDED', attempts: 1, result: { deleted: ['1'] } });
    await expect(stack.store.transition(r.requestId, 'RUNNING')).rejects.toBeInstanceOf(
      IllegalTransitionError,
    );
    await expect(stack.store.transition(randomUUID(), 'QUEUED', { from: 'RECEIVED' })).rejects.toBeInstanceOf(
      StateConflictError,
    );
    expect((await stack.store.byTicket('CHG-7')).map((x) => x.requestId)).toContain(r.requestId);
    expect((await stack.store.byState('SUCCEEDED')).map((x) => x.requestId)).toEqual([r.requestId]);
  });

  it('claims keys once, replaces stale claims conditionally, releases only its own', async () => {
    const claim = { key: 'idem:api:k', requestId: 'a', bodyHash: 'h', claimedAtMs: 1 };
    const expires = Math.floor(clock.now() / 1000) + 60;
    const [x, y] = await Promise.all([
      stack.store.claimKey(claim, expires),
      stack.store.claimKey({ ...claim, requestId: 'b' }, expires),
    ]);
    expect([x.claimed, y.claimed].sort()).toEqual([false, true]);
    const winner = x.claimed ? 'a' : 'b';
    expect(
      await stack.store.replaceClaim({ ...claim, requestId: 'c', claimedAtMs: 2 }, 'zzz', 1, expires),
    ).toBe(false);
    expect(
      await stack.store.replaceClaim({ ...claim, requestId: 'c', claimedAtMs: 2 }, winner, 1, expires),
    ).toBe(true);
    await stack.store.releaseKey(claim.key, winner);
    expect((await stack.store.claimKey({ ...claim, requestId: 'd' }, expires)).claimed).toBe(false);
    await stack.store.releaseKey(claim.key, 'c');
    expect((await stack.store.claimKey({ ...claim, requestId: 'd' }, expires)).claimed).toBe(true);
    // An expired claim counts as absent even before TTL removes it.
    await stack.store.claimKey({ ...claim, key: 'old' }, Math.floor(clock.now() / 1000) - 1);
    expect((await stack.store.claimKey({ ...claim, key: 'old', requestId: 'e' }, expires)).claimed).toBe(
      true,
    );
  });

  it('sends job messages to SQS (fauxqs) that parse back', async () => {
    const requestId = randomUUID();
    await stack.queue.send({
      v: 1,
      requestId,
      tenant: 'acme',
      action: 'inventory.snapshot',
      enqueuedAt: new Date(clock.now()).toISOString(),
      deferrals: 0,
    });
    const [body] = await stack.drain();
    expect(parseJobMessage(body!)).toMatchObject({ requestId, action: 'inventory.snapshot' });
  });
});

describe('DynamoControlStore on dynalite', () => {
  it('deletes only at the expected version and data; a lease is taken and given back without a read', async () => {
    const control = new DynamoControlStore(
      DynamoDBDocumentClient.from(stack.raw),
      REQUESTS_TABLE.defaultName,
    );
    const key = `lease-${randomUUID()}`;
    expect(await control.put(key, { owner: 'a' }, { expectedVersion: 0 })).toMatchObject({ version: 1 });
    expect(await control.delete(key, 2)).toBe(false);
    expect(await control.delete(key, undefined, { field: 'owner', value: 'b' })).toBe(false);
    expect(await control.delete(key, 1, { field: 'owner', value: 'b' })).toBe(false);
    expect(await control.get(key)).toMatchObject({ version: 1, data: { owner: 'a' } });
    expect(await control.delete(key, 1, { field: 'owner', value: 'a' })).toBe(true);
    expect(await control.get(key)).toBeUndefined();

    const a = await acquireLease(control, key, 'a', 60_000, clock.now());
    expect(a.held).toBe(true);
    expect(await acquireLease(control, key, 'b', 60_000, clock.now())).toMatchObject({
      held: false,
      owner: 'a',
    });
    const b = await acquireLease(control, key, 'b', 60_000, clock.now() + 60_001);
    expect(b.held).toBe(true);
    if (a.held) await a.release(); // a's lease was taken over: b's stays
    expect((await control.get(key))?.data).toMatchObject({ owner: 'b' });
    if (b.held) await b.release();
    expect(await control.get(key)).toBeUndefined();
  });
});
