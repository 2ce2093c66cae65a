import { ZpaApiError } from '../errors.ts';

export const ZPA_DEFAULT_PAGE_SIZE = 20;
export const ZPA_MAX_PAGE_SIZE = 500;

export interface Paging {
  page: number;
  pageSize: number;
}

/**
 * Reads `page` (from 1) and `pagesize` (default 20). A `pagesize` above 500 is clamped to 500;
 * a non-numeric or < 1 value answers 400 `invalid.page.size` / `invalid.page.number`.
 */
export function parseZpaPaging(query: Map<string, string>): Paging {
  const page = readPositive(query.get('page'), 1, 'invalid.page.number', 'page');
  const size = readPositive(query.get('pagesize'), ZPA_DEFAULT_PAGE_SIZE, 'invalid.page.size', 'pagesize');
  return { page, pageSize: Math.min(size, ZPA_MAX_PAGE_SIZE) };
}

function readPositive(raw: string | undefined, fallback: number, id: string, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ZpaApiError(400, id, `${name} must be a positive integer`, [name, raw]);
  }
  return Number(raw);
}

/**
 * One ZPA page: `{"totalPages":"N","totalCount":"N","list":[…]}` with counts as strings,
 * `totalCount` only when asked (search answers), `list` omitted when the page is empty.
 */
export function zpaPage<T>(
  items: readonly T[],
  paging: Paging,
  render: (item: T) => unknown,
  options: { withTotalCount?: boolean } = {},
): Record<string, unknown> {
  const totalPages = Math.ceil(items.length / paging.pageSize);
  const start = (paging.page - 1) * paging.pageSize;
  const slice = items.slice(start, start + paging.pageSize);
  const body: Record<string, unknown> = { totalPages: String(totalPages) };
  if (options.withTotalCount) body.totalCount = String(items.length);
  if (slice.length > 0) body.list = slice.map(render);
  return body;
}
