import * as z from 'zod';
import { countNumber, opt } from './primitives.ts';

/**
 * A ZPA page: `{"totalPages":"N","totalCount":"N","list":[…]}` with string counts; `totalCount`
 * may be absent and `list` is absent on an empty page (normalised to `[]`).
 *
 * @example
 * zpaPage(AppConnectorSchema).parse({ totalPages: '1' }) // { totalPages: 1, list: [] }
 */
export function zpaPage<T extends z.ZodType>(item: T) {
  return z.looseObject({
    totalPages: opt(countNumber),
    totalCount: opt(countNumber),
    list: opt(z.array(item)).transform((l) => l ?? []),
  });
}

/** One parsed ZPA page of `T`. */
export interface ZpaPage<T> {
  totalPages?: number | undefined;
  totalCount?: number | undefined;
  list: T[];
  [key: string]: unknown;
}
