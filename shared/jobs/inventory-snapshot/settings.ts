/** Summary setting of snapshots, read from the worker's job settings when it provides it. */
declare module '../job.ts' {
  interface JobSettings {
    /** Snapshots: a connector not seen for longer than this many days is listed as stale (default 7). */
    snapshotStaleAfterDays?: number;
  }
}

export const DEFAULT_STALE_AFTER_DAYS = 7;
