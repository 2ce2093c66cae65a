import { snapshotIdFor, snapshotLayout } from '../../snapshots/layout.ts';
import { ZPA_MAX_PAGE_SIZE } from '../../zscaler/zpa/paging.ts';
import { ZTW_MAX_PAGE_SIZE } from '../../zscaler/ztw/client.ts';
import type { Job, PlannedCall } from '../job.ts';
import { readCheckpoint } from './progress.ts';
import { DEFAULT_STALE_AFTER_DAYS } from './settings.ts';
import { kindsFor, takeSnapshot } from './take-snapshot.ts';

interface SnapshotPlanData {
  snapshotId: string;
  prefix: string;
}

const zpaList = (path: string, operation: string): PlannedCall => ({
  api: 'zpa',
  method: 'GET',
  path: `${path}?page=1..N&pagesize=${ZPA_MAX_PAGE_SIZE}`,
  operation,
  write: false,
  note: 'every page',
});

/**
 * `inventory.snapshot`: every connector, group and VM of the tenant, streamed to the snapshots
 * bucket as JSON Lines with manifest, summary and diff (see `shared/snapshots/`). A tenant with only
 * ZPA or only Cloud & Branch Connector configured snapshots what it has. Dry-run plans the reads
 * and the objects it would write, and writes nothing. A deferral (rate limit, 429, transient error)
 * keeps the snapshot's position on the request (`progress.ts`); the next run resumes from it.
 *
 * @example
 * JOBS['inventory.snapshot'] = inventorySnapshotJob;
 */
export const inventorySnapshotJob: Job<'inventory.snapshot', SnapshotPlanData> = {
  action: 'inventory.snapshot',

  async plan(ctx) {
    const apis = { zpa: ctx.tenant.zpa !== undefined, ztw: ctx.tenant.ztw !== undefined };
    // A deferred snapshot goes on under the id and prefix it started with.
    const saved = readCheckpoint(ctx.progress);
    const startedAt = saved?.startedAtMs ?? ctx.clock.now();
    const snapshotId = saved?.snapshotId ?? snapshotIdFor(startedAt, ctx.record.requestId);
    const layout = snapshotLayout(ctx.tenant.name, startedAt, snapshotId);
    const calls: PlannedCall[] = [];
    if (apis.zpa) {
      calls.push(
        zpaList('/connector', 'appConnector.list'),
        zpaList('/appConnectorGroup', 'appConnectorGroup.list'),
        zpaList('/cloudConnectorGroup', 'cloudConnectorGroup.list'),
        zpaList('/privateCloudControllerGroup', 'pccGroup.list'),
      );
    }
    if (apis.ztw) {
      calls.push({
        api: 'ztw',
        method: 'GET',
        path: `/ecgroup?page=1..N&pageSize=${ZTW_MAX_PAGE_SIZE}`,
        operation: 'ecGroup.list',
        write: false,
        note: 'every page; VMs come embedded',
      });
    }
    const kinds = kindsFor(apis);
    for (const file of [
      ...kinds.map((k) => `${k}.jsonl`),
      'index.jsonl',
      'summary.json',
      'diff.json',
      'manifest.json',
    ]) {
      calls.push({
        api: 's3',
        method: 'PUT',
        path: `${layout.prefix}${file}`,
        operation: 's3.put',
        write: true,
      });
    }
    calls.push({
      api: 's3',
      method: 'PUT',
      path: `snapshots/${ctx.tenant.name}/latest.json`,
      operation: 's3.put',
      write: true,
      note: 'moved last, after the manifest',
    });
    return {
      calls,
      resources: [
        { kind: 'snapshot', id: snapshotId, name: layout.prefix, effect: 'create', facts: { kinds } },
      ],
      data: { snapshotId, prefix: layout.prefix },
    };
  },

  async execute(ctx, plan) {
    const target = ctx.services.snapshots;
    if (!target) {
      return {
        status: 'failed',
        reason: 'no snapshots bucket is configured for the worker',
        code: 'no-bucket',
      };
    }
    const snapshotId = plan.data?.snapshotId ?? snapshotIdFor(ctx.clock.now(), ctx.record.requestId);
    const resume = readCheckpoint(ctx.progress);
    // A deferral on the way throws `SnapshotInterruptedError`: the run loop defers the job and keeps
    // the checkpoint on the request, so the next run reads on from the page where this one stopped.
    const result = await takeSnapshot({
      tenant: ctx.tenant.name,
      store: target.store,
      ...(ctx.tenant.zpa ? { zpa: await ctx.zpa() } : {}),
      ...(ctx.tenant.ztw ? { ztw: await ctx.ztw() } : {}),
      snapshotId,
      clock: ctx.clock,
      requestId: ctx.record.requestId,
      staleAfterDays: ctx.settings.snapshotStaleAfterDays ?? DEFAULT_STALE_AFTER_DAYS,
      ...(resume && resume.snapshotId === snapshotId ? { resume } : {}),
    });
    const { manifest, summary } = result;
    const outcome = {
      snapshotId,
      bucket: target.bucket,
      prefix: manifest.prefix,
      manifest: result.layout.manifest,
      counts: manifest.counts,
      calls: manifest.calls.total,
      durationMs: manifest.durationMs,
      summary: {
        disconnected: summary.disconnectedConnectors.count,
        versionDrift: summary.versionDrift.count,
        stale: summary.staleConnectors.count,
        emptyGroups: summary.emptyGroups.count,
      },
      diff: { previous: result.diffPrevious, kinds: result.diffCounts },
    };
    await ctx.note('snapshot.written', outcome, `snapshot/${snapshotId}`);
    return { status: 'succeeded', result: outcome };
  },
};
