/**
 * ZPA search strings: `field OP value` conditions joined by ` AND `. Fields and values are
 * validated so a value can never add a condition of its own; the string is encoded later by the
 * query builder with `%20` for spaces (never `+`).
 */

import type { Disposition } from '../../core/disposition.ts';

export const SEARCH_OPS = ['EQ', 'LIKE', 'GT', 'LT', 'GTEQ', 'LTEQ'] as const;
export type SearchOp = (typeof SEARCH_OPS)[number];

/** Connector filters the docs name (others are accepted as plain field names). */
export type ConnectorSearchField =
  | 'controlChannelStatus'
  | 'lastBrokerConnectTimeDuration'
  | 'lastBrokerDisconnectTimeDuration'
  | 'currentVersion'
  | 'expectedVersion'
  | 'name'
  | 'enabled';

/** Control channel states of an App Connector. */
export const CONTROL_CHANNEL_STATUSES = [
  'ZPN_STATUS_AUTHENTICATED',
  'ZPN_STATUS_DISCONNECTED',
  'ZPN_STATUS_AUTH_FAILED',
] as const;

export interface SearchCondition<F extends string = string> {
  field: F;
  op: SearchOp;
  value: string | number | boolean;
}

/** A search condition ZPA cannot be asked (a job's input that no search can express). */
export class SearchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchError';
  }

  get disposition(): Disposition {
    return { kind: 'fail', code: this.name, reason: this.message };
  }
}

const FIELD = /^[A-Za-z][A-Za-z0-9_.]{0,63}$/;
// A value may contain spaces (names do), but never a whole word that is a joiner or an operator
// standing alone, which would let it start a new condition.
const JOINER = /(^|\s)(AND|OR)(\s|$)/i;

function checkCondition(c: SearchCondition): string {
  if (!FIELD.test(c.field)) throw new SearchError(`search field "${c.field}" is not a field name`);
  if (!(SEARCH_OPS as readonly string[]).includes(c.op)) {
    throw new SearchError(`search operator "${c.op}" must be one of ${SEARCH_OPS.join(', ')}`);
  }
  const value = String(c.value);
  if (value.trim().length === 0) throw new SearchError(`search value for ${c.field} must not be empty`);
  if (value !== value.trim())
    throw new SearchError(`search value for ${c.field} must not start or end with spaces`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new SearchError(`search value for ${c.field} must not contain control characters`);
  }
  if (JOINER.test(value)) {
    throw new SearchError(`search value for ${c.field} must not contain AND/OR as a word: "${value}"`);
  }
  if ((c.op === 'GT' || c.op === 'LT' || c.op === 'GTEQ' || c.op === 'LTEQ') && /\s/.test(value)) {
    throw new SearchError(
      `search value for ${c.field} ${c.op} must be a single word (a number or a duration such as 15d)`,
    );
  }
  return `${c.field} ${c.op} ${value}`;
}

/**
 * Builds a search string (unencoded; the query builder encodes it).
 *
 * @example
 * buildSearch([
 *   { field: 'controlChannelStatus', op: 'EQ', value: 'ZPN_STATUS_DISCONNECTED' },
 *   { field: 'lastBrokerDisconnectTimeDuration', op: 'GT', value: '15d' },
 * ]) // 'controlChannelStatus EQ ZPN_STATUS_DISCONNECTED AND lastBrokerDisconnectTimeDuration GT 15d'
 */
export function buildSearch<F extends string = ConnectorSearchField | (string & {})>(
  conditions: readonly SearchCondition<F>[],
): string {
  if (conditions.length === 0) throw new SearchError('a search needs at least one condition');
  return conditions.map(checkCondition).join(' AND ');
}

/**
 * Encodes a search string for a query string: spaces as `%20`, never `+`.
 *
 * @example
 * encodeSearch('name LIKE test') // 'name%20LIKE%20test'
 */
export function encodeSearch(search: string): string {
  return encodeURIComponent(search);
}

/**
 * A search given either as conditions (validated here) or as a string already built by
 * `buildSearch`.
 */
export type SearchInput = string | readonly SearchCondition[];

/** Normalises a `SearchInput` to its string. */
export function searchString(input: SearchInput): string {
  return typeof input === 'string' ? input : buildSearch(input);
}
