import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningFauxqs, startFauxqsServer } from '../../../local/services/fauxqs.ts';
import { takeSnapshot } from '../../../shared/jobs/inventory-snapshot/take-snapshot.ts';
import type { SnapshotDiff } from '../../../shared/snapshots/diff.ts';
import type { SnapshotKind } from '../../../shared/snapshots/kinds.ts';
import { latestPointerKey } from '../../../shared/snapshots/layout.ts';
import { S3ObjectStore } from '../../../shared/snapshots/s3-object-store.ts';
import { readLatestPointer, readManifest, readRecords } from '../../../shared/snapshots/snapshot-reader.ts';
import type { SnapshotSummary } from '../../../shared/snapshots/summary.ts';
import { closeAll, createZpaClient, createZtwClient } from '../../../shared/zscaler/factory.ts';
import { EcVmSchema } from '../../../shared/zscaler/schemas/ztw.ts';
import type { ZpaClient } from '../../../shared/zscaler/zpa/client.ts';
import type { ZtwClient } from '../../../shared/zscaler/ztw/client.ts';
import { type RunningSimulator, startSimulator } from '../../../simulator/index.ts';
import { renderConnector, renderEcGroup, renderEcVm } from '../../../simulator/state/render.ts';
import { manualClock } from '../../fixtures/manual-clock.ts';
import { simTenant, zpaCredentials, ztwCredentials } from '../zscaler/sim-setup.ts';
import { collect, fauxqsBucket, observedStore } from './setup.ts';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const BUCKET = 'snapshots-it';

let sim: RunningSimulator;
let fq: RunningFauxqs;
let s3: S3Client;
let store: S3ObjectStore;
let zpa: ZpaClient;
let ztw: ZtwClient;
const clock = manualClock(NOW);

beforeAll(async () => {
  sim = await startSimulator({
    seed: {
      connectors: 1200,
      groups: 12,
      ecGroups: 3,
      vmsPerGroup: 2,
      pccGroups: 2,
      cloudConnectorGroups: 2,
    },
    rateLimits: false,
    clock,
  });
  sim.state.addAppConnectorGroup({ name: 'empty-group' });
  fq = await startFauxqsServer();
  s3 = await fauxqsBucket(fq.endpoint, BUCKET);
  store = new S3ObjectStore(s3, BUCKET);
  const tenant = simTenant(sim.url, 'legacy', 'acme');
  zpa = createZpaClient({ tenant, credentials: zpaCredentials(sim.url, 'legacy'), clock });
  ztw = createZtwClient({ tenant, credentials: ztwCredentials(sim.url, 'legacy'), clock });
});
afterAll(async () => {
  await ztw?.close();
  await closeAll();
  await sim?.stop();
  await fq?.stop();
});

const apiCalls = () => sim.callLog.filter((e) => e.api !== 'auth');
const byId = <T extends { id?: unknown }>(items: T[]) =>
  [...items].sort((a, b) => String(a.id).localeCompare(String(b.id)));

async function objectText(key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

describe('inventory snapshot against the simulator, into fauxqs S3', () => {
  let firstId = '';

  it('writes files that match the simulator inventory exactly, at the minimum number of calls', async () => {
    sim.reset();
    const writes: { key: string; listCallsSoFar: number }[] = [];
    const connectorListCalls = () => sim.callLog.filter((e) => e.path.endsWith('/connector')).length;
    const observed = observedStore(store, (key) =>
      writes.push({ key, listCallsSoFar: connectorListCalls() }),
    );
    firstId = 'snap-1';
    const result = await takeSnapshot({
      tenant: 'acme',
      store: observed,
      zpa,
      ztw,
      snapshotId: firstId,
      clock,
    });
    const { manifest } = result;

    expect(manifest.prefix).toBe(`snapshots/acme/2025/06/01/${firstId}/`);
    expect(manifest.counts).toEqual({
      appConnectors: 1200,
      appConnectorGroups: 13,
      cloudConnectorGroups: 2,
      pccGroups: 2,
      ecGroups: 3,
      ecVms: 6,
    });
    // 3 connector pages of 500, one page each for the rest: the minimum.
    expect(manifest.calls).toEqual({
      total: 7,
      zpa: 6,
      ztw: 1,
      byKind: { appConnectors: 3, appConnectorGroups: 1, cloudConnectorGroups: 1, pccGroups: 1, ecGroups: 1 },
    });
    expect(apiCalls()).toHaveLength(7);
    expect(
      apiCalls()
        .filter((c) => c.api === 'zpa')
        .every((c) => c.query.includes('pagesize=500')),
    ).toBe(true);
    expect(apiCalls().find((c) => c.api === 'ztw')?.query).toContain('pageSize=1000');

    // Connectors: exactly what the simulator serves, field for field.
    const connectors = await collect(readRecords(store, manifest.files.appConnectors!.key));
    // The client reads a null optional field as absent (the simulator sends some as null, as Zscaler does).
    const expected = [...sim.state.connectors.values()].map((c) =>
      Object.fromEntries(Object.entries(renderConnector(sim.state, c)).filter(([, v]) => v !== null)),
    );
    expect(byId(connectors)).toEqual(byId(expected));

    // Groups: the simulator's groups without the embedded connectors (they have their own file).
    const groups = await collect(readRecords(store, manifest.files.appConnectorGroups!.key));
    expect(groups.map((g) => g.name).sort()).toEqual(
      [...sim.state.appConnectorGroups.values()].map((g) => g.name).sort(),
    );
    expect(groups.some((g) => 'connectors' in g)).toBe(false);

    // ecgroups and VMs: VMs moved out of their group and tagged with it.
    const ecGroups = await collect(readRecords(store, manifest.files.ecGroups!.key));
    const ecVms = await collect(readRecords(store, manifest.files.ecVms!.key));
    const simGroups = [...sim.state.ecGroups.values()];
    expect(byId(ecGroups)).toEqual(
      byId(
        simGroups.map((g) => {
          const { ecVMs: _vms, ...rest } = renderEcGroup(g);
          return rest;
        }),
      ),
    );
    expect(byId(ecVms)).toEqual(
      // As the client reads them: its schema turns the numeric `upgradeStatus` into a string.
      byId(
        simGroups.flatMap((g) =>
          g.vms.map((v) => ({ ...EcVmSchema.parse(renderEcVm(v)), ecGroupId: g.id, ecGroupName: g.name })),
        ),
      ),
    );

    // Checksums and sizes in the manifest are those of the stored bytes.
    for (const [, file] of Object.entries(manifest.files)) {
      const bytes = await objectText(file.key);
      expect(bytes.length).toBe(file.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
      expect(bytes.toString('utf8').trimEnd().split('\n')).toHaveLength(file.records);
    }
    const summaryBytes = await objectText(manifest.summary.key);
    expect(createHash('sha256').update(summaryBytes).digest('hex')).toBe(manifest.summary.sha256);

    // Streaming: connector lines reached the upload before the last connector page was fetched.
    const connectorWrites = writes.filter((w) => w.key.endsWith('appConnectors.jsonl'));
    expect(connectorWrites.length).toBeGreaterThan(1);
    expect(connectorWrites[0]!.listCallsSoFar).toBeLessThan(3);

    const latest = await readLatestPointer(store, 'acme');
    expect(latest?.snapshotId).toBe(firstId);
    expect((await readManifest(store, latest!.manifest))?.snapshotId).toBe(firstId);
  });

  it('summarises disconnected, version drift, stale connectors and empty groups', async () => {
    const latest = await readLatestPointer(store, 'acme');
    const summary = JSON.parse(
      (await objectText(`${latest!.prefix}summary.json`)).toString(),
    ) as SnapshotSummary;
    const all = [...sim.state.connectors.values()];
    const disconnected = all.filter((c) => c.controlChannelStatus === 'ZPN_STATUS_DISCONNECTED');
    expect(summary.disconnectedConnectors.count).toBe(disconnected.length);
    expect(summary.disconnectedConnectors.items.map((c) => c.id).sort()).toEqual(
      disconnected.map((c) => c.id).sort(),
    );
    const drift = all.filter((c) => c.currentVersion !== c.expectedVersion);
    expect(drift.length).toBeGreaterThan(0);
    expect(summary.versionDrift.items.map((c) => c.id).sort()).toEqual(drift.map((c) => c.id).sort());
    const nowS = NOW / 1000;
    const stale = disconnected.filter(
      (c) => nowS - Math.max(c.lastBrokerConnectTime ?? 0, c.lastBrokerDisconnectTime ?? 0) > 7 * 86_400,
    );
    expect(stale.length).toBeGreaterThan(0);
    expect(summary.staleConnectors.items.map((c) => c.id).sort()).toEqual(stale.map((c) => c.id).sort());
    expect(summary.emptyGroups.items).toEqual([
      { kind: 'appConnectorGroups', id: expect.any(String), name: 'empty-group' },
    ]);
  });

  it('diffs against the previous snapshot: added, removed and changed ids per kind', async () => {
    const first = await readLatestPointer(store, 'acme');
    const diff1 = JSON.parse((await objectText(`${first!.prefix}diff.json`)).toString()) as SnapshotDiff;
    expect(diff1.baseline).toBe(true);
    expect(diff1.kinds.appConnectors?.addedCount).toBe(1200);

    const [removed, changed] = [...sim.state.connectors.values()].slice(5, 7);
    sim.state.removeConnector(removed!.id);
    sim.state.setConnectorStatus(
      changed!.id,
      changed!.controlChannelStatus === 'ZPN_STATUS_DISCONNECTED'
        ? 'ZPN_STATUS_AUTHENTICATED'
        : 'ZPN_STATUS_DISCONNECTED',
    );
    const group = [...sim.state.appConnectorGroups.values()][0]!;
    const [added] = sim.state.addConnectors(group.id, 1);
    const vm = sim.state.addEcVm([...sim.state.ecGroups.keys()][0]!);
    // Time moves on: durations change, which must not count as a change.
    clock.set(NOW + 3_600_000);

    const result = await takeSnapshot({ tenant: 'acme', store, zpa, ztw, snapshotId: 'snap-2', clock });
    const diff = JSON.parse((await objectText(result.manifest.diff.key)).toString()) as SnapshotDiff;
    expect(diff.baseline).toBe(false);
    expect(diff.previous).toEqual({ snapshotId: firstId, prefix: first!.prefix });
    const connectors = diff.kinds.appConnectors!;
    expect(connectors.added).toEqual([added!.id]);
    expect(connectors.removed).toEqual([removed!.id]);
    expect(connectors.changed).toEqual([changed!.id]);
    expect(connectors.unchangedCount).toBe(1198);
    expect(diff.kinds.ecVms?.added).toEqual([String(vm.id)]);
    // The ecgroup that gained a VM is unchanged: its VMs live in their own file.
    expect(diff.kinds.ecGroups?.changed).toEqual([]);
    const kinds: SnapshotKind[] = ['appConnectorGroups', 'cloudConnectorGroups', 'pccGroups'];
    for (const k of kinds) expect(diff.kinds[k]?.changedCount, k).toBe(0);
    expect(result.diffCounts.appConnectors).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 1198 });
    expect((await readLatestPointer(store, 'acme'))?.snapshotId).toBe('snap-2');
  });

  it('a tenant with only ZPA snapshots ZPA kinds; one with only ZTW snapshots ZTW kinds', async () => {
    const onlyZpa = await takeSnapshot({ tenant: 'zpa-only', store, zpa, snapshotId: 'z1', clock });
    expect(Object.keys(onlyZpa.manifest.files).sort()).toEqual(
      ['appConnectorGroups', 'appConnectors', 'cloudConnectorGroups', 'pccGroups'].sort(),
    );
    expect(onlyZpa.manifest.apis).toEqual(['zpa']);
    const onlyZtw = await takeSnapshot({ tenant: 'ztw-only', store, ztw, snapshotId: 'w1', clock });
    expect(Object.keys(onlyZtw.manifest.files).sort()).toEqual(['ecGroups', 'ecVms']);
    expect(onlyZtw.manifest.calls).toMatchObject({ total: 1, zpa: 0, ztw: 1 });
    expect(await store.getText(latestPointerKey('ztw-only'))).toContain('"w1"');
  });

  it('streams a multi-part object (over 5 MiB) through the multipart upload intact', async () => {
    const group = [...sim.state.appConnectorGroups.values()][1]!;
    sim.state.addConnectors(group.id, 5200, { extra: { note: 'x'.repeat(400) } });
    const result = await takeSnapshot({ tenant: 'big', store, zpa, snapshotId: 'b1', clock });
    const file = result.manifest.files.appConnectors!;
    expect(file.bytes).toBeGreaterThan(5 * 1024 * 1024);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: file.key }));
    expect(head.ETag).toMatch(/-\d+"?$/);
    const bytes = await objectText(file.key);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
  });

  it('a failure mid-snapshot aborts the uploads and leaves the latest pointer where it was', async () => {
    const before = await store.getText(latestPointerKey('acme'));
    sim.setFaults({ rules: [{ serverError: 1, paths: ['/privateCloudControllerGroup'] }] });
    try {
      await expect(
        takeSnapshot({ tenant: 'acme', store, zpa, ztw, snapshotId: 'broken', clock }),
      ).rejects.toThrow();
    } finally {
      sim.setFaults({});
    }
    expect(await store.getText(latestPointerKey('acme'))).toBe(before);
    expect(await store.getText(`snapshots/acme/2025/06/01/broken/manifest.json`)).toBeUndefined();
  });
});
