import { SnapshotFormatError } from './errors.ts';
import { isSnapshotKind, type SnapshotKind } from './kinds.ts';
import type { ObjectStore } from './object-store.ts';

/**
 * `index.jsonl`: one line `["<kind>","<id>","<hash>"]` per resource. It is what the next snapshot
 * diffs against, so a diff never needs the previous snapshot's objects, only ids and short hashes.
 */
export type IndexLine = [SnapshotKind, string, string];

export function indexLine(kind: SnapshotKind, id: string, hash: string): IndexLine {
  return [kind, id, hash];
}

/** Ids and hashes per kind, as loaded from an index. */
export type SnapshotIndex = Map<SnapshotKind, Map<string, string>>;

/**
 * Streams an index into memory (ids and hashes only). Throws `SnapshotFormatError` on a line that
 * is not an index line.
 *
 * @example
 * const previous = await loadIndex(store, 'snapshots/acme/2025/01/01/…/index.jsonl');
 */
export async function loadIndex(store: ObjectStore, key: string): Promise<SnapshotIndex> {
  const index: SnapshotIndex = new Map();
  let n = 0;
  for await (const line of store.readLines(key)) {
    n++;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new SnapshotFormatError(`line ${n} of the index is not JSON`, key);
    }
    if (
      !Array.isArray(parsed) ||
      parsed.length !== 3 ||
      !isSnapshotKind(parsed[0]) ||
      typeof parsed[1] !== 'string' ||
      typeof parsed[2] !== 'string'
    ) {
      throw new SnapshotFormatError(`line ${n} of the index is not [kind, id, hash]`, key);
    }
    let ids = index.get(parsed[0]);
    if (!ids) {
      ids = new Map();
      index.set(parsed[0], ids);
    }
    ids.set(parsed[1], parsed[2]);
  }
  return index;
}
