import type { Clock } from '../../core/clock.ts';
import type { SnapshotKind } from '../../snapshots/kinds.ts';
import type { SnapshotCalls } from '../../snapshots/manifest.ts';
import type { ObjectStore } from '../../snapshots/object-store.ts';
import { type SnapshotResult, SnapshotWriter } from '../../snapshots/snapshot-writer.ts';
import type { ZpaClient } from '../../zscaler/zpa/client.ts';
import { ZPA_MAX_PAGE_SIZE } from '../../zscaler/zpa/paging.ts';
import { ZTW_MAX_PAGE_SIZE, type ZtwClient } from '../../zscaler/ztw/client.ts';
import { readAhead } from './read-ahead.ts';

export interface TakeSnapshotOptions {
  tenant: string;
  store: ObjectStore;
  /** Absent when the tenant has no ZPA settings: its kinds are skipped. */
  zpa?: ZpaClient;
  /** Absent when the tenant has no Cloud & Branch Connector settings. */
  ztw?: ZtwClient;
  snapshotId: string;
  clock: Clock;
  requestId?: string;
  staleAfterDays?: number;
  /** Called after each page (progress bars). */
  onPage?: (kind: SnapshotKind, items: number) => void;
}

/** The kinds a tenant's configured APIs serve. */
export function kindsFor(apis: { zpa: boolean; ztw: boolean }): SnapshotKind[] {
  return [
    ...(apis.zpa
      ? (['appConnectors', 'appConnectorGroups', 'cloudConnectorGroups', 'pccGroups'] as const)
      : []),
    ...(apis.ztw ? (['ecGroups', 'ecVms'] as const) : []),
  ];
}

type Item = Record<string, unknown>;

/** A copy without the embedded child list (the children have their own file). */
function without(item: Item, field: string): Item {
  if (!(field in item)) return item;
  const { [field]: _children, ...rest } = item;
  return rest;
}

/**
 * Takes one inventory snapshot: every page of every kind at the largest page size (ZPA 500, ZTW
 * 1000), streamed straight into the store. ZPA and ZTW are read concurrently (separate rate-limit
 * budgets); within ZPA, kinds are read one after another with the next page always in flight. On
 * any error the uploads are aborted and the error is rethrown (a `RetryLaterError` defers the job).
 *
 * @example
 * const result = await takeSnapshot({ tenant: 'acme', store, zpa, ztw, snapshotId, clock: systemClock });
 * console.log(result.manifest.counts, result.manifest.calls.total);
 */
export async function takeSnapshot(options: TakeSnapshotOptions): Promise<SnapshotResult> {
  const { zpa, ztw, clock } = options;
  const startedAtMs = clock.now();
  const kinds = kindsFor({ zpa: zpa !== undefined, ztw: ztw !== undefined });
  const writer = await SnapshotWriter.open({
    store: options.store,
    tenant: options.tenant,
    snapshotId: options.snapshotId,
    startedAtMs,
    kinds,
    ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
    ...(options.staleAfterDays === undefined ? {} : { staleAfterDays: options.staleAfterDays }),
  });
  const calls: SnapshotCalls = { total: 0, zpa: 0, ztw: 0, byKind: {} };
  const count = (api: 'zpa' | 'ztw', kind: SnapshotKind, items: number) => {
    calls.total++;
    calls[api]++;
    calls.byKind[kind] = (calls.byKind[kind] ?? 0) + 1;
    options.onPage?.(kind, items);
  };

  const zpaPart = async (client: ZpaClient) => {
    const size = { pageSize: ZPA_MAX_PAGE_SIZE };
    const lists: [SnapshotKind, AsyncIterable<{ list: Item[] }>, string | undefined][] = [
      ['appConnectors', client.appConnectors.listPages(size), undefined],
      ['appConnectorGroups', client.appConnectorGroups.listPages(size), 'connectors'],
      ['cloudConnectorGroups', client.cloudConnectorGroups.listPages(size), undefined],
      ['pccGroups', client.pccGroups.listPages(size), undefined],
    ];
    for (const [kind, pages, embedded] of lists) {
      for await (const page of readAhead(pages)) {
        count('zpa', kind, page.list.length);
        for (const item of page.list) await writer.add(kind, embedded ? without(item, embedded) : item);
      }
    }
  };

  const ztwPart = async (client: ZtwClient) => {
    for await (const groups of readAhead(client.listEcGroupPages({ pageSize: ZTW_MAX_PAGE_SIZE }))) {
      count('ztw', 'ecGroups', groups.length);
      for (const group of groups) {
        await writer.add('ecGroups', without(group, 'ecVMs'));
        for (const vm of group.ecVMs ?? []) {
          await writer.add('ecVms', {
            ...vm,
            ecGroupId: group.id,
            ...(group.name === undefined ? {} : { ecGroupName: group.name }),
          });
        }
      }
    }
  };

  try {
    const parts: Promise<void>[] = [];
    if (zpa) parts.push(zpaPart(zpa));
    if (ztw) parts.push(ztwPart(ztw));
    // Wait for both even if one fails, so nothing keeps writing after the abort.
    const settled = await Promise.allSettled(parts);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return await writer.finish({ calls, finishedAtMs: clock.now() });
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
