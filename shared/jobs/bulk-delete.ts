import { NotFoundError } from '../zscaler/errors.ts';
import type { MicrotenantOption } from '../zscaler/zpa/context.ts';
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
 * Deletes connectors in chunks (`settings.bulkDeleteChunk`, at most 100). A chunk the API answers
 * not-found for is deleted one by one. A limiter "not before T" or a failure stops the run; the
 * job is deferred and re-planned from Zscaler's state, so chunks already done are not sent again.
 */
export async function deleteInChunks(
  ctx: Pick<JobContext, 'zpa' | 'settings'>,
  ids: readonly string[],
  opts: MicrotenantOption,
): Promise<JobOutcome> {
  const zpa = await ctx.zpa();
  const parts = chunk(ids, ctx.settings.bulkDeleteChunk);
  for (const part of parts) {
    try {
      await zpa.appConnectors.bulkDelete(part, opts);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      // One id of the chunk vanished meanwhile and the API refused the whole chunk: delete the rest
      // one by one (not found = already gone).
      for (const id of part) {
        try {
          await zpa.appConnectors.delete(id, opts);
        } catch (inner) {
          if (!(inner instanceof NotFoundError)) throw inner;
        }
      }
    }
  }
  return { status: 'succeeded', result: { deleted: ids.length, calls: parts.length, ids: [...ids] } };
}
