import type { NumberedPage } from '../../zscaler/zpa/paging.ts';
import { readAhead } from './read-ahead.ts';

/** A ZPA `listPages` method (any collection). */
export type ZpaPageLister<T> = (opts: {
  pageSize: number;
  startPage: number;
}) => AsyncGenerator<NumberedPage<T>, void, undefined>;

/**
 * Fetches every page of a ZPA collection (from `startPage` on) with up to `concurrency` requests in flight and yields
 * the pages in order. Page 1 tells `totalPages`; pages 2..N are then asked for concurrently (the
 * rate limiter spaces them, so more concurrency never means more calls or a faster rate, only that
 * a slow answer does not leave the budget idle). If the last page says the collection grew, the
 * rest is read one page after another. Without `totalPages` it falls back to sequential paging.
 *
 * @example
 * for await (const list of concurrentPages((o) => zpa.appConnectors.listPages(o), 500, 2)) write(list);
 */
export async function* concurrentPages<T>(
  lister: ZpaPageLister<T>,
  pageSize: number,
  concurrency: number,
  /** Where a resumed listing goes on (pages before it were read by an earlier run). */
  startPage = 1,
): AsyncGenerator<T[], void, undefined> {
  const fetchPage = async (page: number): Promise<NumberedPage<T> | undefined> => {
    const it = lister({ pageSize, startPage: page });
    try {
      const r = await it.next();
      return r.done ? undefined : r.value;
    } finally {
      // Stops the iterator after this one page: no further request is made.
      await it.return(undefined);
    }
  };
  const first = await fetchPage(startPage);
  if (!first) return;
  yield first.list;
  let total = first.totalPages;
  if (total === undefined) {
    if (first.list.length < pageSize) return;
    for await (const page of readAhead(lister({ pageSize, startPage: startPage + 1 }))) yield page.list;
    return;
  }
  const inflight = new Map<number, Promise<NumberedPage<T> | undefined>>();
  let next = startPage + 1;
  let last = startPage;
  try {
    while (next <= total || inflight.size > 0) {
      while (inflight.size < Math.max(1, concurrency) && next <= total) {
        const p = fetchPage(next);
        // Awaited in order below; this keeps an early exit from leaving an unhandled rejection.
        p.catch(() => undefined);
        inflight.set(next, p);
        next++;
      }
      const n = last + 1;
      const page = await inflight.get(n);
      inflight.delete(n);
      last = n;
      if (!page) continue;
      if (page.totalPages !== undefined && page.totalPages > total && n === total) total = page.totalPages;
      yield page.list;
    }
  } finally {
    await Promise.allSettled(inflight.values());
  }
}
