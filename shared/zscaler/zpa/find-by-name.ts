import { ValidationError } from '../errors.ts';
import { SearchError } from './search.ts';

/** Two ways to read a collection: a server-side name search, and every item. */
export interface NameLookup<T extends { name: string }> {
  /** Items whose name contains `name` per a `name LIKE` search (may return near matches). */
  search(name: string): AsyncIterable<T>;
  /** Every item (when the name cannot travel in a search). */
  listAll(): AsyncIterable<T>;
}

/** ZPA treats names case-insensitively (a second group differing only in case is rejected). */
export function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The item named `name`, compared case-insensitively as ZPA does, or undefined. Searched with
 * `name LIKE <name>` (case-insensitive, exact match filtered here); a name the search syntax cannot
 * carry (a `SearchError` here) or that the server's search parser rejects (400, e.g. special
 * characters) is found by reading every page instead.
 *
 * @example
 * const g = await findByName({ search: (n) => zpa.appConnectorGroups.search([{ field: 'name', op: 'LIKE', value: n }]),
 *   listAll: () => zpa.appConnectorGroups.list() }, 'AWS eu-west-1');
 */
export async function findByName<T extends { name: string }>(
  lookup: NameLookup<T>,
  name: string,
): Promise<T | undefined> {
  try {
    return await first(lookup.search(name), name);
  } catch (err) {
    if (!(err instanceof SearchError) && !(err instanceof ValidationError)) throw err;
    return first(lookup.listAll(), name);
  }
}

async function first<T extends { name: string }>(
  items: AsyncIterable<T>,
  name: string,
): Promise<T | undefined> {
  let caseOnly: T | undefined;
  for await (const item of items) {
    if (item.name === name) return item;
    if (caseOnly === undefined && sameName(item.name, name)) caseOnly = item;
  }
  return caseOnly;
}
