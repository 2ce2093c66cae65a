import * as z from 'zod';
import type { WrittenFile } from './jsonl-file.ts';
import type { SnapshotKind } from './kinds.ts';

/** Format tag of every snapshot (bumped if the layout ever changes meaning). */
export const SNAPSHOT_FORMAT = 'zcops.snapshot/1';

/** API calls a snapshot made (pages fetched; retries and sign-ins not included). */
export interface SnapshotCalls {
  total: number;
  zpa: number;
  ztw: number;
  byKind: Partial<Record<SnapshotKind, number>>;
}

/** `manifest.json`: what the snapshot holds and how to check it. */
export interface SnapshotManifest {
  format: typeof SNAPSHOT_FORMAT;
  tenant: string;
  snapshotId: string;
  requestId?: string;
  prefix: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Which APIs were read (a tenant with only one configured snapshots only that one). */
  apis: ('zpa' | 'ztw')[];
  counts: Partial<Record<SnapshotKind, number>>;
  calls: SnapshotCalls;
  files: Partial<Record<SnapshotKind, WrittenFile>>;
  index: WrittenFile;
  summary: { key: string; bytes: number; sha256: string };
  diff: { key: string; bytes: number; sha256: string; previous: string | null };
}

/** `latest.json`: the tenant's newest complete snapshot. Written last, so it never points at a partial one. */
export const LatestPointerSchema = z.looseObject({
  format: z.literal(SNAPSHOT_FORMAT),
  tenant: z.string(),
  snapshotId: z.string(),
  prefix: z.string(),
  manifest: z.string(),
  index: z.string(),
  takenAt: z.string(),
});
export type LatestPointer = z.output<typeof LatestPointerSchema>;
