/**
 * Inventory snapshots in object storage: the layout, streamed JSON Lines writing, summary, diff
 * against the previous snapshot, and the S3 / in-memory stores behind the `ObjectStore` port.
 *
 * @example
 * const store = new S3ObjectStore(s3, bucket);
 * const writer = await SnapshotWriter.open({ store, tenant: 'acme', snapshotId, startedAtMs: Date.now(), kinds: SNAPSHOT_KINDS });
 */
export { DiffBuilder, type KindDiff, type SnapshotDiff } from './diff.ts';
export { SnapshotError, SnapshotFormatError, SnapshotStoreError } from './errors.ts';
export { itemHash } from './item-hash.ts';
export { JsonlFile, sha256Hex, type WrittenFile } from './jsonl-file.ts';
export { isSnapshotKind, KIND_API, SNAPSHOT_KINDS, type SnapshotKind } from './kinds.ts';
export {
  latestPointerKey,
  SNAPSHOTS_ROOT,
  type SnapshotLayout,
  snapshotIdFor,
  snapshotLayout,
} from './layout.ts';
export {
  type LatestPointer,
  LatestPointerSchema,
  SNAPSHOT_FORMAT,
  type SnapshotCalls,
  type SnapshotManifest,
} from './manifest.ts';
export { MemoryObjectStore } from './memory-object-store.ts';
export type { ObjectStore, ObjectWriteStream } from './object-store.ts';
export { S3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.ts';
export { type IndexLine, loadIndex, type SnapshotIndex } from './snapshot-index.ts';
export { readLatestPointer, readManifest, readRecords } from './snapshot-reader.ts';
export { type SnapshotResult, SnapshotWriter, type SnapshotWriterOptions } from './snapshot-writer.ts';
export {
  type ConnectorBrief,
  type SnapshotSummary,
  SummaryBuilder,
  type SummaryList,
  type SummaryOptions,
} from './summary.ts';
