import type { z } from 'zod';
import type { ZpaPage } from '../schemas/paging.ts';
import { zpaPage } from '../schemas/paging.ts';
import { type MicrotenantOption, microtenantQuery, type ZpaContext } from './context.ts';
import { itemsOf, type NumberedPage, type ZpaPageOptions, zpaPageSize, zpaPages } from './paging.ts';
import { type SearchInput, searchString } from './search.ts';

/** Options of a paged ZPA list: page size, microtenant, optional search. */
export interface ZpaListOptions extends ZpaPageOptions, MicrotenantOption {
  /** A search (conditions or a string from `buildSearch`); sent as `search=` with `%20` spaces. */
  search?: SearchInput | undefined;
}

/** The page and item iterators of one paged collection. */
export function pagedList<S extends z.ZodType>(
  ctx: ZpaContext,
  operation: string,
  path: string,
  item: S,
  opts: ZpaListOptions = {},
): AsyncGenerator<NumberedPage<z.output<S>>, void, undefined> {
  const pageSize = zpaPageSize(opts.pageSize);
  const search = opts.search === undefined ? undefined : searchString(opts.search);
  const schema = zpaPage(item);
  const mt = microtenantQuery(ctx, opts);
  return zpaPages<z.output<S>>(
    async (page) =>
      (await ctx.api.request({
        operation,
        method: 'GET',
        path,
        query: { page, pagesize: pageSize, ...(search === undefined ? {} : { search }), ...mt },
        schema,
        rateClass: 'read',
        retry: 'always',
      })) as ZpaPage<z.output<S>>,
    pageSize,
    opts.startPage ?? 1,
  );
}

/** Items of a paged collection, across all pages. */
export function pagedItems<S extends z.ZodType>(
  ctx: ZpaContext,
  operation: string,
  path: string,
  item: S,
  opts: ZpaListOptions = {},
): AsyncGenerator<z.output<S>, void, undefined> {
  return itemsOf(pagedList(ctx, operation, path, item, opts));
}
