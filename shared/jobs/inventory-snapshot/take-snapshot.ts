import type { Clock } from '../../core/clock.ts';
import { dispositionOf } from '../../core/disposition.ts';
import { SnapshotFormatError } from '../../snapshots/errors.ts';
import type { SnapshotKind } from '../../snapshots/kinds.ts';
import type { SnapshotCalls } from '../../snapshots/manifest.ts';
import type { ObjectStore } from '../../snapshots/object-store.ts';
import { type SnapshotResult, SnapshotWriter } from '../../snapshots/snapshot-writer.ts';
import type { ZpaClient } from '../../zscaler/zpa/client.ts';
import { ZPA_MAX_PAGE_SIZE } from '../../zscaler/zpa/paging.ts';
import { ZTW_MAX_PAGE_SIZE, type ZtwClient } from '../../zscaler/ztw/client.ts';
import { JobInterruptedError } from '../errors.ts';
import { concurrentPages, type ZpaPageLister } from './page-fetcher.ts';
import type { SnapshotCheckpoint, SnapshotListing } from './progress.ts';
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
  /** Where a deferred run of this snapshot stopped: it goes on from there (same id and prefix). */
  resume?: SnapshotCheckpoint;
}

/**
 * A snapshot stopped by a deferral (rate limit, 429, transient error) after saving its checkpoint:
 * `progress` is `{ snapshot: checkpoint }`, for the request; `cause` says when to come back.
 */
export class SnapshotInterruptedError extends JobInterruptedError {
  readonly checkpoint: SnapshotCheckpoint;
  constructor(cause: unknown, checkpoint: SnapshotCheckpoint) {
    super(cause, { snapshot: checkpoint });
    this.checkpoint = checkpoint;
  }
}

/** A checkpoint whose files no longer hold what it says (a failed save, a hand edit): start over. */
class CheckpointMismatchError extends SnapshotFormatError {}

/** Errors the worker answers with a deferral (the snapshot keeps its position through them). */
function defers(error: unknown): boolean {
  const kind = dispositionOf(error)?.kind;
  return kind === 'retry' || kind === 'defer';
}

/** The files each listing fills. */
const LISTING_FILES: Record<SnapshotListing, SnapshotKind[]> = {
  appConnectors: ['appConnectors'],
  appConnectorGroups: ['appConnectorGroups'],
  cloudConnectorGroups: ['cloudConnectorGroups'],
  pccGroups: ['pccGroups'],
  ecGroups: ['ecGroups', 'ecVms'],
};

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
  if (!options.resume) return snapshotRun(options, undefined);
  try {
    return await snapshotRun(options, options.resume);
  } catch (error) {
    if (!(error instanceof CheckpointMismatchError)) throw error;
    // The saved files cannot be trusted: read everything again, into the same prefix.
    const { snapshotId, startedAtMs } = options.resume;
    return snapshotRun({ ...options, snapshotId }, undefined, startedAtMs);
  }
}

async function snapshotRun(
  options: TakeSnapshotOptions,
  resume: SnapshotCheckpoint | undefined,
  startedAt?: number,
): Promise<SnapshotResult> {
  const { zpa, ztw, clock } = options;
  const concurrency = (kind: SnapshotKind) =>
    options.pageConcurrency?.[kind] ?? (kind === 'appConnectors' ? 2 : 1);
  const snapshotId = resume?.snapshotId ?? options.snapshotId;
  const startedAtMs = resume?.startedAtMs ?? startedAt ?? clock.now();
  const kinds = kindsFor({ zpa: zpa !== undefined, ztw: ztw !== undefined });
  const writer = await SnapshotWriter.open({
    store: options.store,
    tenant: options.tenant,
    snapshotId,
    startedAtMs,
    kinds,
    ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
    ...(options.staleAfterDays === undefined ? {} : { staleAfterDays: options.staleAfterDays }),
  });
  const calls: SnapshotCalls = resume
    ? { ...resume.calls, byKind: { ...resume.calls.byKind } }
    : { total: 0, zpa: 0, ztw: 0, byKind: {} };
  const count = (api: 'zpa' | 'ztw', kind: SnapshotKind, items: number) => {
    calls.total++;
    calls[api]++;
    calls.byKind[kind] = (calls.byKind[kind] ?? 0) + 1;
    options.onPage?.(kind, items);
  };
  // Per listing: the next page to read; a page counts once all its records are written.
  const listings: SnapshotCheckpoint['listings'] = {};
  const position = (name: SnapshotListing) => {
    listings[name] ??= { ...(resume?.listings[name] ?? { nextPage: 1, done: false }) };
    return listings[name];
  };

  const zpaPart = async (client: ZpaClient) => {
    const lists: [SnapshotListing & SnapshotKind, ZpaPageLister<Item>, string | undefined][] = [
      ['appConnectors', (o) => client.appConnectors.listPages(o), undefined],
      // Embedded connectors unread: they are dropped here and listed on their own.
      ['appConnectorGroups', (o) => client.appConnectorGroups.listPagesShallow(o), 'connectors'],
      ['cloudConnectorGroups', (o) => client.cloudConnectorGroups.listPages(o), undefined],
      ['pccGroups', (o) => client.pccGroups.listPages(o), undefined],
    ];
    // Kinds run side by side: they share one rate-limit budget, so this only keeps it busy while a
    // heavy page (groups embed their connectors) is still being answered or written.
    await allOrFirstError(
      lists.map(async ([kind, lister, embedded]) => {
        const at = position(kind);
        if (at.done) return;
        for await (const list of concurrentPages(lister, ZPA_MAX_PAGE_SIZE, concurrency(kind), at.nextPage)) {
          count('zpa', kind, list.length);
          for (const item of list) await writer.add(kind, embedded ? without(item, embedded) : item);
          at.nextPage++;
        }
        at.done = true;
      }),
    );
  };

  const ztwPart = async (client: ZtwClient) => {
    const at = position('ecGroups');
    if (at.done) return;
    const pages = client.listEcGroupPages({ pageSize: ZTW_MAX_PAGE_SIZE, startPage: at.nextPage });
    for await (const groups of readAhead(pages)) {
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
      at.nextPage++;
    }
    at.done = true;
  };

  try {
    if (resume) await replay(writer, resume, kinds, options.store);
    const parts: Promise<void>[] = [];
    if (zpa) parts.push(zpaPart(zpa));
    if (ztw) parts.push(ztwPart(ztw));
    await allOrFirstError(parts);
    return await writer.finish({ calls, finishedAtMs: clock.now() });
  } catch (error) {
    if (!defers(error)) {
      await writer.abort();
      throw error;
    }
    let records: Partial<Record<SnapshotKind, number>>;
    try {
      records = await writer.checkpoint();
    } catch {
      // Not saved: the request keeps the previous checkpoint (if any), whose count check catches files
      // this attempt may have replaced.
      await writer.abort();
      throw error;
    }
    throw new SnapshotInterruptedError(error, {
      snapshotId,
      startedAtMs,
      calls,
      listings: { ...resume?.listings, ...listings },
      records,
    });
  }
}

/**
 * Copies what a deferred run saved into this run's uploads, through the writer (so the index, the
 * summary and the diff see every record again). Each kind's file holds whole pages only; its record
 * count must match the checkpoint, or the snapshot starts over.
 */
async function replay(
  writer: SnapshotWriter,
  resume: SnapshotCheckpoint,
  kinds: readonly SnapshotKind[],
  store: TakeSnapshotOptions['store'],
): Promise<void> {
  for (const kind of kinds) {
    const expected = resume.records[kind] ?? 0;
    if (expected === 0) continue;
    let seen = 0;
    for await (const line of store.readLines(writer.layout.file(kind))) {
      await writer.add(kind, JSON.parse(line) as Item);
      seen++;
    }
    if (seen !== expected) {
      throw new CheckpointMismatchError(
        `the saved ${kind} file holds ${seen} records, its checkpoint says ${expected}`,
        writer.layout.file(kind),
      );
    }
  }
  // A listing whose files were not all saved is read again from its first page.
  for (const [name, files] of Object.entries(LISTING_FILES)) {
    if (files.some((k) => !kinds.includes(k))) continue;
    if (files.some((k) => resume.records[k] === undefined) && resume.listings[name as SnapshotListing]) {
      throw new CheckpointMismatchError(
        `the checkpoint lists ${name} without its files`,
        writer.layout.prefix,
      );
    }
  }
}
