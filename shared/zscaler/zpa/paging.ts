import type { ZpaPage } from '../schemas/paging.ts';

/** Largest page ZPA serves, and the size our iterators ask for by default. */
export const ZPA_MAX_PAGE_SIZE = 500;

/** Options of every paged ZPA list. */
export interface ZpaPageOptions {
  /** Items per page, 1..500. Default 500. */
  pageSize?: number;
  /** First page to fetch (1-based). Default 1. */
  startPage?: number;
}

/** Validates a page size. */
export function zpaPageSize(pageSize: number | undefined): number {
  const size = pageSize ?? ZPA_MAX_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > ZPA_MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be an integer from 1 to ${ZPA_MAX_PAGE_SIZE}`);
  }
  return size;
}

/** One fetched page with its number. */
export interface NumberedPage<T> extends ZpaPage<T> {
  page: number;
}

/**
 * Iterates ZPA pages. Stops after `totalPages` when the server says it; when it does not, stops on
 * an empty or short page. Never relies on a `nextPage` field (it never comes).
 *
 * @example
 * for await (const page of zpaPages((n) => fetchPage(n), 500)) console.log(page.page, page.list.length);
 */
export async function* zpaPages<T>(
  fetchPage: (page: number) => Promise<ZpaPage<T>>,
  pageSize: number,
  startPage = 1,
): AsyncGenerator<NumberedPage<T>, void, undefined> {
  for (let page = startPage; ; page++) {
    const result = await fetchPage(page);
    yield { ...result, page };
    if (result.totalPages !== undefined) {
      if (page >= result.totalPages) return;
      // A page beyond the end answers empty; guard against a total that grows while we page.
      if (result.list.length === 0) return;
    } else if (result.list.length < pageSize) {
      return;
    }
  }
}

/** Flattens pages into items. */
export async function* itemsOf<T>(pages: AsyncIterable<{ list: T[] }>): AsyncGenerator<T, void, undefined> {
  for await (const page of pages) yield* page.list;
}
