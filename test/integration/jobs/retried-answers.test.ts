import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningFauxqs, startFauxqsServer } from '../../../local/services/fauxqs.ts';
import type { CanonicalRequestInput } from '../../../shared/requests/request.ts';
import { S3ObjectStore } from '../../../shared/snapshots/s3-object-store.ts';
import { fauxqsBucket } from '../snapshots/setup.ts';
import { type Harness, itsm, startHarness, TENANT } from '../worker/harness.ts';

// The answers the official clients retry, and expired credentials, through the worker run loop
// against the simulator: none of them may end a request FAILED.
let h: Harness;
let fq: RunningFauxqs;
let s3: S3Client;
let groupId: string;
const BUCKET = 'retried-answers-it';
const disconnected = { controlChannelStatus: 'ZPN_STATUS_DISCONNECTED' as const };

beforeAll(async () => {
  h = await startHarness({
    seed: { connectors: 30, groups: 2, ecGroups: 1, vmsPerGroup: 1, pccGroups: 1, cloudConnectorGroups: 0 },
  });
  fq = await startFauxqsServer();
  s3 = await fauxqsBucket(fq.endpoint, BUCKET);
  h.deps.services = { snapshots: { store: new S3ObjectStore(s3, BUCKET), bucket: BUCKET } };
  groupId = [...h.sim.state.appConnectorGroups.keys()][0]!;
});
afterAll(async () => {
  await h?.stop();
  await fq?.stop();
});
beforeEach(() => {
  h.sim.setFaults({});
  h.sim.reset();
  // The harness's default: no retries inside the client, every failure goes back to the run loop.
  h.deps.client = { retry: { maxAttempts: 1 } };
});

/** The client as a chaos run or a Lambda configures it: retries inside the call. */
const retryingClient = () => {
  h.deps.client = { retry: { maxAttempts: 4, maxTotalWaitMs: 60_000 } };
};

const stateOf = async (requestId: string) => (await h.store.get(requestId))?.state;

describe('ZPA 400 db.simultaneous.request', () => {
  it('a connector deletion that meets it is deferred and ends SUCCEEDED (it used to end FAILED)', async () => {
    const c = h.sim.state.addConnector({ groupId, name: 'simultaneous-1', ...disconnected });
    h.sim.setFaults({ simultaneousRequest: 1, maxCount: 1, methods: ['DELETE'] });
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }));
    const first = await h.deliverNext();
    expect(first).toMatchObject({ kind: 'deferred' });
    const record = await h.store.get(r.requestId);
    expect(record?.stateReason).toMatch(/busy:simultaneous-request/);
    await h.drain();
    expect(await stateOf(r.requestId)).toBe('SUCCEEDED');
    expect(h.sim.state.connectors.has(c.id)).toBe(false);
    const deletes = h.sim.callLog.filter(
      (e) => e.method === 'DELETE' && e.path.endsWith(`/connector/${c.id}`),
    );
    expect(deletes.map((e) => e.status)).toEqual([400, 204]);
  });

  it('with client retries it is retried inside the call after its own back-off: one run, SUCCEEDED', async () => {
    retryingClient();
    const c = h.sim.state.addConnector({ groupId, name: 'simultaneous-2', ...disconnected });
    h.sim.setFaults({ simultaneousRequest: 1, maxCount: 2, methods: ['DELETE'] });
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }));
    const started = h.clock.now();
    expect(await h.deliverNext()).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(await stateOf(r.requestId)).toBe('SUCCEEDED');
    const deletes = h.sim.callLog.filter((e) => e.method === 'DELETE');
    expect(deletes.map((e) => e.status)).toEqual([400, 400, 204]);
    // Busy back-off: at least half of 1 s, then of 2 s.
    expect(h.clock.now() - started).toBeGreaterThanOrEqual(1_500);
  });
});

describe('the other retried ZPA answers, on every write path', () => {
  for (const kind of ['concurrentAccess', 'simultaneousRequest', 'nonRestrictedAuth'] as const) {
    it(`${kind} on a bulk delete: the ids are deleted once, SUCCEEDED`, async () => {
      const made = h.sim.state.addConnectors(groupId, 3, disconnected);
      h.sim.setFaults({ [kind]: 1, maxCount: 1, paths: ['/connector/bulkDelete'] });
      const r = await h.submit(itsm({ action: 'appConnector.bulkDelete', ids: made.map((c) => c.id) }));
      await h.drain();
      expect(await stateOf(r.requestId)).toBe('SUCCEEDED');
      for (const c of made) expect(h.sim.state.connectors.has(c.id)).toBe(false);
      const bulk = h.sim.callLog.filter((e) => e.path.endsWith('/connector/bulkDelete'));
      expect(bulk.map((e) => e.fault ?? e.status)).toEqual([kind, 200]);
    });
  }
});

describe('non.restricted.entity.authorization.failed: retried a few times only', () => {
  it('refused on two runs in a row: FAILED saying nothing was changed; many other deferrals do not count', async () => {
    const c = h.sim.state.addConnector({ groupId, name: 'restricted-1', ...disconnected });
    // Busy answers first (many deferrals of another kind), then the refusal twice in a row.
    h.sim.setFaults({
      rules: [
        { concurrentAccess: 1, maxCount: 3, methods: ['DELETE'] },
        { nonRestrictedAuth: 1, maxCount: 2, methods: ['DELETE'] },
      ],
    });
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }));
    await h.drain();
    const rec = await h.store.get(r.requestId);
    expect(rec?.state).toBe('FAILED');
    expect(rec?.error?.code).toBe('non.restricted.entity.authorization.failed');
    expect(rec?.error?.message).toMatch(/nothing was changed/);
    expect(h.sim.state.connectors.has(c.id)).toBe(true);
  });
});

describe('expired credentials never fail a job (the chaos run: a bulk delete and a snapshot ended FAILED)', () => {
  it('bulk delete: the token expires, a busy answer, then the renewed token expires too: SUCCEEDED', async () => {
    // The old client renewed once per call: the second expiry within the same call (after a retry)
    // was taken for a real authentication failure and the request ended FAILED `auth`.
    retryingClient();
    const made = h.sim.state.addConnectors(groupId, 4, disconnected);
    const scope = { apis: ['zpa' as const], paths: ['/connector/bulkDelete'] };
    h.sim.setFaults({
      rules: [
        { expiredAuth: 1, maxCount: 1, ...scope },
        { editLock: 1, maxCount: 1, ...scope },
        { expiredAuth: 1, maxCount: 1, ...scope },
      ],
    });
    const r = await h.submit(itsm({ action: 'appConnector.bulkDelete', ids: made.map((c) => c.id) }));
    await h.drain();
    const record = await h.store.get(r.requestId);
    expect(record?.error).toBeUndefined();
    expect(record?.state).toBe('SUCCEEDED');
    for (const c of made) expect(h.sim.state.connectors.has(c.id)).toBe(false);
    const bulk = h.sim.callLog.filter((e) => e.path.endsWith('/connector/bulkDelete'));
    expect(bulk.map((e) => e.fault ?? e.status)).toEqual(['expiredAuth', 'editLock', 'expiredAuth', 200]);
    // One sign-in per expiry (the first token was cached by an earlier test).
    expect(h.sim.callLog.filter((e) => e.path === '/signin')).toHaveLength(2);
  });

  it('snapshot (paged listings): the token expires on a page, a 503, then again on the same page: SUCCEEDED', async () => {
    retryingClient();
    const scope = { apis: ['zpa' as const], methods: ['GET'], paths: [/\/connector$/] };
    h.sim.setFaults({
      rules: [
        { expiredAuth: 1, maxCount: 1, ...scope },
        { unavailable: 1, maxCount: 1, ...scope },
        { expiredAuth: 1, maxCount: 1, ...scope },
      ],
    });
    const r = await h.submit({
      action: 'inventory.snapshot',
      tenant: TENANT,
      reason: 'nightly',
      source: { kind: 'schedule', name: 'schedule', ref: 'nightly-expired' },
    } as CanonicalRequestInput);
    await h.drain();
    const record = await h.store.get(r.requestId);
    expect(record?.error).toBeUndefined();
    expect(record?.state).toBe('SUCCEEDED');
    const pages = h.sim.callLog.filter((e) => e.method === 'GET' && /\/connector$/.test(e.path));
    expect(pages.slice(0, 4).map((e) => e.fault ?? e.status)).toEqual([
      'expiredAuth',
      'unavailable',
      'expiredAuth',
      200,
    ]);
  });

  it('ZTW: a session invalidated between retries of one call is signed in again each time', async () => {
    retryingClient();
    const scope = { apis: ['ztw' as const], methods: ['GET'] };
    h.sim.setFaults({
      rules: [
        { sessionInvalidated: 1, maxCount: 1, ...scope },
        { orgBarrier: 0, resourceAccessBlocked: 1, maxCount: 1, ...scope },
        { expiredAuth: 1, maxCount: 1, ...scope },
      ],
    });
    const r = await h.submit({
      action: 'inventory.snapshot',
      tenant: TENANT,
      reason: 'nightly',
      source: { kind: 'schedule', name: 'schedule', ref: 'nightly-ztw-expired' },
    } as CanonicalRequestInput);
    await h.drain();
    const record = await h.store.get(r.requestId);
    expect(record?.error).toBeUndefined();
    expect(record?.state).toBe('SUCCEEDED');
    const ztw = h.sim.callLog.filter((e) => e.api === 'ztw' && e.method === 'GET');
    expect(ztw.slice(0, 4).map((e) => e.fault ?? e.status)).toEqual([
      'sessionInvalidated',
      'resourceAccessBlocked',
      'expiredAuth',
      200,
    ]);
    // Two sessions ended by the server: two sign-ins after the first; Resource Access Blocked made none.
    const logins = h.sim.callLog.filter(
      (e) => e.api === 'auth' && e.method === 'POST' && e.path === '/api/v1/auth',
    );
    expect(logins).toHaveLength(3);
  });
});
