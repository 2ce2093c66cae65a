/**
 * The chaos run's truthfulness check: a request's final state is the truth about Zscaler. For every
 * settled request it compares the outcome the request claims with what the simulator shows after
 * the run: its final state, the changes each write made (`sim.state.changes`, which names the call
 * whose handler made each one) and its call log. Pure: the run collects, this judges.
 *
 * - A SUCCEEDED deletion: the object is gone, and a delete of it landed (`DELETE /connector/{id}`,
 *   a `POST /connector/bulkDelete` that removed it, `DELETE /ecgroup/{g}/vm/{v}` or
 *   `DELETE /ecVm/uuid/{instanceId}`), or the result says it was already gone.
 * - A SUCCEEDED creation: exactly one group of that kind and name (case-insensitive) exists, the one
 *   the result names; when the result says it was created, a creation of that name landed.
 * - A FAILED, REJECTED or DEAD_LETTERED request: no write of it landed, or its result names it.
 * - A SUCCEEDED snapshot: its manifest and every file it lists exist, with the sizes it gives.
 * - Any write that landed and that no request names (an unaccounted write) is untruthful too: some
 *   request made it without saying so.
 */

/** A request the run collected from the requests table (settled or not). */
export interface RequestSeen {
  requestId: string;
  action: string;
  state: string;
  /** The validated canonical request. */
  request: Record<string, unknown>;
  result?: Record<string, unknown> | undefined;
  error?: { message: string; code?: string | undefined } | undefined;
}

/** A call of the simulator's log, as far as the check reads it. */
export interface CallSeen {
  /** Position in the call log (for diagnosis). */
  index: number;
  at: number;
  method: string;
  path: string;
  status?: number | undefined;
  fault?: string | undefined;
}

/** One change a write made to the model (`ModelChange` of the simulator, its call resolved). */
export interface ChangeSeen {
  op: 'created' | 'removed';
  kind: 'connector' | 'appConnectorGroup' | 'pccGroup';
  id: string;
  name: string;
  groupId?: string | undefined;
  /** The call whose handler made it; absent: the harness or a seed (not a write of a request). */
  call?: CallSeen | undefined;
}

export type GroupKind = 'appConnectorGroup' | 'pccGroup';

/** What the simulator shows after the run (its internal state, not its listings). */
export interface UpstreamSeen {
  /** Ids of the App Connectors that exist. */
  connectorIds: ReadonlySet<string>;
  groups: readonly { kind: GroupKind; id: string; name: string }[];
  /** Cloud & Branch Connector VMs that exist, those pending deletion (not activated yet) included. */
  vms: readonly { groupId: number; vmId: number; pendingDeletion: boolean }[];
  changes: readonly ChangeSeen[];
  calls: readonly CallSeen[];
}

/** What the harness knows besides the simulator's end state. */
export interface RunFacts {
  /** Connectors at the start (id → name, group, address), to resolve references by name or address. */
  connectorsAtStart: ReadonlyMap<string, { name: string; groupId: string; privateIp?: string | undefined }>;
  /** VMs at the start, to pair instance ids with group and VM ids. */
  vmsAtStart: readonly { groupId: number; vmId: number; instanceId?: string | undefined }[];
  /** Teardowns: the instance id → its App Connector's id (the harness seeded the pairs). */
  teardownConnectors: ReadonlyMap<string, string>;
  /** Snapshot objects read from the bucket: key → size, and the body of each manifest read. */
  objects: ReadonlyMap<string, { bytes: number; body?: string | undefined }>;
}

/** One outcome that contradicts what the simulator shows. */
export interface Untruth {
  /** `-` for a landed write no request names. */
  requestId: string;
  action: string;
  state: string;
  /** What the request claims (its state and result, briefly). */
  claim: string;
  /** What the simulator shows. */
  upstream: string;
}

export interface TruthReport {
  /** Settled requests whose claim was compared, per action. */
  checked: Record<string, number>;
  /** Settled requests of actions this check does not judge, per action. */
  unchecked: Record<string, number>;
  untruthful: Untruth[];
}

const SETTLED = new Set(['SUCCEEDED', 'FAILED', 'REJECTED', 'DEAD_LETTERED']);

/**
 * The number of untruthful outcomes: the requests with at least one contradiction, plus each
 * landed write no request names.
 */
export function untruthfulCount(report: Pick<TruthReport, 'untruthful'>): number {
  const requests = new Set(report.untruthful.filter((u) => u.requestId !== '-').map((u) => u.requestId));
  return requests.size + report.untruthful.filter((u) => u.requestId === '-').length;
}

/** One line per untruth for the JSON line and the report, at most `max`. */
export function summarizeUntruths(untruthful: readonly Untruth[], max = 10): string[] {
  const lines = untruthful
    .slice(0, max)
    .map((u) => `${u.requestId} ${u.action} ${u.claim} | simulator: ${u.upstream}`);
  if (untruthful.length > max) lines.push(`… and ${untruthful.length - max} more`);
  return lines;
}

/** Landed-write key of a connector, a group (kind and lower-case name) and a VM. */
const connectorKey = (id: string) => `connector:${id}`;
const groupKey = (kind: GroupKind, name: string) => `${kind}:${name.toLowerCase()}`;
const vmKey = (groupId: number, vmId: number) => `ecVm:${groupId}/${vmId}`;

/** Whether a VM DELETE call landed: answered 2xx, or applied before its ambiguous answer. */
function deleteLanded(call: CallSeen): boolean {
  if (call.method !== 'DELETE') return false;
  if (call.fault === 'appliedThenError' || call.fault === 'appliedThenTimeout') return true;
  return call.fault === undefined && call.status !== undefined && call.status >= 200 && call.status < 300;
}

const describeCall = (c: CallSeen | undefined) =>
  c
    ? `call #${c.index} ${c.method} ${c.path} → ${c.fault ? `${c.fault}` : (c.status ?? 'no answer')}`
    : 'no call (harness)';

/**
 * Compares every settled request's claimed outcome with the simulator's end state and writes.
 *
 * @example
 * const report = checkTruthfulness(requests, upstream, facts);
 * report.untruthful.length; // 0 when every outcome tells the truth
 */
export function checkTruthfulness(
  requests: readonly RequestSeen[],
  upstream: UpstreamSeen,
  facts: RunFacts,
): TruthReport {
  const ctx = new Judge(upstream, facts);
  const checked: Record<string, number> = {};
  const unchecked: Record<string, number> = {};
  // First what every request names (a failure is judged knowing which successes claim the same object).
  const targets = requests.map((r) => ctx.targetsOf(r));
  for (const [i, r] of requests.entries()) ctx.note(r, targets[i]!);
  for (const [i, r] of requests.entries()) {
    if (!SETTLED.has(r.state)) continue;
    const judged = ctx.judge(r, targets[i]!);
    const tally = judged ? checked : unchecked;
    tally[r.action] = (tally[r.action] ?? 0) + 1;
  }
  ctx.unaccountedWrites();
  return { checked, unchecked, untruthful: ctx.out };
}

/** What a request names: the objects its writes may touch, by landed-write key. */
interface Targets {
  keys: string[];
  /** The connectors it names (a cleanup: those its result lists). */
  connectorIds: string[];
  /** A cleanup's other connectors of its group: none of them may have been removed by it. */
  mayTouch?: string[];
  group?: { kind: GroupKind; name: string };
  vm?: { groupId: number; vmId: number; instanceId?: string | undefined };
}

class Judge {
  readonly out: Untruth[] = [];
  /** Landed-write keys some request names (its target, or its result). */
  readonly named = new Set<string>();
  readonly #up: UpstreamSeen;
  readonly #facts: RunFacts;
  /** Connector id → the landed removals of it (by a call). */
  readonly #removed = new Map<string, ChangeSeen[]>();
  /** Group key → the landed creations of it (by a call). */
  readonly #created = new Map<string, ChangeSeen[]>();
  /** VM key → the landed DELETE calls of it. */
  readonly #vmDeletes = new Map<string, CallSeen[]>();
  /** Landed-write key → ids of the SUCCEEDED requests naming it. */
  readonly #succeeded = new Map<string, string[]>();

  constructor(up: UpstreamSeen, facts: RunFacts) {
    this.#up = up;
    this.#facts = facts;
    for (const c of up.changes) {
      if (!c.call) continue;
      if (c.kind === 'connector' && c.op === 'removed') push(this.#removed, c.id, c);
      if (c.kind !== 'connector' && c.op === 'created') push(this.#created, groupKey(c.kind, c.name), c);
    }
    const byInstance = new Map<string, { groupId: number; vmId: number }>();
    for (const v of facts.vmsAtStart) if (v.instanceId) byInstance.set(v.instanceId, v);
    for (const call of up.calls) {
      if (!deleteLanded(call)) continue;
      const byId = /\/ecgroup\/(\d+)\/vm\/(\d+)$/.exec(call.path);
      if (byId) {
        push(this.#vmDeletes, vmKey(Number(byId[1]), Number(byId[2])), call);
        continue;
      }
      const byUuid = /\/ecVm\/uuid\/([^/]+)$/.exec(call.path);
      const vm = byUuid?.[1] ? byInstance.get(decodeURIComponent(byUuid[1])) : undefined;
      if (vm) push(this.#vmDeletes, vmKey(vm.groupId, vm.vmId), call);
    }
  }

  targetsOf(r: RequestSeen): Targets {
    const q = r.request;
    const res = r.result ?? {};
    const ids: string[] = [];
    const add = (id: unknown) => {
      if (typeof id === 'string' && id !== '' && !ids.includes(id)) ids.push(id);
    };
    switch (r.action) {
      case 'appConnector.delete':
        add(this.#resolveConnector(obj(q.connector)));
        add(res.deleted);
        break;
      case 'appConnector.teardown': {
        const instanceId = typeof q.instanceId === 'string' ? q.instanceId : '';
        add(this.#facts.teardownConnectors.get(instanceId));
        add(res.connectorId);
        add(res.deleted);
        if (ids.length === 0)
          add(this.#resolveConnector({ name: q.connectorName, privateIp: q.privateIp, groupId: q.groupId }));
        break;
      }
      case 'appConnector.bulkDelete':
        for (const id of arr(q.ids)) add(id);
        break;
      case 'appConnector.cleanup': {
        for (const id of arr(res.ids)) add(id);
        // A cleanup names no ids up front: what it may touch is its group's connectors.
        const group: string[] = [];
        if (typeof q.groupId === 'string') {
          for (const [id, c] of this.#facts.connectorsAtStart) if (c.groupId === q.groupId) group.push(id);
        }
        return {
          keys: [...new Set([...ids, ...group])].map(connectorKey),
          connectorIds: ids,
          mayTouch: group.filter((id) => !ids.includes(id)),
        };
      }
      case 'appConnectorGroup.create':
      case 'pccGroup.create': {
        const kind: GroupKind = r.action === 'pccGroup.create' ? 'pccGroup' : 'appConnectorGroup';
        const name = obj(q.group).name;
        if (typeof name !== 'string') return { keys: [], connectorIds: [] };
        return { keys: [groupKey(kind, name)], connectorIds: [], group: { kind, name } };
      }
      case 'ecVm.delete': {
        const vm = this.#resolveVm(obj(q.vm));
        if (!vm) return { keys: [], connectorIds: [] };
        return { keys: [vmKey(vm.groupId, vm.vmId)], connectorIds: [], vm };
      }
    }
    return { keys: ids.map(connectorKey), connectorIds: ids };
  }

  /** Judges one settled request; false when its action is not one this check knows. */
  judge(r: RequestSeen, t: Targets): boolean {
    switch (r.action) {
      case 'appConnector.delete':
      case 'appConnector.teardown':
      case 'appConnector.bulkDelete':
      case 'appConnector.cleanup':
        this.#judgeConnectorDeletion(r, t);
        return true;
      case 'appConnectorGroup.create':
      case 'pccGroup.create':
        this.#judgeGroupCreation(r, t);
        return true;
      case 'ecVm.delete':
        this.#judgeVmDeletion(r, t);
        return true;
      case 'inventory.snapshot':
        if (r.state === 'SUCCEEDED') this.#judgeSnapshot(r);
        return true;
      default:
        return false;
    }
  }

  /** Landed writes no request names. */
  unaccountedWrites(): void {
    for (const [id, changes] of this.#removed) {
      if (this.named.has(connectorKey(id))) continue;
      const c = changes[0]!;
      this.#untrue(
        { requestId: '-', action: 'unaccounted write', state: '-' },
        'no request names this connector',
        `connector ${id} (${c.name}) was removed by ${describeCall(c.call)}`,
      );
    }
    for (const [key, changes] of this.#created) {
      if (this.named.has(key)) continue;
      const c = changes[0]!;
      this.#untrue(
        { requestId: '-', action: 'unaccounted write', state: '-' },
        'no request names this group',
        `${c.kind} "${c.name}" (${c.id}) was created by ${describeCall(c.call)}`,
      );
    }
    for (const [key, calls] of this.#vmDeletes) {
      if (this.named.has(key)) continue;
      this.#untrue(
        { requestId: '-', action: 'unaccounted write', state: '-' },
        'no request names this VM',
        `VM ${key.slice('ecVm:'.length)} was deleted by ${describeCall(calls[0])}`,
      );
    }
  }

  #judgeConnectorDeletion(r: RequestSeen, t: Targets): void {
    const res = r.result ?? {};
    if (r.state === 'SUCCEEDED') {
      if (r.action === 'appConnector.teardown' && t.connectorIds.length === 0) {
        this.#untrue(r, claimOf(r), 'the harness knows no connector of this instance (cannot verify)');
        return;
      }
      if (r.action === 'appConnector.delete' && t.connectorIds.length === 0) {
        this.#untrue(r, claimOf(r), 'the connector it names never existed (cannot verify)');
        return;
      }
      // Ids the result says were gone before this request deleted anything.
      const saidGone = new Set<string>();
      if (res.alreadyGone === true || res.connector === null)
        for (const id of t.connectorIds) saidGone.add(id);
      if (r.action === 'appConnector.bulkDelete') {
        const deleted = new Set(arr(res.ids));
        for (const id of t.connectorIds) if (!deleted.has(id)) saidGone.add(id);
      }
      for (const id of t.connectorIds) {
        if (this.#up.connectorIds.has(id)) {
          this.#untrue(r, claimOf(r), `connector ${id} still exists`);
          continue;
        }
        const removal = (this.#removed.get(id) ?? []).find((c) => isConnectorDelete(c.call, id));
        if (!removal && !saidGone.has(id)) {
          const other = this.#removed.get(id)?.[0];
          this.#untrue(
            r,
            claimOf(r),
            `connector ${id} is gone but no DELETE or bulkDelete of it landed${other ? ` (removed by ${describeCall(other.call)})` : ''}`,
          );
        }
      }
      // A cleanup's result lists what it deleted: a removal in its group it does not list is untold
      // (e.g. a run whose bulkDelete landed unanswered, then a new plan that found nothing left).
      for (const id of t.mayTouch ?? []) {
        const removal = this.#removed.get(id)?.[0];
        if (removal) {
          this.#untrue(
            r,
            claimOf(r),
            `connector ${id} (${removal.name}) of its group was removed by ${describeCall(removal.call)}, and the result does not list it`,
          );
        }
      }
      return;
    }
    // FAILED, REJECTED, DEAD_LETTERED: nothing of it landed, or the result names it.
    const named = new Set([...arr(res.ids), ...(typeof res.deleted === 'string' ? [res.deleted] : [])]);
    for (const id of [...t.connectorIds, ...(t.mayTouch ?? [])]) {
      const removal = this.#removed.get(id)?.[0];
      if (removal && !named.has(id)) {
        this.#untrue(
          r,
          claimOf(r),
          `connector ${id} (${removal.name}) was removed by ${describeCall(removal.call)}, and the result does not say so`,
        );
      }
    }
  }

  #judgeGroupCreation(r: RequestSeen, t: Targets): void {
    const g = t.group;
    if (!g) {
      this.#untrue(r, claimOf(r), 'the request names no group (cannot verify)');
      return;
    }
    const key = groupKey(g.kind, g.name);
    const same = this.#up.groups.filter(
      (x) => x.kind === g.kind && x.name.toLowerCase() === g.name.toLowerCase(),
    );
    const created = this.#created.get(key) ?? [];
    const res = r.result ?? {};
    if (r.state === 'SUCCEEDED') {
      if (same.length !== 1) {
        this.#untrue(r, claimOf(r), `${same.length} ${g.kind}s named "${g.name}" exist (case-insensitive)`);
        return;
      }
      const [group] = same;
      if (res.groupId !== undefined && res.groupId !== group!.id) {
        this.#untrue(
          r,
          claimOf(r),
          `the ${g.kind} named "${g.name}" is ${group!.id}, not ${String(res.groupId)}`,
        );
      }
      if (res.created === true && created.length === 0) {
        this.#untrue(
          r,
          claimOf(r),
          `no creation of a ${g.kind} named "${g.name}" landed (it existed before)`,
        );
      }
      return;
    }
    // A group another SUCCEEDED request of the same name claims is not this request's write.
    if (created.length === 0 || this.#succeededClaims(key, r.requestId)) return;
    if (res.groupId !== undefined && created.some((c) => c.id === res.groupId)) return;
    this.#untrue(
      r,
      claimOf(r),
      `${g.kind} "${created[0]!.name}" (${created[0]!.id}) was created by ${describeCall(created[0]!.call)}, and the result does not say so`,
    );
  }

  #judgeVmDeletion(r: RequestSeen, t: Targets): void {
    const vm = t.vm;
    if (!vm) {
      if (r.state === 'SUCCEEDED')
        this.#untrue(r, claimOf(r), 'the VM it names never existed (cannot verify)');
      return;
    }
    const where = `${vm.groupId}/${vm.vmId}`;
    const present = this.#up.vms.find((v) => v.groupId === vm.groupId && v.vmId === vm.vmId);
    const deletes = this.#vmDeletes.get(vmKey(vm.groupId, vm.vmId)) ?? [];
    const res = r.result ?? {};
    if (r.state === 'SUCCEEDED') {
      if (present) {
        this.#untrue(
          r,
          claimOf(r),
          `VM ${where} still exists${present.pendingDeletion ? ' (deleted, not activated)' : ''}`,
        );
        return;
      }
      if (deletes.length === 0 && res.alreadyGone !== true) {
        this.#untrue(r, claimOf(r), `VM ${where} is gone but no DELETE of it landed`);
      }
      return;
    }
    if (res.deleted === where) return;
    // A DELETE that landed leaves the VM pending deletion, or gone once activated.
    const known = this.#facts.vmsAtStart.some((v) => v.groupId === vm.groupId && v.vmId === vm.vmId);
    if ((known && !present) || present?.pendingDeletion) {
      this.#untrue(
        r,
        claimOf(r),
        `VM ${where} ${present ? (present.pendingDeletion ? 'is deleted, pending activation' : 'exists') : 'is gone'}${deletes.length > 0 ? `; ${describeCall(deletes[0])}` : ''}, and the result does not say so`,
      );
    }
  }

  #judgeSnapshot(r: RequestSeen): void {
    const res = r.result ?? {};
    const manifestKey = typeof res.manifest === 'string' ? res.manifest : undefined;
    if (!manifestKey) {
      this.#untrue(r, claimOf(r), 'the result names no manifest');
      return;
    }
    const manifest = this.#facts.objects.get(manifestKey);
    if (!manifest?.body) {
      this.#untrue(r, claimOf(r), `no object ${manifestKey} in the bucket`);
      return;
    }
    let files: { key: string; bytes: number }[];
    try {
      files = snapshotFiles(JSON.parse(manifest.body));
    } catch (err) {
      this.#untrue(r, claimOf(r), `manifest ${manifestKey} is unreadable: ${(err as Error).message}`);
      return;
    }
    const bad = files.filter((f) => this.#facts.objects.get(f.key)?.bytes !== f.bytes);
    if (bad.length > 0) {
      this.#untrue(
        r,
        claimOf(r),
        `files missing or of another size: ${bad
          .slice(0, 3)
          .map(
            (f) =>
              `${f.key} (${this.#facts.objects.get(f.key)?.bytes ?? 'absent'} bytes, manifest says ${f.bytes})`,
          )
          .join(', ')}${bad.length > 3 ? ` and ${bad.length - 3} more` : ''}`,
      );
    }
  }

  /** Whether a SUCCEEDED request other than `except` names this landed-write key. */
  #succeededClaims(key: string, except: string): boolean {
    return this.#succeeded.get(key)?.some((id) => id !== except) ?? false;
  }

  /** Records what a request names (and claims, when it SUCCEEDED). */
  note(r: RequestSeen, t: Targets): void {
    for (const k of t.keys) this.named.add(k);
    if (r.state === 'SUCCEEDED') for (const k of t.keys) push(this.#succeeded, k, r.requestId);
  }

  #resolveConnector(ref: Record<string, unknown>): string | undefined {
    if (typeof ref.id === 'string') return ref.id;
    for (const [id, c] of this.#facts.connectorsAtStart) {
      if (ref.groupId !== undefined && c.groupId !== ref.groupId) continue;
      if (typeof ref.name === 'string' && c.name === ref.name) return id;
      if (typeof ref.privateIp === 'string' && c.privateIp === ref.privateIp) return id;
    }
    return undefined;
  }

  #resolveVm(ref: Record<string, unknown>): Targets['vm'] {
    if (typeof ref.groupId === 'number' && typeof ref.vmId === 'number') {
      const known = this.#facts.vmsAtStart.find((v) => v.groupId === ref.groupId && v.vmId === ref.vmId);
      return { groupId: ref.groupId, vmId: ref.vmId, instanceId: known?.instanceId };
    }
    if (typeof ref.instanceId === 'string')
      return this.#facts.vmsAtStart.find((v) => v.instanceId === ref.instanceId);
    return undefined;
  }

  #untrue(r: Pick<RequestSeen, 'requestId' | 'action' | 'state'>, claim: string, upstream: string): void {
    this.out.push({ requestId: r.requestId, action: r.action, state: r.state, claim, upstream });
  }
}

/**
 * The object keys a snapshot manifest lists, with the sizes it gives: one file per kind, the index,
 * the summary and the diff.
 */
export function snapshotFiles(manifest: unknown): { key: string; bytes: number }[] {
  const m = obj(manifest);
  const out: { key: string; bytes: number }[] = [];
  const addFile = (f: unknown, what: string) => {
    const o = obj(f);
    if (typeof o.key !== 'string' || typeof o.bytes !== 'number')
      throw new Error(`${what} has no key and size`);
    out.push({ key: o.key, bytes: o.bytes });
  };
  for (const [kind, f] of Object.entries(obj(m.files))) addFile(f, `files.${kind}`);
  addFile(m.index, 'index');
  addFile(m.summary, 'summary');
  addFile(m.diff, 'diff');
  return out;
}

/** Whether a call deleted connector `id`: its own DELETE, or a bulkDelete (which names it in its body). */
function isConnectorDelete(call: CallSeen | undefined, id: string): boolean {
  if (!call) return false;
  if (call.method === 'DELETE') return call.path.endsWith(`/connector/${id}`);
  return call.method === 'POST' && call.path.endsWith('/connector/bulkDelete');
}

/** A request's claim in one line: state, then its result or error. */
function claimOf(r: RequestSeen): string {
  const detail = r.state === 'SUCCEEDED' ? JSON.stringify(r.result ?? {}) : (r.error?.message ?? '');
  return `${r.state}: ${detail.length > 240 ? `${detail.slice(0, 240)}…` : detail}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function arr(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
