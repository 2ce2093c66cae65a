/** Errors of the snapshot storage and format. */

/** Base class: every snapshot error. */
export class SnapshotError extends Error {
  override readonly name: string = 'SnapshotError';
}

/** The object store failed (upload, read, list); `cause` carries the adapter's error. */
export class SnapshotStoreError extends SnapshotError {
  override readonly name = 'SnapshotStoreError';
  readonly key: string;

  constructor(message: string, key: string, options?: { cause?: unknown }) {
    super(message, options);
    this.key = key;
  }
}

/** A stored snapshot file (pointer, manifest, index) is not in the expected shape. */
export class SnapshotFormatError extends SnapshotError {
  override readonly name = 'SnapshotFormatError';
  readonly key: string;

  constructor(message: string, key: string) {
    super(message);
    this.key = key;
  }
}
