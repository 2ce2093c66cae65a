import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningFauxqs, startFauxqsServer } from '../../../local/services/fauxqs.ts';
import { readCheckpoint } from '../../../shared/jobs/inventory-snapshot/progress.ts';
import {
  SnapshotInterruptedError,
  takeSnapshot,
} from '../../../shared/jobs/inventory-snapshot/take-snapshot.ts';
import type { SnapshotKind } from '../../../shared/snapshots/kinds.ts';
import type { SnapshotManifest } from '../../../shared/snapshots/manifest.ts';
import { S3ObjectStore } from '../../../shared/snapshots/s3-object-store.ts';
import {
  ExpiredCredentialError,
  RateLimitedError,
  RetryLaterError,
  ValidationError,
} from '../../../shared/zscaler/errors.ts';
import { closeAll, createZpaClient, createZtwClient } from '../../../shared/zscaler/factory.ts';
import type { CallHooks } from '../../../shared/zscaler/hooks.ts';
import { type RunningSimulator, startSimulator } from '../../../simulator/index.ts';
import { manualClock } from '../../fixtures/manual-clock.ts';
import { simTenant, zpaCredentials, ztwCredentials } from '../zscaler/sim-setup.ts';
import { fauxqsBucket } from './setup.ts';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const BUCKET = 'snapshots-resume';

let sim: RunningSimulator;
let fq: RunningFauxqs;
let s3: S3Client;
let store: S3ObjectStore;
const clock = manualClock(NOW);

/** Clients of tenant `name` whose calls pass through `hooks` (a deferral injected on one page). */
function clients(name: string, hooks?: CallHooks) {
  const tenant = simTenant(sim.url, 'legacy', name);
  return {
    zpa: createZpaClient({
      tenant,
      credentials: zpaCredentials(sim.url, 'legacy'),
      clock,
      ...(hooks ? { hooks } : {}),
    }),
    ztw: createZtwClient({
      tenant,
      credentials: ztwCredentials(sim.url, 'legacy'),
      clock,
      ...(hooks ? { hooks } : {}),
    }),
  };
}

/** Refuses the first call whose path matches, as the limiter's "not before T" or a 429 would. */
function deferOnce(match: (path: string) => boolean, error: () => Error): CallHooks {
  let fired = false;
  return {
    async before(call) {
      if (!fired && match(call.path)) {
        fired = true;
        throw error();
      }
      return 0;
    },
  };
}

/** Every page fetched (path and page), in call order. */
const pagesFetched = () =>
  sim.callLog
    .filter((e) => e.api !== 'auth')
    .map((e) => `${e.path}?${/page=(\d+)/.exec(e.query)?.[1] ?? '?'}`);

async function bytesOf(key: string): Promise<string> {
  return (await store.getText(key)) ?? '';
}

async function filesOf(manifest: SnapshotManifest): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [kind, file] of Object.entries(manifest.files)) out[kind] = await bytesOf(file.key);
  // Kinds are read side by side, so the index's line order depends on timing: compare it as a set.
  out.index = (await bytesOf(manifest.index.key)).split('\n').sort().join('\n');
  return out;
}

beforeAll(async () => {
  sim = await startSimulator({
    seed: {
      connectors: 2600,
      groups: 12,
      ecGroups: 3,
      vmsPerGroup: 2,
      pccGroups: 2,
      cloudConnectorGroups: 2,
    },
    rateLimits: false,
    clock,
  });
  fq = await startFauxqsServer();
  s3 = await fauxqsBucket(fq.endpoint, BUCKET);
  store = new S3ObjectStore(s3, BUCKET);
});
afterAll(async () => {
  await closeAll();
  await sim?.stop();
  await fq?.stop();
});

describe('a deferred snapshot resumes where it stopped', () => {
  it('deferred in the middle of the connector pages, resumed: the same files as an uninterrupted one, each page fetched once', async () => {
    // The reference: one run, nothing in the way (its own tenant, so neither diffs against the other).
    const whole = clients('whole');
    const reference = await takeSnapshot({ tenant: 'whole', store, ...whole, snapshotId: 'ref', clock });
    await whole.ztw.close();

    sim.reset();
    const pageFour = (p: string) => /\/connector\?/.test(p) && /[?&]page=4(&|$)/.test(p);
    const notBefore = NOW + 30_000;
    const first = clients(
      'resumed',
      deferOnce(pageFour, () => new RetryLaterError('rate limit: budget', notBefore, 'rate-limit')),
    );
    const interrupted = await takeSnapshot({
      tenant: 'resumed',
      store,
      ...first,
      snapshotId: 'cut',
      clock,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    await first.ztw.close();
    expect(interrupted).toBeInstanceOf(SnapshotInterruptedError);
    const error = interrupted as SnapshotInterruptedError;
    expect(error.cause).toBeInstanceOf(RetryLaterError);
    // What the worker keeps on the request, read back as the next run would.
    const checkpoint = readCheckpoint(JSON.parse(JSON.stringify(error.progress)));
    expect(checkpoint).toBeDefined();
    expect(checkpoint?.listings.appConnectors).toEqual({ nextPage: 4, done: false });
    expect(checkpoint?.records.appConnectors).toBe(1500);
    // Nothing points at the unfinished snapshot.
    expect(await store.getText('snapshots/resumed/latest.json')).toBeUndefined();

    // The next run: later, with clients that are no longer refused.
    const second = clients('resumed');
    const resumed = await takeSnapshot({
      tenant: 'resumed',
      store,
      ...second,
      snapshotId: 'another-id-ignored',
      clock,
      resume: checkpoint!,
    });
    await second.ztw.close();
    expect(resumed.manifest.snapshotId).toBe('cut');
    expect(resumed.manifest.counts).toEqual(reference.manifest.counts);
    const got = await filesOf(resumed.manifest);
    const want = await filesOf(reference.manifest);
    for (const kind of Object.keys(want)) expect(got[kind], kind).toBe(want[kind]);
    expect(resumed.manifest.files.appConnectors?.sha256).toBe(reference.manifest.files.appConnectors?.sha256);
    expect(resumed.summary.counts).toEqual(reference.summary.counts);
    expect(resumed.diffCounts.appConnectors).toEqual({ added: 2600, removed: 0, changed: 0, unchanged: 0 });

    // Each page once over both runs, except at most the one in flight when the deferral came.
    const fetched = pagesFetched();
    const repeated = fetched.filter((p, i) => fetched.indexOf(p) !== i);
    expect(repeated.length).toBeLessThanOrEqual(1);
    // Six connector pages of 500, all fetched (the refused page 4 was never sent in the first run).
    expect(fetched.filter((p) => p.endsWith('/connector?4'))).toHaveLength(1);
    expect(new Set(fetched.filter((p) => /\/connector\?\d+$/.test(p))).size).toBe(6);
    expect(resumed.manifest.calls.byKind.appConnectors).toBeGreaterThanOrEqual(6);
  });

  it('a 429 on the ecgroup listing keeps the ZPA kinds that finished; the resumed run reads ZPA no more', async () => {
    sim.reset();
    const first = clients(
      'ztw-cut',
      deferOnce(
        (p) => p.includes('/ecgroup'),
        () => new RateLimitedError('GET /ecgroup answered 429', 13_000),
      ),
    );
    const e = await takeSnapshot({ tenant: 'ztw-cut', store, ...first, snapshotId: 'z', clock }).then(
      () => undefined,
      (err: unknown) => err,
    );
    await first.ztw.close();
    expect(e).toBeInstanceOf(SnapshotInterruptedError);
    const checkpoint = (e as SnapshotInterruptedError).checkpoint;
    expect(checkpoint.listings.ecGroups).toEqual({ nextPage: 1, done: false });
    expect(checkpoint.listings.appConnectors?.done).toBe(true);
    const zpaCallsBefore = sim.callLog.filter((c) => c.api === 'zpa').length;

    const second = clients('ztw-cut');
    const done = await takeSnapshot({
      tenant: 'ztw-cut',
      store,
      ...second,
      snapshotId: 'z',
      clock,
      resume: checkpoint,
    });
    await second.ztw.close();
    expect(sim.callLog.filter((c) => c.api === 'zpa').length).toBe(zpaCallsBefore);
    expect(done.manifest.counts).toMatchObject({ appConnectors: 2600, ecGroups: 3, ecVms: 6 });
  });

  it('an error whose disposition defers keeps the checkpoint (a rejected fresh credential too); one that fails aborts', async () => {
    sim.reset();
    const expired = clients(
      'expired',
      deferOnce(
        (p) => p.includes('/ecgroup'),
        () => new ExpiredCredentialError('rejected right after renewal', { status: 401 }),
      ),
    );
    const e = await takeSnapshot({ tenant: 'expired', store, ...expired, snapshotId: 'x', clock }).catch(
      (err: unknown) => err,
    );
    await expired.ztw.close();
    expect(e).toBeInstanceOf(SnapshotInterruptedError);
    expect((e as Error).cause).toBeInstanceOf(ExpiredCredentialError);
    expect((e as SnapshotInterruptedError).checkpoint.listings.appConnectors?.done).toBe(true);
    const invalid = clients(
      'invalid',
      deferOnce(
        (p) => p.includes('/ecgroup'),
        () => new ValidationError('bad request', { status: 400 }),
      ),
    );
    const f = await takeSnapshot({ tenant: 'invalid', store, ...invalid, snapshotId: 'v', clock }).catch(
      (err: unknown) => err,
    );
    await invalid.ztw.close();
    expect(f).toBeInstanceOf(ValidationError);
  });

  it('a checkpoint whose file was changed behind its back starts over into the same prefix', async () => {
    sim.reset();
    const first = clients(
      'tampered',
      deferOnce(
        (p) => /\/connector\?/.test(p) && /[?&]page=3(&|$)/.test(p),
        () => new RetryLaterError('rate limit: budget', NOW, 'rate-limit'),
      ),
    );
    const e = (await takeSnapshot({ tenant: 'tampered', store, ...first, snapshotId: 't', clock }).catch(
      (err: unknown) => err,
    )) as SnapshotInterruptedError;
    await first.ztw.close();
    const key = 'snapshots/tampered/2025/06/01/t/appConnectors.jsonl';
    const text = await bytesOf(key);
    await store.putText(key, text.split('\n').slice(1).join('\n'), 'application/x-ndjson');
    const second = clients('tampered');
    const done = await takeSnapshot({
      tenant: 'tampered',
      store,
      ...second,
      snapshotId: 't',
      clock,
      resume: e.checkpoint,
    });
    await second.ztw.close();
    expect(done.manifest.counts.appConnectors).toBe(2600);
    expect((await bytesOf(key)).trimEnd().split('\n')).toHaveLength(2600);
    const kinds = Object.keys(done.manifest.files) as SnapshotKind[];
    expect(kinds).toContain('ecVms');
  });
});
