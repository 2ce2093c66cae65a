import type { SnapshotKind } from './kinds.ts';

/**
 * Where a snapshot's objects live: `snapshots/<tenant>/<yyyy>/<mm>/<dd>/<snapshotId>/` with one
 * `<kind>.jsonl` per resource kind, `manifest.json`, `summary.json`, `diff.json` and `index.jsonl`
 * (ids and short hashes, what the next snapshot diffs against); `snapshots/<tenant>/latest.json`
 * points at the tenant's newest complete snapshot.
 *
 * @example
 * const layout = snapshotLayout('acme', Date.UTC(2025, 0, 2), '20250102T030405Z-1a2b3c4d');
 * layout.file('appConnectors'); // 'snapshots/acme/2025/01/02/20250102T030405Z-1a2b3c4d/appConnectors.jsonl'
 */
export interface SnapshotLayout {
  prefix: string;
  file(kind: SnapshotKind): string;
  manifest: string;
  summary: string;
  diff: string;
  index: string;
}

export const SNAPSHOTS_ROOT = 'snapshots';

export function snapshotLayout(tenant: string, takenAtMs: number, snapshotId: string): SnapshotLayout {
  const d = new Date(takenAtMs);
  const yyyy = String(d.getUTCFullYear()).padStart(4, '0');
  const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(d.getUTCDate()).padStart(2, '0');
  const prefix = `${SNAPSHOTS_ROOT}/${tenant}/${yyyy}/${mm}/${dd}/${snapshotId}/`;
  return {
    prefix,
    file: (kind) => `${prefix}${kind}.jsonl`,
    manifest: `${prefix}manifest.json`,
    summary: `${prefix}summary.json`,
    diff: `${prefix}diff.json`,
    index: `${prefix}index.jsonl`,
  };
}

/** The tenant's pointer to its newest complete snapshot. */
export function latestPointerKey(tenant: string): string {
  return `${SNAPSHOTS_ROOT}/${tenant}/latest.json`;
}

/**
 * A sortable, unique snapshot id: UTC time to the second and a suffix (the request id's first
 * characters), e.g. `20250102T030405Z-1a2b3c4d`.
 */
export function snapshotIdFor(takenAtMs: number, suffix: string): string {
  const iso = new Date(takenAtMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const clean = suffix.replace(/[^A-Za-z0-9]/g, '').slice(0, 12) || 'x';
  return `${iso}-${clean}`;
}
