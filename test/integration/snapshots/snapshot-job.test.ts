import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningFauxqs, startFauxqsServer } from '../../../local/services/fauxqs.ts';
import { type ItsmStandIns, startItsmStandIns } from '../../../local/services/itsm-stand-ins.ts';
import { parseNotifySettings } from '../../../shared/notify/config.ts';
import { TicketNotifier } from '../../../shared/notify/ticket-notifier.ts';
import type { CanonicalRequestInput } from '../../../shared/requests/request.ts';
import { MemorySecretSource } from '../../../shared/secrets/memory-secret-source.ts';
import { S3ObjectStore } from '../../../shared/snapshots/s3-object-store.ts';
import { readLatestPointer, readManifest } from '../../../shared/snapshots/snapshot-reader.ts';
import { type Harness, itsm, startHarness, TENANT } from '../worker/harness.ts';
import { fauxqsBucket } from './setup.ts';

const BUCKET = 'snapshot-job-it';
let h: Harness;
let fq: RunningFauxqs;
let s3: S3Client;
let stand: ItsmStandIns;

beforeAll(async () => {
  h = await startHarness({
    seed: { connectors: 700, groups: 4, ecGroups: 2, vmsPerGroup: 2, pccGroups: 1, cloudConnectorGroups: 1 },
  });
  fq = await startFauxqsServer();
  s3 = await fauxqsBucket(fq.endpoint, BUCKET);
  h.deps.services = { snapshots: { store: new S3ObjectStore(s3, BUCKET), bucket: BUCKET } };
  stand = await startItsmStandIns();
  stand.servicenow.addRecord('change_request', 'CHG0007001');
  h.deps.listeners = [
    new TicketNotifier({
      settings: parseNotifySettings({
        callbacks: [
          {
            kind: 'servicenow',
            source: 'servicenow',
            instanceUrl: stand.servicenow.url,
            secretName: 'zcops/itsm/sn',
          },
        ],
      }),
      secrets: new MemorySecretSource({ 'zcops/itsm/sn': stand.credentials.servicenow }),
      audit: h.audit,
    }),
  ];
});
afterAll(async () => {
  await stand?.stop();
  await h?.stop();
  await fq?.stop();
});

const snapshotRequest = (extra: Record<string, unknown> = {}): CanonicalRequestInput =>
  ({
    action: 'inventory.snapshot',
    tenant: TENANT,
    reason: 'nightly',
    source: { kind: 'schedule', name: 'schedule', ref: 'nightly-1' },
    ...extra,
  }) as CanonicalRequestInput;

describe('inventory.snapshot through the worker run loop', () => {
  it('writes the snapshot, records snapshot.written and the result, and the pointer moves', async () => {
    const r = await h.submit(snapshotRequest());
    await h.drain();
    const rec = await h.store.get(r.requestId);
    expect(rec?.state).toBe('SUCCEEDED');
    expect(rec?.result).toMatchObject({
      bucket: BUCKET,
      counts: { appConnectors: 700, appConnectorGroups: 4, ecGroups: 2, ecVms: 4 },
      calls: 6,
      diff: { previous: null },
    });
    const store = new S3ObjectStore(s3, BUCKET);
    const latest = await readLatestPointer(store, TENANT);
    expect(latest?.prefix).toBe(rec?.result?.prefix);
    expect((await readManifest(store, latest!.manifest))?.requestId).toBe(r.requestId);
    const trail = await h.trail(r.requestId);
    const written = trail.find((e) => e.type === 'snapshot.written');
    expect(written?.resource).toBe(`${TENANT}:snapshot/${rec?.result?.snapshotId}`);
    expect(h.writes()).toEqual([]);
  });

  it('a 429 mid-snapshot defers it with its position on the request; the next run reads on from there', async () => {
    h.sim.reset();
    h.sim.setFaults({ rules: [{ tooManyRequests: 1, maxCount: 1, paths: ['/ecgroup'] }] });
    const r = await h.submit(snapshotRequest());
    try {
      await h.deliverNext();
    } finally {
      h.sim.setFaults({});
    }
    const deferred = await h.store.get(r.requestId);
    expect(deferred?.state).toBe('DEFERRED');
    const saved = (deferred?.result as { snapshot?: Record<string, unknown> } | undefined)?.snapshot;
    expect(saved).toMatchObject({
      listings: { appConnectors: { done: true }, ecGroups: { nextPage: 1, done: false } },
      records: { appConnectors: 700 },
    });
    const zpaReads = h.sim.callLog.filter((c) => c.api === 'zpa').length;
    await h.drain();
    const rec = await h.store.get(r.requestId);
    expect(rec?.state).toBe('SUCCEEDED');
    expect(rec?.result).toMatchObject({
      snapshotId: saved?.snapshotId,
      counts: { appConnectors: 700, appConnectorGroups: 4, ecGroups: 2, ecVms: 4 },
    });
    // The resumed run read only what was left: no ZPA listing again.
    expect(h.sim.callLog.filter((c) => c.api === 'zpa').length).toBe(zpaReads);
  });

  it('dry-run plans every list and object and writes nothing', async () => {
    const store = new S3ObjectStore(s3, BUCKET);
    const before = await readLatestPointer(store, TENANT);
    const r = await h.submit(snapshotRequest({ dryRun: true }));
    await h.drain();
    expect((await h.store.get(r.requestId))?.state).toBe('SUCCEEDED');
    expect((await readLatestPointer(store, TENANT))?.snapshotId).toBe(before?.snapshotId);
    const planned = (await h.trail(r.requestId)).find((e) => e.type === 'planned');
    const paths = ((planned?.detail?.calls ?? []) as { path: string }[]).map((c) => c.path);
    expect(paths.some((p) => p.startsWith('/connector?page=1..N&pagesize=500'))).toBe(true);
    expect(paths.some((p) => p.endsWith('/manifest.json'))).toBe(true);
  });

  it('an ITSM request that settles tells its ticket (work note) and audits the callback', async () => {
    const c = h.sim.state.addConnector({
      groupId: [...h.sim.state.appConnectorGroups.keys()][0]!,
      name: 'old-edge',
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
    });
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }, 'CHG0007001'));
    await h.drain();
    expect((await h.store.get(r.requestId))?.state).toBe('SUCCEEDED');
    const notes = stand.servicenow.notes('CHG0007001');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.value).toContain('appConnector.delete completed (SUCCEEDED)');
    const callback = (await h.trail(r.requestId)).find((e) => e.type === 'callback');
    expect(callback?.detail).toMatchObject({ channel: 'servicenow', ok: true });
  });

  it('a failing callback leaves the outcome as it was', async () => {
    stand.servicenow.failNext(20, 500);
    const c = h.sim.state.addConnector({
      groupId: [...h.sim.state.appConnectorGroups.keys()][0]!,
      name: 'old-edge-2',
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
    });
    const r = await h.submit(itsm({ action: 'appConnector.delete', connector: { id: c.id } }, 'CHG0007001'));
    await h.drain();
    expect((await h.store.get(r.requestId))?.state).toBe('SUCCEEDED');
    const callback = (await h.trail(r.requestId)).find((e) => e.type === 'callback');
    expect(callback?.detail).toMatchObject({ ok: false, status: 500 });
    stand.servicenow.failNext(0);
  });
});
