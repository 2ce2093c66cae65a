/**
 * Compares a requested group body with an existing group of the same name: which requested fields
 * differ. Values are compared as the API's loose shapes allow (numbers and booleans may come back as
 * strings, coordinates with other precision); fields the existing group does not report are not
 * compared.
 *
 * @example
 * differingFields({ name: 'a', latitude: '37.33' }, { name: 'a', latitude: 37.33 }) // []
 */
export function differingFields(
  wanted: Record<string, unknown>,
  existing: Record<string, unknown>,
): string[] {
  const out: string[] = [];
  for (const [field, value] of Object.entries(wanted)) {
    if (value === undefined || value === null || typeof value === 'object') continue;
    const have = existing[field];
    if (have === undefined || have === null) continue;
    if (!sameValue(value, have)) out.push(field);
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  const x = String(a).trim();
  const y = String(b).trim();
  if (x === y) return true;
  const nx = Number(x);
  const ny = Number(y);
  return x !== '' && y !== '' && Number.isFinite(nx) && Number.isFinite(ny) && Math.abs(nx - ny) < 1e-9;
}

/** The clear reason of a name clash. */
export function clashReason(kind: string, name: string, id: string, fields: string[]): string {
  return `${kind} "${name}" already exists (id ${id}) with a different configuration: ${fields.join(', ')} differ`;
}
