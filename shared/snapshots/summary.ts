import type { SnapshotKind } from './kinds.ts';

/** One connector line of a summary list. */
export interface ConnectorBrief {
  id: string;
  name: string;
  groupId?: string;
  groupName?: string;
}

/** A summary list: its full count and (up to the cap) its entries. */
export interface SummaryList<T> {
  count: number;
  items: T[];
  /** True when `count` exceeds the entries kept (`maxItemsPerList`). */
  truncated: boolean;
}

export interface SnapshotSummary {
  tenant: string;
  snapshotId: string;
  takenAt: string;
  counts: Partial<Record<SnapshotKind, number>>;
  disconnectedConnectors: SummaryList<ConnectorBrief & { lastBrokerDisconnectTime?: string }>;
  /** Connectors whose `currentVersion` differs from `expectedVersion`. */
  versionDrift: SummaryList<ConnectorBrief & { currentVersion: string; expectedVersion: string }>;
  /** Connectors not connected and last seen more than `staleAfterDays` ago (or never). */
  staleConnectors: SummaryList<ConnectorBrief & { lastSeen?: string; daysSinceSeen?: number }> & {
    staleAfterDays: number;
  };
  /** Groups without a member: App Connector groups, Cloud Connector groups, ecgroups. */
  emptyGroups: SummaryList<{ kind: SnapshotKind; id: string; name?: string }>;
}

export interface SummaryOptions {
  tenant: string;
  snapshotId: string;
  takenAtMs: number;
  /** A connector not seen for longer than this is stale (default 7 days). */
  staleAfterDays?: number;
  /** Entries kept per list (counts stay exact); default 10,000. */
  maxItemsPerList?: number;
}

type Item = Record<string, unknown>;
const DAY_S = 86_400;

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/** Epoch seconds from a ZPA time field (string seconds; group embeds use microseconds). */
function epochSeconds(v: unknown): number | undefined {
  const s = str(v);
  if (s === undefined || !/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n > 1e14 ? Math.floor(n / 1e6) : n;
}

class ListBuilder<T> {
  readonly #max: number;
  count = 0;
  readonly items: T[] = [];

  constructor(max: number) {
    this.#max = max;
  }

  add(item: T): void {
    this.count++;
    if (this.items.length < this.#max) this.items.push(item);
  }

  done(): SummaryList<T> {
    return { count: this.count, items: this.items, truncated: this.count > this.items.length };
  }
}

/**
 * Builds `summary.json` while records stream past: it keeps counts, the (capped) problem lists and
 * one small entry per group, never the records themselves.
 *
 * @example
 * const summary = new SummaryBuilder({ tenant: 'acme', snapshotId, takenAtMs: Date.now() });
 * summary.observe('appConnectors', connector);
 * const json = summary.finish();
 */
export class SummaryBuilder {
  readonly #options: Required<SummaryOptions>;
  readonly #counts: Partial<Record<SnapshotKind, number>> = {};
  readonly #disconnected: ListBuilder<SnapshotSummary['disconnectedConnectors']['items'][number]>;
  readonly #drift: ListBuilder<SnapshotSummary['versionDrift']['items'][number]>;
  readonly #stale: ListBuilder<SnapshotSummary['staleConnectors']['items'][number]>;
  /** Group id → name and member count, per group kind. */
  readonly #groups = new Map<SnapshotKind, Map<string, { name?: string; members: number }>>();
  /** Members counted before their group was seen (connectors may stream first). */
  readonly #early = new Map<string, number>();

  constructor(options: SummaryOptions) {
    this.#options = { staleAfterDays: 7, maxItemsPerList: 10_000, ...options };
    const max = this.#options.maxItemsPerList;
    this.#disconnected = new ListBuilder(max);
    this.#drift = new ListBuilder(max);
    this.#stale = new ListBuilder(max);
  }

  observe(kind: SnapshotKind, item: Item): void {
    this.#counts[kind] = (this.#counts[kind] ?? 0) + 1;
    switch (kind) {
      case 'appConnectors':
        this.#connector(item);
        break;
      case 'appConnectorGroups':
        this.#group(kind, item, 0);
        break;
      case 'cloudConnectorGroups':
        this.#group(kind, item, Array.isArray(item.cloudConnectors) ? item.cloudConnectors.length : 0);
        break;
      case 'ecGroups':
        this.#group(kind, item, 0);
        break;
      case 'ecVms':
        this.#member('ecGroups', str(item.ecGroupId));
        break;
      case 'pccGroups':
        break;
    }
  }

  #group(kind: SnapshotKind, item: Item, members: number): void {
    const id = str(item.id);
    if (id === undefined) return;
    let groups = this.#groups.get(kind);
    if (!groups) {
      groups = new Map();
      this.#groups.set(kind, groups);
    }
    const earlyKey = `${kind}/${id}`;
    const early = this.#early.get(earlyKey) ?? 0;
    this.#early.delete(earlyKey);
    const name = str(item.name);
    groups.set(id, { ...(name === undefined ? {} : { name }), members: members + early });
  }

  #member(kind: SnapshotKind, groupId: string | undefined): void {
    if (groupId === undefined) return;
    const group = this.#groups.get(kind)?.get(groupId);
    if (group) group.members++;
    else this.#early.set(`${kind}/${groupId}`, (this.#early.get(`${kind}/${groupId}`) ?? 0) + 1);
  }

  #connector(item: Item): void {
    const groupId = str(item.appConnectorGroupId);
    this.#member('appConnectorGroups', groupId);
    const groupName = str(item.appConnectorGroupName);
    const brief: ConnectorBrief = {
      id: str(item.id) ?? '',
      name: str(item.name) ?? '',
      ...(groupId === undefined ? {} : { groupId }),
      ...(groupName === undefined ? {} : { groupName }),
    };
    const status = str(item.controlChannelStatus);
    const connected = status !== undefined && status !== 'ZPN_STATUS_DISCONNECTED';
    if (status === 'ZPN_STATUS_DISCONNECTED') {
      const at = str(item.lastBrokerDisconnectTime);
      this.#disconnected.add({ ...brief, ...(at === undefined ? {} : { lastBrokerDisconnectTime: at }) });
    }
    const current = str(item.currentVersion);
    const expected = str(item.expectedVersion);
    if (current !== undefined && expected !== undefined && current !== expected) {
      this.#drift.add({ ...brief, currentVersion: current, expectedVersion: expected });
    }
    if (!connected) {
      const seen = [epochSeconds(item.lastBrokerConnectTime), epochSeconds(item.lastBrokerDisconnectTime)]
        .filter((n): n is number => n !== undefined)
        .reduce<number | undefined>((a, b) => (a === undefined || b > a ? b : a), undefined);
      const nowS = Math.floor(this.#options.takenAtMs / 1000);
      if (seen === undefined) {
        this.#stale.add(brief);
      } else if (nowS - seen > this.#options.staleAfterDays * DAY_S) {
        this.#stale.add({
          ...brief,
          lastSeen: new Date(seen * 1000).toISOString(),
          daysSinceSeen: Math.floor((nowS - seen) / DAY_S),
        });
      }
    }
  }

  finish(): SnapshotSummary {
    const empty = new ListBuilder<{ kind: SnapshotKind; id: string; name?: string }>(
      this.#options.maxItemsPerList,
    );
    for (const [kind, groups] of this.#groups) {
      for (const [id, g] of groups) {
        if (g.members === 0) empty.add({ kind, id, ...(g.name === undefined ? {} : { name: g.name }) });
      }
    }
    return {
      tenant: this.#options.tenant,
      snapshotId: this.#options.snapshotId,
      takenAt: new Date(this.#options.takenAtMs).toISOString(),
      counts: { ...this.#counts },
      disconnectedConnectors: this.#disconnected.done(),
      versionDrift: this.#drift.done(),
      staleConnectors: { ...this.#stale.done(), staleAfterDays: this.#options.staleAfterDays },
      emptyGroups: empty.done(),
    };
  }
}
