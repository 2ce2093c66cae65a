/**
 * Formats rows as an aligned text table (numbers right-aligned), for benchmark output.
 *
 * @example
 * console.log(formatTable(['strategy', '429s'], [['zcops', 0], ['noLimiter', 812]]));
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const cells = [headers.map(String), ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const numeric = headers.map((_, c) => rows.every((r) => typeof r[c] === 'number'));
  const line = (r: readonly string[]) =>
    r
      .map((v, c) => (numeric[c] ? v.padStart(widths[c]!) : v.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}
