import type { Clock } from '../../core/clock.ts';
import type { SnapshotKind } from '../../snapshots/kinds.ts';
import type { SnapshotCalls } from '../../snapshots/manifest.ts';
import type { ObjectStore } from '../../snapshots/object-store.ts';
import { type SnapshotResult, SnapshotWriter } from '../../snapshots/snapshot-writer.ts';
import type { ZpaClient } from '../../zscaler/zpa/client.ts';
import { ZPA_MAX_PAGE_SIZE } from '../../zscaler/zpa/paging.ts';
import { ZTW_MAX_PAGE_SIZE, type ZtwClient } from '../../zscaler/ztw/client.ts';
import { concurrentPages, type ZpaPageLister } from './page-fetcher.ts';
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
  /**
   * ZPA pages in flight per kind (default: 2 for connectors, 1 for the rest; an App Connector group
   * page embeds its groups' connectors and is the heaviest answer, so one at a time bounds memory).
   */
  pageConcurrency?: Partial<Record<SnapshotKind, number>>;
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

/** Waits for every task even when one fails (so nothing still writes after the abort), then throws the first error. */
async function allOrFirstError(tasks: Promise<void>[]): Promise<void> {
  const settled = await Promise.allSettled(tasks);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** A copy without the embedded child list (the children have their own file). */
function without(item: Item, field: string): Item {
  if (!(field in item)) return item;
  const { [field]: _children, ...rest } = item;
  return rest;
}

/**
 * Takes one inventory snapshot: every page of every kind at the largest page size (ZPA 500, ZTW
 * 1000), streamed straight into the store. ZPA and ZTW are read concurrently (separate rate-limit
 * budgets); ZPA kinds side by side, each with a few pages in flight, so the shared budget never idles. On
 * any error the uploads are aborted and the error is rethrown (a `RetryLaterError` defers the job).
 *
 * @example
 * const result = await takeSnapshot({ tenant: 'acme', store, zpa, ztw, snapshotId, clock: systemClock });
 * console.log(result.manifest.counts, result.manifest.calls.total);
 */
export async function takeSnapshot(options: TakeSnapshotOptions): Promise<SnapshotResult> {
  const { zpa, ztw, clock } = options;
  const concurrency = (kind: SnapshotKind) =>
    options.pageConcurrency?.[kind] ?? (kind === 'appConnectors' ? 2 : 1);
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
    const lists: [SnapshotKind, ZpaPageLister<Item>, string | undefined][] = [
      ['appConnectors', (o) => client.appConnectors.listPages(o), undefined],
      ['appConnectorGroups', (o) => client.appConnectorGroups.listPages(o), 'connectors'],
      ['cloudConnectorGroups', (o) => client.cloudConnectorGroups.listPages(o), undefined],
      ['pccGroups', (o) => client.pccGroups.listPages(o), undefined],
    ];
    // Kinds run side by side: they share one rate-limit budget, so this only keeps it busy while a
    // heavy page (groups embed their connectors) is still being answered or written.
    await allOrFirstError(
      lists.map(async ([kind, lister, embedded]) => {
        for await (const list of concurrentPages(lister, ZPA_MAX_PAGE_SIZE, concurrency(kind))) {
          count('zpa', kind, list.length);
          for (const item of list) await writer.add(kind, embedded ? without(item, embedded) : item);
        }
      }),
    );
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
    await allOrFirstError(parts);
    return await writer.finish({ calls, finishedAtMs: clock.now() });
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
