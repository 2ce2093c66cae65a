import { DiffBuilder, type SnapshotDiff } from './diff.ts';
import { SnapshotFormatError } from './errors.ts';
import { itemHash } from './item-hash.ts';
import { JsonlFile, sha256Hex, type WrittenFile } from './jsonl-file.ts';
import { KIND_API, type SnapshotKind } from './kinds.ts';
import { latestPointerKey, type SnapshotLayout, snapshotLayout } from './layout.ts';
import {
  type LatestPointer,
  SNAPSHOT_FORMAT,
  type SnapshotCalls,
  type SnapshotManifest,
} from './manifest.ts';
import type { ObjectStore } from './object-store.ts';
import { loadIndex } from './snapshot-index.ts';
import { readLatestPointer } from './snapshot-reader.ts';
import { type SnapshotSummary, SummaryBuilder } from './summary.ts';

export interface SnapshotWriterOptions {
  store: ObjectStore;
  tenant: string;
  snapshotId: string;
  startedAtMs: number;
  /** The kinds this snapshot covers (what the tenant's configured APIs serve). */
  kinds: readonly SnapshotKind[];
  requestId?: string;
  staleAfterDays?: number;
  maxItemsPerList?: number;
}

/** What `finish` produced. */
export interface SnapshotResult {
  manifest: SnapshotManifest;
  summary: SnapshotSummary;
  /** The diff without its id lists (counts only), for results and audit. */
  diffCounts: Record<string, { added: number; removed: number; changed: number; unchanged: number }>;
  diffPrevious: string | null;
  layout: SnapshotLayout;
}

const JSON_TYPE = 'application/json';

/**
 * Streams one inventory snapshot into the store: each record goes straight to its kind's JSON Lines
 * upload, and only a short hash of it is kept (for the index and the diff against the previous
 * snapshot) together with the summary's counters. `finish` writes `summary.json`, `diff.json`,
 * `manifest.json`, then moves the tenant's `latest.json` pointer.
 *
 * @example
 * const writer = await SnapshotWriter.open({ store, tenant: 'acme', snapshotId, startedAtMs: Date.now(), kinds: ['appConnectors'] });
 * for await (const c of zpa.appConnectors.list()) await writer.add('appConnectors', c);
 * const { manifest } = await writer.finish({ calls, finishedAtMs: Date.now() });
 */
export class SnapshotWriter {
  readonly layout: SnapshotLayout;
  readonly #options: SnapshotWriterOptions;
  readonly #files = new Map<SnapshotKind, JsonlFile>();
  readonly #index: JsonlFile;
  readonly #summary: SummaryBuilder;
  readonly #diff: DiffBuilder;
  #closed = false;

  private constructor(options: SnapshotWriterOptions, diff: DiffBuilder) {
    this.#options = options;
    this.layout = snapshotLayout(options.tenant, options.startedAtMs, options.snapshotId);
    for (const kind of options.kinds)
      this.#files.set(kind, new JsonlFile(options.store, this.layout.file(kind)));
    this.#index = new JsonlFile(options.store, this.layout.index);
    this.#summary = new SummaryBuilder({
      tenant: options.tenant,
      snapshotId: options.snapshotId,
      takenAtMs: options.startedAtMs,
      ...(options.staleAfterDays === undefined ? {} : { staleAfterDays: options.staleAfterDays }),
      ...(options.maxItemsPerList === undefined ? {} : { maxItemsPerList: options.maxItemsPerList }),
    });
    this.#diff = diff;
  }

  /** Loads the previous snapshot's index (ids and hashes only) and opens one upload per kind. */
  static async open(options: SnapshotWriterOptions): Promise<SnapshotWriter> {
    const latest = await readLatestPointer(options.store, options.tenant);
    const previous = latest ? await loadIndex(options.store, latest.index) : undefined;
    const diff = new DiffBuilder(
      previous,
      latest ? { snapshotId: latest.snapshotId, prefix: latest.prefix } : null,
    );
    return new SnapshotWriter(options, diff);
  }

  /** Appends one resource. Its `id` is required (it is what the diff tracks). */
  async add(kind: SnapshotKind, item: Record<string, unknown>): Promise<void> {
    const file = this.#files.get(kind);
    if (!file) throw new SnapshotFormatError(`this snapshot does not cover ${kind}`, this.layout.prefix);
    const raw = item.id;
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      throw new SnapshotFormatError(`a ${kind} record has no id`, file.key);
    }
    const id = String(raw);
    const hash = itemHash(item);
    this.#summary.observe(kind, item);
    this.#diff.observe(kind, id, hash);
    await file.append(item);
    await this.#index.append([kind, id, hash]);
  }

  /** Completes every file, writes summary, diff and manifest, then points `latest.json` here. */
  async finish(args: { calls: SnapshotCalls; finishedAtMs: number }): Promise<SnapshotResult> {
    if (this.#closed) throw new SnapshotFormatError('snapshot already finished', this.layout.prefix);
    this.#closed = true;
    const { store, tenant, snapshotId, startedAtMs, kinds, requestId } = this.#options;
    // Every record is in: summary and diff are final now, and go up while the uploads complete
    // (last parts, multipart completion), each a round trip of its own.
    const summary = this.#summary.finish();
    const summaryText = `${JSON.stringify(summary)}\n`;
    const diff: SnapshotDiff = this.#diff.finish(snapshotId, kinds);
    const diffText = `${JSON.stringify(diff)}\n`;
    const files: Partial<Record<SnapshotKind, WrittenFile>> = {};
    const [index] = await Promise.all([
      this.#index.close(),
      ...[...this.#files].map(async ([kind, file]) => {
        files[kind] = await file.close();
      }),
      store.putText(this.layout.summary, summaryText, JSON_TYPE),
      store.putText(this.layout.diff, diffText, JSON_TYPE),
    ]);

    const counts: Partial<Record<SnapshotKind, number>> = {};
    for (const kind of kinds) counts[kind] = files[kind]?.records ?? 0;
    const manifest: SnapshotManifest = {
      format: SNAPSHOT_FORMAT,
      tenant,
      snapshotId,
      ...(requestId === undefined ? {} : { requestId }),
      prefix: this.layout.prefix,
      startedAt: new Date(startedAtMs).toISOString(),
      finishedAt: new Date(args.finishedAtMs).toISOString(),
      durationMs: args.finishedAtMs - startedAtMs,
      apis: [...new Set(kinds.map((k) => KIND_API[k]))],
      counts,
      calls: args.calls,
      files,
      index,
      summary: {
        key: this.layout.summary,
        bytes: Buffer.byteLength(summaryText),
        sha256: sha256Hex(summaryText),
      },
      diff: {
        key: this.layout.diff,
        bytes: Buffer.byteLength(diffText),
        sha256: sha256Hex(diffText),
        previous: diff.previous?.snapshotId ?? null,
      },
    };
    await store.putText(this.layout.manifest, `${JSON.stringify(manifest, null, 2)}\n`, JSON_TYPE);

    const pointer: LatestPointer = {
      format: SNAPSHOT_FORMAT,
      tenant,
      snapshotId,
      prefix: this.layout.prefix,
      manifest: this.layout.manifest,
      index: this.layout.index,
      takenAt: manifest.startedAt,
    };
    await store.putText(latestPointerKey(tenant), `${JSON.stringify(pointer)}\n`, JSON_TYPE);

    const diffCounts: SnapshotResult['diffCounts'] = {};
    for (const [kind, d] of Object.entries(diff.kinds)) {
      diffCounts[kind] = {
        added: d.addedCount,
        removed: d.removedCount,
        changed: d.changedCount,
        unchanged: d.unchangedCount,
      };
    }
    return {
      manifest,
      summary,
      diffCounts,
      diffPrevious: diff.previous?.snapshotId ?? null,
      layout: this.layout,
    };
  }

  /**
   * Completes every kind's file as it stands (a deferred snapshot's checkpoint: whole pages only,
   * copied into the next run's uploads) and drops the index (rebuilt from the files on resume).
   * @returns the records each kind's file holds.
   */
  async checkpoint(): Promise<Partial<Record<SnapshotKind, number>>> {
    if (this.#closed) throw new SnapshotFormatError('snapshot already finished', this.layout.prefix);
    this.#closed = true;
    const records: Partial<Record<SnapshotKind, number>> = {};
    const closing = [...this.#files].map(async ([kind, file]) => {
      records[kind] = (await file.close()).records;
    });
    const settled = await Promise.allSettled([...closing, this.#index.abort()]);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return records;
  }

  /** Drops every upload in flight (a failed snapshot leaves no partial objects behind). */
  async abort(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#files.values(), this.#index].map((f) => f.abort()));
  }
}
