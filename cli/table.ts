/**
 * Renders rows as an aligned text table with a header, for people (`--json` is for machines).
 * Cells are stringified; long cells are cut at `maxWidth` with an ellipsis.
 *
 * @example
 * renderTable([{ id: 'a', state: 'QUEUED' }], ['id', 'state']);
 * // ID  STATE
 * // a   QUEUED
 */
export function renderTable(
  rows: readonly Record<string, unknown>[],
  columns: readonly string[],
  options: { maxWidth?: number; headers?: Record<string, string> } = {},
): string {
  const max = options.maxWidth ?? 60;
  const cell = (v: unknown): string => {
    const s =
      v === undefined || v === null
        ? ''
        : typeof v === 'string'
          ? v
          : typeof v === 'object'
            ? JSON.stringify(v)
            : String(v);
    const flat = s.replace(/\s+/g, ' ');
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  };
  const head = columns.map((c) => options.headers?.[c] ?? c.toUpperCase());
  const body = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(head), ...body.map(line)].join('\n')}\n`;
}

/** `key: value` lines, aligned, for one record. */
export function renderFields(fields: readonly [string, unknown][]): string {
  const shown = fields.filter(([, v]) => v !== undefined && v !== '');
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return `${shown
    .map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('\n')}\n`;
}
