import * as z from 'zod';
import { SNAPSHOT_KINDS } from '../../snapshots/kinds.ts';

/** The paged listings a snapshot reads; `ecGroups` pages fill two files (groups and their VMs). */
export const SNAPSHOT_LISTINGS = [
  'appConnectors',
  'appConnectorGroups',
  'cloudConnectorGroups',
  'pccGroups',
  'ecGroups',
] as const;
export type SnapshotListing = (typeof SNAPSHOT_LISTINGS)[number];

const Count = z.int().nonnegative();

/**
 * Where a deferred snapshot stopped (kept on the request, `{ snapshot: … }`): its id and start (so
 * the next run writes the same prefix), per listing the next page to read, and per kind how many
 * records its file already holds. The kind files were completed at their final keys with whole pages
 * only, so a resumed run copies them into its own uploads and reads on from `nextPage`: no record
 * twice, none missing.
 */
export const SnapshotCheckpointSchema = z.object({
  snapshotId: z.string().min(1),
  startedAtMs: z.int().positive(),
  calls: z.object({
    total: Count,
    zpa: Count,
    ztw: Count,
    byKind: z.partialRecord(z.enum(SNAPSHOT_KINDS), Count),
  }),
  listings: z.partialRecord(
    z.enum(SNAPSHOT_LISTINGS),
    z.object({ nextPage: z.int().positive(), done: z.boolean() }),
  ),
  records: z.partialRecord(z.enum(SNAPSHOT_KINDS), Count),
});
export type SnapshotCheckpoint = z.output<typeof SnapshotCheckpointSchema>;

/** The checkpoint of a previous run, from `ctx.progress`; anything unreadable counts as none (start over). */
export function readCheckpoint(
  progress: Record<string, unknown> | undefined,
): SnapshotCheckpoint | undefined {
  const parsed = SnapshotCheckpointSchema.safeParse(progress?.snapshot);
  return parsed.success ? parsed.data : undefined;
}
