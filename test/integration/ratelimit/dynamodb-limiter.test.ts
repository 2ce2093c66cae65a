import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDynalite, startDynalite } from '../../../local/services/dynalite.ts';
import { systemClock } from '../../../shared/core/clock.ts';
import { DynamoDbRateLimitStore } from '../../../shared/ratelimit/dynamodb-store.ts';
import { RateLimiter } from '../../../shared/ratelimit/limiter.ts';
import { RateLimits } from '../../../shared/ratelimit/limits.ts';
import { rateLimitTableDefinition } from '../../../shared/ratelimit/table.ts';
import { maxInWindow } from '../../unit/ratelimit/virtual-clock.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const TABLE = 'zcops-ratelimit-test';

describe('RateLimiter on DynamoDB (dynalite over loopback)', () => {
  let ddb: RunningDynalite;
  const clients: DynamoDBClient[] = [];
  const newStore = () => {
    const client = new DynamoDBClient({
      endpoint: ddb.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    clients.push(client);
    return new DynamoDbRateLimitStore({ client, tableName: TABLE });
  };

  beforeAll(async () => {
    ddb = await startDynalite();
    const admin = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'us-east-1', credentials });
    await admin.send(new CreateTableCommand(rateLimitTableDefinition(TABLE)));
    admin.destroy();
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await ddb.stop();
  });

  it('reserves with one conditional write per permit and reads the state back', async () => {
    const store = newStore();
    const limiter = new RateLimiter({ store, limits: RateLimits.from() });
    const a = await limiter.acquire('one/zpa/write');
    const b = await limiter.acquire('one/zpa/write');
    expect(a).toMatchObject({ ok: true, waitMs: 0, requests: 1 });
    expect(b).toMatchObject({ ok: true, requests: 1 });
    if (!a.ok || !b.ok) return;
    expect(b.slotAt - a.slotAt).toBe(1035);
    expect(store.requests).toBe(2);
    const state = await limiter.state('one/zpa/write');
    expect(state).toMatchObject({ key: 'one/zpa/write', granted: 2, blocks: 0, blocked: false });
    expect(state?.windows[0]?.tat).toBe(b.slotAt + 1035);
  });

  it('answers "not before T" from the failed write without reserving', async () => {
    const store = newStore();
    const limiter = new RateLimiter({ store, limits: RateLimits.from() });
    await limiter.acquire('two/ztw/delete');
    const r = await limiter.acquire('two/ztw/delete', { maxWaitMs: 5_000 });
    expect(r).toMatchObject({ ok: false, reason: 'budget' });
    if (r.ok) return;
    expect(r.notBefore).toBeGreaterThan(systemClock.now() + 55_000);
    expect((await store.read('two/ztw/delete'))?.granted).toBe(1);
  });

  it('moves a late permit only while nobody reserved after it, without counting another permit', async () => {
    const store = newStore();
    const key = 'move/ztw/delete';
    const now = Date.now();
    const ops = [
      { id: 'w60000', form: 'add' as const, intervalMs: 61_850, maxTat: now + 61_850 },
      { id: 'w3600000', form: 'add' as const, intervalMs: 1_236_017, maxTat: now + 2_000_000 },
    ];
    const first = await store.reserve({ key, now, ops });
    if (!first.ok) throw new Error('expected a permit');
    const set = { w60000: now + 500 + 61_850, w3600000: now + 500 + 1_236_017 };
    expect(await store.move({ key, now: now + 500, expect: first.tats, set })).toEqual({
      ok: true,
      tats: set,
    });
    // The tats moved on: the same move no longer applies, and the answer carries the state.
    const again = await store.move({ key, now: now + 600, expect: first.tats, set });
    expect(again).toMatchObject({ ok: false, current: { tats: set, granted: 1 } });
  });

  it('a 429 block made by one worker stops another, and only ever extends', async () => {
    const a = new RateLimiter({ store: newStore(), limits: RateLimits.from() });
    const b = new RateLimiter({ store: newStore(), limits: RateLimits.from() });
    const until = systemClock.now() + 60_000;
    expect(await a.block('three/zpa/read', until)).toBe(true);
    expect(await a.block('three/zpa/read', until - 30_000)).toBe(false);
    const r = await b.acquire('three/zpa/read', { maxWaitMs: 120_000 });
    expect(r).toMatchObject({ ok: false, reason: 'blocked' });
    if (!r.ok) expect(r.notBefore).toBeGreaterThanOrEqual(until);
    expect(await b.state('three/zpa/read')).toMatchObject({ blocked: true, blockedUntil: until, blocks: 1 });
    expect((await b.listKeys('three')).map((k) => k.key)).toEqual(['three/zpa/read']);
  });

  it('20 workers with their own clients never overflow the window, at about one request per permit', async () => {
    // 10 per 10 s, time-scaled 10x: 10 permits per 1 s (15 ms left for a late answer).
    const limits = RateLimits.from({ timeScale: 10, margin: 0.03 });
    const windows = limits.windowsFor({ tenant: 'four', api: 'zpa', rateClass: 'write' });
    if (windows === 'unlimited') throw new Error('expected a window');
    const stores = Array.from({ length: 20 }, newStore);
    // Warm clients, as a Lambda past its first invocation has: a cold connection's first answer can
    // come back later than the 15 ms this time scale leaves for it, and would be moved (one request more).
    await Promise.all(stores.map((s) => s.read('warmup/zpa/write')));
    const slots: number[] = [];
    let steadyRequests = 0;
    await Promise.all(
      stores.map(async (store) => {
        const limiter = new RateLimiter({ store, limits });
        for (let i = 0; i < 4; i++) {
          const r = await limiter.acquire('four/zpa/write', { maxWaitMs: 60_000 });
          if (!r.ok) throw new Error(`unexpected refusal: ${r.reason}`);
          slots.push(r.slotAt);
          if (i > 0) steadyRequests += r.requests;
          await systemClock.sleep(r.waitMs);
        }
      }),
    );
    expect(slots.length).toBe(80);
    expect(maxInWindow(slots, windows[0]!.windowMs)).toBeLessThanOrEqual(10);
    // The first permits race the key's creation and all come at once (on a loaded machine their answers
    // can be later than the 15 ms this time scale leaves, and are moved); after that, atomic adds only.
    expect(steadyRequests).toBeLessThanOrEqual(60 + 20);
  });
});
