/**
 * Query-string building. Values are encoded with `encodeURIComponent`, so a space is `%20`, never
 * `+` (ZPA search strings break on `+`).
 */

export type QueryValue = string | number | boolean | undefined | null;

/**
 * `?a=1&b=x%20y`, skipping undefined/null values; `''` when nothing remains.
 *
 * @example
 * buildQuery({ page: 1, search: 'name LIKE test' }) // '?page=1&search=name%20LIKE%20test'
 */
export function buildQuery(params: Record<string, QueryValue> | undefined): string {
  if (!params) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}
