import { describe, expect, it } from 'vitest';
import { DiffBuilder } from '../../../shared/snapshots/diff.ts';
import { SnapshotFormatError } from '../../../shared/snapshots/errors.ts';
import { itemHash } from '../../../shared/snapshots/item-hash.ts';
import { JsonlFile } from '../../../shared/snapshots/jsonl-file.ts';
import { latestPointerKey, snapshotIdFor, snapshotLayout } from '../../../shared/snapshots/layout.ts';
import { MemoryObjectStore } from '../../../shared/snapshots/memory-object-store.ts';
import { loadIndex } from '../../../shared/snapshots/snapshot-index.ts';
import { readLatestPointer, readRecords } from '../../../shared/snapshots/snapshot-reader.ts';
import { SnapshotWriter } from '../../../shared/snapshots/snapshot-writer.ts';
import { SummaryBuilder } from '../../../shared/snapshots/summary.ts';

const T = Date.UTC(2025, 0, 2, 3, 4, 5);
const DAY = 86_400;
const calls = { total: 1, zpa: 1, ztw: 0, byKind: { appConnectors: 1 } };

describe('layout', () => {
  it('dated prefix per tenant, sortable ids, one pointer per tenant', () => {
    const id = snapshotIdFor(T, 'a1b2-c3d4-e5f6-0000');
    expect(id).toBe('20250102T030405Z-a1b2c3d4e5f6');
    const l = snapshotLayout('acme', T, id);
    expect(l.prefix).toBe(`snapshots/acme/2025/01/02/${id}/`);
    expect(l.file('ecVms')).toBe(`snapshots/acme/2025/01/02/${id}/ecVms.jsonl`);
    expect([l.manifest, l.summary, l.diff, l.index].map((k) => k.slice(l.prefix.length))).toEqual([
      'manifest.json',
      'summary.json',
      'diff.json',
      'index.jsonl',
    ]);
    expect(latestPointerKey('acme')).toBe('snapshots/acme/latest.json');
  });
});

describe('item hash', () => {
  it('ignores the "time since" durations, sees every other change', () => {
    const a = { id: '1', name: 'c', lastBrokerConnectTimeDuration: '1m', controlChannelStatus: 'UP' };
    expect(itemHash(a)).toBe(itemHash({ ...a, lastBrokerConnectTimeDuration: '2d' }));
    expect(itemHash(a)).not.toBe(itemHash({ ...a, controlChannelStatus: 'DOWN' }));
    expect(itemHash(a)).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('summary', () => {
  const takenAtMs = 1_000_000 * 1000;
  const nowS = 1_000_000;
  it('disconnected, version drift, stale and empty groups, whichever order records come in', () => {
    const s = new SummaryBuilder({ tenant: 't', snapshotId: 's', takenAtMs, staleAfterDays: 7 });
    // A connector before its group.
    s.observe('appConnectors', {
      id: '10',
      name: 'a',
      appConnectorGroupId: 'g1',
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
      lastBrokerDisconnectTime: String(nowS - 10 * DAY),
      lastBrokerConnectTime: String(nowS - 11 * DAY),
      currentVersion: '1',
      expectedVersion: '2',
    });
    s.observe('appConnectorGroups', { id: 'g1', name: 'one' });
    s.observe('appConnectorGroups', { id: 'g2', name: 'empty' });
    s.observe('appConnectors', {
      id: '11',
      name: 'b',
      appConnectorGroupId: 'g1',
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
      lastBrokerDisconnectTime: String(nowS - 2 * DAY),
    });
    s.observe('appConnectors', { id: '12', name: 'never', appConnectorGroupId: 'g1' });
    s.observe('appConnectors', {
      id: '13',
      name: 'up',
      appConnectorGroupId: 'g1',
      controlChannelStatus: 'ZPN_STATUS_AUTHENTICATED',
      lastBrokerConnectTime: String(nowS - 100 * DAY),
      currentVersion: '2',
      expectedVersion: '2',
    });
    s.observe('ecGroups', { id: 5, name: 'ec-empty' });
    s.observe('ecGroups', { id: 6, name: 'ec' });
    s.observe('ecVms', { id: 60, ecGroupId: 6 });
    s.observe('cloudConnectorGroups', { id: 'cc', name: 'cc', cloudConnectors: [] });
    const out = s.finish();
    expect(out.counts).toEqual({
      appConnectors: 4,
      appConnectorGroups: 2,
      ecGroups: 2,
      ecVms: 1,
      cloudConnectorGroups: 1,
    });
    expect(out.disconnectedConnectors.items.map((c) => c.id)).toEqual(['10', '11']);
    expect(out.versionDrift.items).toEqual([
      { id: '10', name: 'a', groupId: 'g1', currentVersion: '1', expectedVersion: '2' },
    ]);
    expect(out.staleConnectors.items.map((c) => [c.id, c.daysSinceSeen])).toEqual([
      ['10', 10],
      ['12', undefined],
    ]);
    expect(out.emptyGroups.items).toEqual([
      { kind: 'appConnectorGroups', id: 'g2', name: 'empty' },
      { kind: 'ecGroups', id: '5', name: 'ec-empty' },
      { kind: 'cloudConnectorGroups', id: 'cc', name: 'cc' },
    ]);
  });

  it('caps lists but keeps exact counts', () => {
    const s = new SummaryBuilder({ tenant: 't', snapshotId: 's', takenAtMs, maxItemsPerList: 2 });
    for (let i = 0; i < 5; i++)
      s.observe('appConnectors', {
        id: String(i),
        name: `c${i}`,
        controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
      });
    const out = s.finish();
    expect(out.disconnectedConnectors).toMatchObject({ count: 5, truncated: true });
    expect(out.disconnectedConnectors.items).toHaveLength(2);
  });
});

describe('diff', () => {
  it('a baseline counts everything as added without listing it', () => {
    const d = new DiffBuilder(undefined, null);
    d.observe('pccGroups', '1', 'h');
    expect(d.finish('now', ['pccGroups'])).toEqual({
      snapshotId: 'now',
      previous: null,
      baseline: true,
      kinds: {
        pccGroups: {
          added: [],
          removed: [],
          changed: [],
          addedCount: 1,
          removedCount: 0,
          changedCount: 0,
          unchangedCount: 0,
        },
      },
    });
  });

  it('added, removed, changed; kinds this snapshot did not take are not reported removed', () => {
    const prev = new Map([
      [
        'appConnectors',
        new Map([
          ['1', 'a'],
          ['2', 'b'],
          ['3', 'c'],
        ]),
      ],
      ['ecVms', new Map([['9', 'z']])],
    ]) as ConstructorParameters<typeof DiffBuilder>[0];
    const d = new DiffBuilder(prev, { snapshotId: 'p', prefix: 'x/' });
    d.observe('appConnectors', '1', 'a');
    d.observe('appConnectors', '2', 'B');
    d.observe('appConnectors', '4', 'd');
    const out = d.finish('now', ['appConnectors']);
    expect(out.kinds.appConnectors).toMatchObject({
      added: ['4'],
      removed: ['3'],
      changed: ['2'],
      unchangedCount: 1,
    });
    expect(out.kinds.ecVms).toBeUndefined();
    expect(out.previous).toEqual({ snapshotId: 'p', prefix: 'x/' });
  });
});

describe('JSON Lines files', () => {
  it('stream in chunks as they fill, with sha256 and counts of the stored bytes', async () => {
    const store = new MemoryObjectStore();
    const f = new JsonlFile(store, 'k.jsonl', { flushBytes: 100 });
    for (let i = 0; i < 50; i++) await f.append({ id: String(i), pad: 'x'.repeat(20) });
    expect(store.writes.get('k.jsonl')).toBeGreaterThan(5);
    expect(store.objects.has('k.jsonl')).toBe(false);
    const written = await f.close();
    const body = store.objects.get('k.jsonl')!.body;
    expect(written).toMatchObject({ records: 50, bytes: body.length });
    const { createHash } = await import('node:crypto');
    expect(written.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    const records: Record<string, unknown>[] = [];
    for await (const r of readRecords(store, 'k.jsonl')) records.push(r);
    expect(records).toHaveLength(50);
  });
});

describe('snapshot writer (memory store)', () => {
  async function snapshot(
    store: MemoryObjectStore,
    id: string,
    at: number,
    connectors: Record<string, unknown>[],
  ) {
    const w = await SnapshotWriter.open({
      store,
      tenant: 'acme',
      snapshotId: id,
      startedAtMs: at,
      kinds: ['appConnectors', 'pccGroups'],
    });
    for (const c of connectors) await w.add('appConnectors', c);
    return w.finish({ calls, finishedAtMs: at + 5 });
  }

  it('second snapshot diffs against the first through the index; the pointer follows', async () => {
    const store = new MemoryObjectStore();
    const first = await snapshot(store, 's1', T, [
      { id: '1', name: 'a' },
      { id: '2', name: 'b' },
    ]);
    expect(first.diffPrevious).toBeNull();
    expect(first.manifest.counts).toEqual({ appConnectors: 2, pccGroups: 0 });
    expect(await store.getText(first.layout.index)).toBe(
      '["appConnectors","1","' +
        itemHash({ id: '1', name: 'a' }) +
        '"]\n["appConnectors","2","' +
        itemHash({ id: '2', name: 'b' }) +
        '"]\n',
    );
    const second = await snapshot(store, 's2', T + DAY * 1000, [
      { id: '2', name: 'B' },
      { id: '3', name: 'c' },
    ]);
    expect(second.diffPrevious).toBe('s1');
    expect(second.diffCounts.appConnectors).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 0 });
    expect((await readLatestPointer(store, 'acme'))?.snapshotId).toBe('s2');
    expect(second.layout.prefix).toBe('snapshots/acme/2025/01/03/s2/');
  });

  it('refuses records without an id or of a kind it does not cover; abort writes nothing', async () => {
    const store = new MemoryObjectStore();
    const w = await SnapshotWriter.open({
      store,
      tenant: 'x',
      snapshotId: 's',
      startedAtMs: T,
      kinds: ['pccGroups'],
    });
    await expect(w.add('pccGroups', { name: 'no id' })).rejects.toBeInstanceOf(SnapshotFormatError);
    await expect(w.add('ecVms', { id: 1 })).rejects.toBeInstanceOf(SnapshotFormatError);
    await w.add('pccGroups', { id: '1' });
    await w.abort();
    expect(store.keys()).toEqual([]);
  });

  it('a broken index or pointer is a format error, not a silent baseline', async () => {
    const store = new MemoryObjectStore();
    await store.putText('i.jsonl', '["appConnectors","1"]\n', 'application/x-ndjson');
    await expect(loadIndex(store, 'i.jsonl')).rejects.toBeInstanceOf(SnapshotFormatError);
    await store.putText(latestPointerKey('x'), '{"nope":1}', 'application/json');
    await expect(readLatestPointer(store, 'x')).rejects.toBeInstanceOf(SnapshotFormatError);
  });
});
