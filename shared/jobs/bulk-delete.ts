import { NotFoundError } from '../zscaler/errors.ts';
import type { MicrotenantOption } from '../zscaler/zpa/context.ts';
import { JobInterruptedError } from './errors.ts';
import type { JobContext, JobOutcome, PlannedCall } from './job.ts';

/** Splits ids into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The planned `POST connector/bulkDelete` calls for `ids`. */
export function bulkDeleteCalls(ids: readonly string[], size: number): PlannedCall[] {
  return chunk(ids, size).map((part) => ({
    api: 'zpa',
    method: 'POST',
    path: '/connector/bulkDelete',
    operation: 'appConnector.bulkDelete',
    write: true,
    body: { ids: part },
  }));
}

/**
 * The ids earlier runs of this request sent in a bulk delete whose answer never came back clearly
 * (kept on the request as `progress.sentIds`). Such a call may have landed, so a later run must name
 * the ones now gone instead of losing track of them (a cleanup re-plans from a search that no longer
 * finds them).
 */
export function sentIdsOf(progress: Record<string, unknown> | undefined): string[] {
  const sent = progress?.sentIds;
  return Array.isArray(sent) ? sent.filter((id): id is string => typeof id === 'string') : [];
}

/**
 * Deletes connectors in chunks (`settings.bulkDeleteChunk`, at most 100). A chunk the API answers
 * not-found for is deleted one by one. A limiter "not before T" or a failure stops the run; the
 * job is deferred and re-planned from Zscaler's state, so chunks already done are not sent again.
 * An interrupted run hands on `sentIds` (every id it or an earlier run sent), so the next run can
 * tell which of them landed; `alreadyDeleted` are those an earlier run's call removed, reported with
 * this run's result.
 */
export async function deleteInChunks(
  ctx: Pick<JobContext, 'zpa' | 'settings' | 'progress'>,
  ids: readonly string[],
  opts: MicrotenantOption,
  alreadyDeleted: readonly string[] = [],
): Promise<JobOutcome> {
  const zpa = await ctx.zpa();
  const parts = chunk(ids, ctx.settings.bulkDeleteChunk);
  const sent = new Set([...sentIdsOf(ctx.progress), ...alreadyDeleted]);
  for (const part of parts) {
    for (const id of part) sent.add(id);
    try {
      await zpa.appConnectors.bulkDelete(part, opts);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw new JobInterruptedError(err, { sentIds: [...sent] });
      // One id of the chunk vanished meanwhile and the API refused the whole chunk: delete the rest
      // one by one (not found = already gone).
      for (const id of part) {
        try {
          await zpa.appConnectors.delete(id, opts);
        } catch (inner) {
          if (!(inner instanceof NotFoundError)) throw new JobInterruptedError(inner, { sentIds: [...sent] });
        }
      }
    }
  }
  const all = [...new Set([...alreadyDeleted, ...ids])];
  return {
    status: 'succeeded',
    result: {
      deleted: all.length,
      calls: parts.length,
      ids: all,
      ...(alreadyDeleted.length > 0 ? { deletedByEarlierRun: [...alreadyDeleted] } : {}),
    },
  };
}
