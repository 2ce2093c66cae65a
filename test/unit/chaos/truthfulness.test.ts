import { describe, expect, it } from 'vitest';
import {
  type CallSeen,
  type ChangeSeen,
  checkTruthfulness,
  type RequestSeen,
  type RunFacts,
  snapshotFiles,
  type UpstreamSeen,
} from '../../../bench/chaos/truthfulness.ts';

const BASE = '/mgmtconfig/v1/admin/customers/1';
let n = 0;
const call = (method: string, path: string, status?: number, fault?: string): CallSeen => ({
  index: n++,
  at: 0,
  method,
  path,
  ...(status !== undefined ? { status } : {}),
  ...(fault ? { fault } : {}),
});
const removed = (id: string, c?: CallSeen, groupId = 'g1'): ChangeSeen => ({
  op: 'removed',
  kind: 'connector',
  id,
  name: `c-${id}`,
  groupId,
  ...(c ? { call: c } : {}),
});
const del = (id: string, status = 204) => call('DELETE', `${BASE}/connector/${id}`, status);
const bulk = (status = 200) => call('POST', `${BASE}/connector/bulkDelete`, status);

const upstream = (over: Partial<UpstreamSeen> = {}): UpstreamSeen => ({
  connectorIds: new Set(),
  groups: [],
  vms: [],
  changes: [],
  calls: [],
  ...over,
});
const facts = (over: Partial<RunFacts> = {}): RunFacts => ({
  connectorsAtStart: new Map([
    ['1', { name: 'c-1', groupId: 'g1' }],
    ['2', { name: 'c-2', groupId: 'g1', privateIp: '10.0.0.2' }],
    ['3', { name: 'c-3', groupId: 'g2' }],
  ]),
  vmsAtStart: [{ groupId: 7, vmId: 70, instanceId: 'i-070' }],
  teardownConnectors: new Map([['i-aaa', '3']]),
  objects: new Map(),
  ...over,
});
const req = (
  action: string,
  state: string,
  request: Record<string, unknown>,
  extra: Partial<RequestSeen> = {},
): RequestSeen => ({ requestId: `r-${n++}`, action, state, request, ...extra });
const deleteOf = (id: string, state = 'SUCCEEDED', extra: Partial<RequestSeen> = {}) =>
  req('appConnector.delete', state, { connector: { id } }, extra);

const untruths = (requests: RequestSeen[], up: UpstreamSeen, f: RunFacts = facts()) =>
  checkTruthfulness(requests, up, f).untruthful;

describe('checkTruthfulness: connector deletions', () => {
  it('holds for a SUCCEEDED deletion whose DELETE (or bulkDelete) landed and whose connector is gone', () => {
    const up = upstream({ changes: [removed('1', del('1')), removed('2', bulk())] });
    expect(untruths([deleteOf('1', 'SUCCEEDED', { result: { deleted: '1' } }), deleteOf('2')], up)).toEqual(
      [],
    );
  });

  it('holds for an ambiguous DELETE that landed (applied, then 500)', () => {
    const up = upstream({
      changes: [removed('1', call('DELETE', `${BASE}/connector/1`, 500, 'appliedThenError'))],
    });
    expect(untruths([deleteOf('1')], up)).toEqual([]);
  });

  it('reports a SUCCEEDED deletion whose connector still exists', () => {
    const r = deleteOf('1');
    const v = untruths([r], upstream({ connectorIds: new Set(['1']) }));
    expect(v).toEqual([
      {
        requestId: r.requestId,
        action: 'appConnector.delete',
        state: 'SUCCEEDED',
        claim: 'SUCCEEDED: {}',
        upstream: 'connector 1 still exists',
      },
    ]);
  });

  it('reports a SUCCEEDED deletion of a gone connector that no delete removed, unless it says already gone', () => {
    const harness = upstream({ changes: [removed('1')] });
    expect(untruths([deleteOf('1')], harness).map((u) => u.upstream)).toEqual([
      'connector 1 is gone but no DELETE or bulkDelete of it landed',
    ]);
    expect(untruths([deleteOf('1', 'SUCCEEDED', { result: { alreadyGone: true } })], harness)).toEqual([]);
    // The removal was another connector's DELETE path: not a delete of this one.
    const wrong = upstream({ changes: [removed('1', call('PUT', `${BASE}/connector/1`, 204))] });
    expect(untruths([deleteOf('1')], wrong)[0]?.upstream).toMatch(
      /no DELETE or bulkDelete of it landed \(removed by call #\d+ PUT/,
    );
  });

  it('resolves a connector named by name or by address within its group', () => {
    const up = upstream({ connectorIds: new Set(['1', '2']) });
    const byName = req('appConnector.delete', 'SUCCEEDED', { connector: { name: 'c-1' } });
    const byIp = req('appConnector.delete', 'SUCCEEDED', {
      connector: { privateIp: '10.0.0.2', groupId: 'g1' },
    });
    expect(untruths([byName, byIp], up).map((u) => u.upstream)).toEqual([
      'connector 1 still exists',
      'connector 2 still exists',
    ]);
    const unknown = req('appConnector.delete', 'SUCCEEDED', { connector: { name: 'nobody' } });
    expect(untruths([unknown], up)[0]?.upstream).toMatch(/never existed/);
  });

  it('reports a REJECTED or FAILED deletion whose write landed, unless its result names it', () => {
    const up = upstream({ changes: [removed('1', del('1')), removed('2', del('2'))] });
    const rejected = deleteOf('1', 'REJECTED', { error: { message: 'connected' } });
    const named = deleteOf('2', 'FAILED', { error: { message: 'x' }, result: { deleted: '2' } });
    const v = untruths([rejected, named], up);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({
      requestId: rejected.requestId,
      state: 'REJECTED',
      claim: 'REJECTED: connected',
    });
    expect(v[0]?.upstream).toMatch(
      /^connector 1 \(c-1\) was removed by call #\d+ DELETE .*\/connector\/1 → 204, and the result does not say so$/,
    );
  });

  it('judges a bulk deletion id by id: deleted ones landed, the rest already gone; a refused one removed nothing', () => {
    const up = upstream({ connectorIds: new Set(['3']), changes: [removed('1', bulk())] });
    const ok = req(
      'appConnector.bulkDelete',
      'SUCCEEDED',
      { ids: ['1', '2'] },
      { result: { ids: ['1'], alreadyGone: 1 } },
    );
    const lying = req(
      'appConnector.bulkDelete',
      'SUCCEEDED',
      { ids: ['2', '3'] },
      { result: { ids: ['2', '3'] } },
    );
    expect(untruths([ok, lying], up).map((u) => `${u.requestId === lying.requestId} ${u.upstream}`)).toEqual([
      'true connector 2 is gone but no DELETE or bulkDelete of it landed',
      'true connector 3 still exists',
    ]);
    const refused = req(
      'appConnector.bulkDelete',
      'REJECTED',
      { ids: ['1', '3'] },
      { error: { message: 'protected' } },
    );
    expect(untruths([refused], up).map((u) => u.upstream)).toEqual([
      expect.stringMatching(/^connector 1 \(c-1\) was removed by call #\d+ POST .*bulkDelete → 200/),
    ]);
  });

  it('pairs a teardown with its instance connector: gone by a DELETE, or reported', () => {
    const t = req(
      'appConnector.teardown',
      'SUCCEEDED',
      { instanceId: 'i-aaa', groupId: 'g2' },
      { result: { connector: null } },
    );
    expect(untruths([t], upstream({ connectorIds: new Set(['3']) }))[0]?.upstream).toBe(
      'connector 3 still exists',
    );
    expect(untruths([t], upstream({ changes: [removed('3', del('3'), 'g2')] }))).toEqual([]);
    const stranger = req('appConnector.teardown', 'SUCCEEDED', { instanceId: 'i-zzz', groupId: 'g2' });
    expect(untruths([stranger], upstream())[0]?.upstream).toMatch(/knows no connector/);
  });

  it('judges a cleanup by the ids its result lists; a failed one by its group', () => {
    const up = upstream({ changes: [removed('1', bulk()), removed('2', bulk())] });
    const ok = req(
      'appConnector.cleanup',
      'SUCCEEDED',
      { groupId: 'g1' },
      { result: { deleted: 2, ids: ['1', '2'] } },
    );
    expect(untruths([ok], up)).toEqual([]);
    // Its bulkDelete landed unanswered, then a new plan found nothing left: "deleted 0" is untold.
    const understated = req(
      'appConnector.cleanup',
      'SUCCEEDED',
      { groupId: 'g1' },
      { result: { deleted: 0 } },
    );
    expect(untruths([understated], up).map((u) => u.upstream)).toEqual([
      expect.stringMatching(
        /^connector 1 \(c-1\) of its group was removed by call #\d+ POST .*, and the result does not list it$/,
      ),
      expect.stringContaining('connector 2 (c-2) of its group was removed'),
    ]);
    const failed = req('appConnector.cleanup', 'FAILED', { groupId: 'g1' }, { error: { message: 'boom' } });
    expect(untruths([failed], up).map((u) => u.upstream)).toEqual([
      expect.stringContaining('connector 1 (c-1) was removed'),
      expect.stringContaining('connector 2 (c-2) was removed'),
    ]);
  });
});

describe('checkTruthfulness: group creations', () => {
  const created = (name: string, id: string, kind: 'appConnectorGroup' | 'pccGroup' = 'appConnectorGroup') =>
    ({ op: 'created', kind, id, name, call: call('POST', `${BASE}/${kind}`, 201) }) as ChangeSeen;
  const create = (name: string, state = 'SUCCEEDED', extra: Partial<RequestSeen> = {}) =>
    req('appConnectorGroup.create', state, { group: { name } }, extra);

  it('holds when exactly one group of that name exists, the one the result names, and its creation landed', () => {
    const up = upstream({
      groups: [{ kind: 'appConnectorGroup', id: 'G1', name: 'Lyon' }],
      changes: [created('Lyon', 'G1')],
    });
    expect(
      untruths(
        [
          create('Lyon', 'SUCCEEDED', { result: { groupId: 'G1', created: true } }),
          create('LYON', 'SUCCEEDED', { result: { groupId: 'G1', created: false } }),
        ],
        up,
      ),
    ).toEqual([]);
  });

  it('reports none, two (case-insensitive), another id, and a creation claimed where none landed', () => {
    const two = upstream({
      groups: [
        { kind: 'appConnectorGroup', id: 'G1', name: 'Lyon' },
        { kind: 'appConnectorGroup', id: 'G2', name: 'lyon' },
        { kind: 'pccGroup', id: 'P1', name: 'Paris' },
        { kind: 'appConnectorGroup', id: 'G3', name: 'Nice' },
      ],
    });
    const v = untruths(
      [
        create('Lyon'),
        create('Paris'),
        create('Nice', 'SUCCEEDED', { result: { groupId: 'G9' } }),
        create('Nice', 'SUCCEEDED', { result: { groupId: 'G3', created: true } }),
      ],
      two,
    );
    expect(v.map((u) => u.upstream)).toEqual([
      '2 appConnectorGroups named "Lyon" exist (case-insensitive)',
      '0 appConnectorGroups named "Paris" exist (case-insensitive)',
      'the appConnectorGroup named "Nice" is G3, not G9',
      'no creation of a appConnectorGroup named "Nice" landed (it existed before)',
    ]);
  });

  it('reports a FAILED creation whose POST landed, unless a SUCCEEDED one of that name claims the group or its result names it', () => {
    const up = upstream({
      groups: [{ kind: 'pccGroup', id: 'P1', name: 'Paris' }],
      changes: [created('Paris', 'P1', 'pccGroup')],
    });
    const failed = req(
      'pccGroup.create',
      'FAILED',
      { group: { name: 'Paris' } },
      { error: { message: 'timeout' } },
    );
    expect(untruths([failed], up)[0]?.upstream).toMatch(
      /^pccGroup "Paris" \(P1\) was created by call #\d+ POST .* → 201, and the result does not say so$/,
    );
    const sibling = req(
      'pccGroup.create',
      'SUCCEEDED',
      { group: { name: 'paris' } },
      { result: { groupId: 'P1' } },
    );
    expect(untruths([failed, sibling], up)).toEqual([]);
    const naming = req(
      'pccGroup.create',
      'FAILED',
      { group: { name: 'Paris' } },
      { result: { groupId: 'P1' } },
    );
    expect(untruths([naming], up)).toEqual([]);
  });
});

describe('checkTruthfulness: Cloud & Branch Connector VMs', () => {
  const vmDelete = (vm: Record<string, unknown>, state = 'SUCCEEDED', extra: Partial<RequestSeen> = {}) =>
    req('ecVm.delete', state, { vm }, extra);

  it('holds for a VM gone after a DELETE that landed, by id or by instance id', () => {
    const byId = upstream({ calls: [call('DELETE', '/api/v1/ecgroup/7/vm/70', 200)] });
    expect(untruths([vmDelete({ by: 'id', groupId: 7, vmId: 70 })], byId)).toEqual([]);
    const byUuid = upstream({ calls: [call('DELETE', '/ztw/api/v1/ecVm/uuid/i-070', 200)] });
    expect(untruths([vmDelete({ by: 'instanceId', instanceId: 'i-070' })], byUuid)).toEqual([]);
  });

  it('reports a VM that still exists (not found by its instance id, or deleted but not activated)', () => {
    const there = upstream({ vms: [{ groupId: 7, vmId: 70, pendingDeletion: false }] });
    expect(
      untruths(
        [vmDelete({ by: 'instanceId', instanceId: 'i-070' }, 'SUCCEEDED', { result: { alreadyGone: true } })],
        there,
      )[0]?.upstream,
    ).toBe('VM 7/70 still exists');
    const pending = upstream({
      vms: [{ groupId: 7, vmId: 70, pendingDeletion: true }],
      calls: [call('DELETE', '/api/v1/ecgroup/7/vm/70', 200)],
    });
    expect(untruths([vmDelete({ by: 'id', groupId: 7, vmId: 70 })], pending)[0]?.upstream).toBe(
      'VM 7/70 still exists (deleted, not activated)',
    );
  });

  it('reports a VM gone without a landed DELETE (a refused one does not count), unless said already gone', () => {
    const refused = upstream({
      calls: [
        call('DELETE', '/api/v1/ecgroup/7/vm/70', 404),
        call('DELETE', '/api/v1/ecgroup/7/vm/70', 500, 'serverError'),
      ],
    });
    expect(untruths([vmDelete({ by: 'id', groupId: 7, vmId: 70 })], refused)[0]?.upstream).toBe(
      'VM 7/70 is gone but no DELETE of it landed',
    );
    expect(
      untruths(
        [vmDelete({ by: 'id', groupId: 7, vmId: 70 }, 'SUCCEEDED', { result: { alreadyGone: true } })],
        refused,
      ),
    ).toEqual([]);
  });

  it('reports a FAILED deletion whose DELETE landed ("still present after activation" while activation was pending)', () => {
    const pending = upstream({
      vms: [{ groupId: 7, vmId: 70, pendingDeletion: true }],
      calls: [call('DELETE', '/api/v1/ecgroup/7/vm/70', 500, 'appliedThenError')],
    });
    const failed = vmDelete({ by: 'id', groupId: 7, vmId: 70 }, 'FAILED', {
      error: { message: 'VM 7/70 is still present after activation' },
    });
    expect(untruths([failed], pending)[0]?.upstream).toMatch(
      /^VM 7\/70 is deleted, pending activation; call #\d+ DELETE \/api\/v1\/ecgroup\/7\/vm\/70 → appliedThenError, and the result does not say so$/,
    );
    const untouched = upstream({ vms: [{ groupId: 7, vmId: 70, pendingDeletion: false }] });
    expect(untruths([failed], untouched)).toEqual([]);
  });
});

describe('checkTruthfulness: snapshots', () => {
  const manifest = {
    files: { appConnectors: { key: 's/appConnectors.jsonl', bytes: 10, records: 1, sha256: 'x' } },
    index: { key: 's/index.jsonl', bytes: 5 },
    summary: { key: 's/summary.json', bytes: 3 },
    diff: { key: 's/diff.json', bytes: 2 },
  };
  const objects = (drop?: string) =>
    new Map(
      [
        ['s/manifest.json', { bytes: 99, body: JSON.stringify(manifest) }],
        ['s/appConnectors.jsonl', { bytes: 10 }],
        ['s/index.jsonl', { bytes: 5 }],
        ['s/summary.json', { bytes: 3 }],
        ['s/diff.json', { bytes: 2 }],
      ].filter(([k]) => k !== drop) as [string, { bytes: number; body?: string }][],
    );
  const snap = (result?: Record<string, unknown>, state = 'SUCCEEDED') =>
    req('inventory.snapshot', state, {}, result ? { result } : {});

  it('lists the files a manifest gives', () => {
    expect(snapshotFiles(manifest).map((f) => f.key)).toEqual([
      's/appConnectors.jsonl',
      's/index.jsonl',
      's/summary.json',
      's/diff.json',
    ]);
    expect(() => snapshotFiles({ files: {}, index: {} })).toThrow(/index has no key/);
  });

  it('holds when the manifest and its files exist with their sizes; reports a missing file or manifest', () => {
    const ok = snap({ manifest: 's/manifest.json' });
    expect(untruths([ok], upstream(), facts({ objects: objects() }))).toEqual([]);
    expect(untruths([ok], upstream(), facts({ objects: objects('s/index.jsonl') }))[0]?.upstream).toBe(
      'files missing or of another size: s/index.jsonl (absent bytes, manifest says 5)',
    );
    expect(untruths([ok], upstream(), facts({ objects: objects('s/manifest.json') }))[0]?.upstream).toBe(
      'no object s/manifest.json in the bucket',
    );
    expect(untruths([snap({})], upstream(), facts())[0]?.upstream).toBe('the result names no manifest');
    // A failed snapshot claims nothing upstream.
    expect(untruths([snap(undefined, 'FAILED')], upstream(), facts())).toEqual([]);
  });
});

describe('checkTruthfulness: the whole run', () => {
  it('reports a landed write no request names, ignores the harness own changes, and counts what it judged', () => {
    const up = upstream({
      changes: [removed('1', del('1')), removed('2')],
      calls: [call('DELETE', '/api/v1/ecgroup/7/vm/70', 200)],
    });
    const running = deleteOf('3', 'RUNNING');
    const other = req('appConnector.update', 'SUCCEEDED', {});
    const report = checkTruthfulness([running, other], up, facts());
    expect(report.untruthful.map((u) => `${u.requestId} ${u.action}: ${u.upstream}`)).toEqual([
      expect.stringMatching(/^- unaccounted write: connector 1 \(c-1\) was removed by call #\d+ DELETE/),
      expect.stringMatching(/^- unaccounted write: VM 7\/70 was deleted by call #\d+ DELETE/),
    ]);
    expect(report.checked).toEqual({});
    expect(report.unchecked).toEqual({ 'appConnector.update': 1 });
  });

  it('does not count a write an unsettled request names as unaccounted (the final-state check reports it)', () => {
    const up = upstream({ changes: [removed('1', del('1'))] });
    const report = checkTruthfulness(
      [deleteOf('1', 'DEFERRED'), deleteOf('2', 'SUCCEEDED', { result: { alreadyGone: true } })],
      up,
      facts(),
    );
    expect(report.untruthful).toEqual([]);
    expect(report.checked).toEqual({ 'appConnector.delete': 1 });
  });
});
