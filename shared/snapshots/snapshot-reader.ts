import { SnapshotFormatError } from './errors.ts';
import { latestPointerKey } from './layout.ts';
import { type LatestPointer, LatestPointerSchema, type SnapshotManifest } from './manifest.ts';
import type { ObjectStore } from './object-store.ts';

/**
 * The tenant's newest complete snapshot, or undefined when it has none yet.
 *
 * @example
 * const latest = await readLatestPointer(store, 'acme');
 * if (latest) console.log(latest.snapshotId, latest.prefix);
 */
export async function readLatestPointer(
  store: ObjectStore,
  tenant: string,
): Promise<LatestPointer | undefined> {
  const key = latestPointerKey(tenant);
  const text = await store.getText(key);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SnapshotFormatError('latest.json is not JSON', key);
  }
  const parsed = LatestPointerSchema.safeParse(json);
  if (!parsed.success) throw new SnapshotFormatError('latest.json is not a snapshot pointer', key);
  return parsed.data;
}

/** A snapshot's manifest by key (as the pointer names it). */
export async function readManifest(store: ObjectStore, key: string): Promise<SnapshotManifest | undefined> {
  const text = await store.getText(key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as SnapshotManifest;
  } catch {
    throw new SnapshotFormatError('manifest.json is not JSON', key);
  }
}

/** Streams the records of one JSON Lines file. */
export async function* readRecords(store: ObjectStore, key: string): AsyncGenerator<Record<string, unknown>> {
  let n = 0;
  for await (const line of store.readLines(key)) {
    n++;
    try {
      yield JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new SnapshotFormatError(`line ${n} is not JSON`, key);
    }
  }
}
