import { ZpaApiError } from '../errors.ts';
import { parseDuration } from '../state/duration.ts';

/** The operators ZPA search supports. */
export type SearchOp = 'EQ' | 'LIKE' | 'GT' | 'LT' | 'GTEQ' | 'LTEQ';
const OPS: readonly SearchOp[] = ['EQ', 'LIKE', 'GT', 'LT', 'GTEQ', 'LTEQ'];

export interface SearchTerm {
  field: string;
  op: SearchOp;
  value: string;
}

/** How a searchable field reads from a record. Durations are "seconds since" the field's time. */
export type FieldReader<T> =
  | { kind: 'string'; get: (r: T) => string | undefined }
  | { kind: 'boolean'; get: (r: T) => boolean | undefined }
  | { kind: 'version'; get: (r: T) => string | undefined }
  | { kind: 'duration'; get: (r: T, nowSeconds: number) => number | undefined };

/**
 * Parses `field OP value [AND field OP value …]`. The query was decoded without turning `+` into
 * spaces, so `enabled+EQ+true` arrives as one word and answers 400 `invalid.search.criteria`:
 * a client that encodes spaces as `+` is caught here, as it would be on Zscaler.
 */
export function parseSearch<T>(raw: string, fields: Record<string, FieldReader<T>>): SearchTerm[] {
  const trimmed = raw.trim();
  if (trimmed === '') return [];
  const terms: SearchTerm[] = [];
  for (const part of trimmed.split(/\s+AND\s+/)) {
    const m = /^(\S+)\s+(\S+)\s+(.+)$/.exec(part.trim());
    if (!m) throw invalid(`cannot parse search term "${part}"`, part);
    const [, field = '', op = '', value = ''] = m;
    if (!OPS.includes(op as SearchOp)) throw invalid(`unsupported search operator ${op}`, op);
    const reader = fields[field];
    if (!reader) throw invalid(`unsupported search field ${field}`, field);
    if (reader.kind === 'duration' && parseDuration(value) === undefined) {
      throw invalid(`invalid duration ${value}`, value);
    }
    if (reader.kind === 'string' && SPECIAL.test(value)) {
      // Zscaler's search parser trips on such values; clients fall back to listing.
      throw invalid(`search value ${value} contains characters the search cannot carry`, value);
    }
    if (reader.kind === 'boolean' && value !== 'true' && value !== 'false') {
      throw invalid(`invalid boolean ${value}`, value);
    }
    terms.push({ field, op: op as SearchOp, value: value.trim() });
  }
  return terms;
}

/** Characters that make a search value fail server-side (quotes, brackets, escapes, `&`, `%`). */
const SPECIAL = /[()[\]{}"'\\&%]/;

function invalid(reason: string, param: string): ZpaApiError {
  return new ZpaApiError(400, 'invalid.search.criteria', reason, [param]);
}

/** Compares dotted versions numerically (`22.73.4` < `22.172.1`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const c = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
    if (c !== 0) return c;
  }
  return 0;
}

function compare(c: number, op: SearchOp): boolean {
  switch (op) {
    case 'EQ':
      return c === 0;
    case 'GT':
      return c > 0;
    case 'LT':
      return c < 0;
    case 'GTEQ':
      return c >= 0;
    case 'LTEQ':
      return c <= 0;
    case 'LIKE':
      return c === 0;
  }
}

/** Whether a record satisfies every term (AND). Records lacking a field never match it. */
export function matchesAll<T>(
  record: T,
  terms: readonly SearchTerm[],
  fields: Record<string, FieldReader<T>>,
  nowSeconds: number,
): boolean {
  for (const t of terms) {
    const reader = fields[t.field];
    if (!reader) return false;
    switch (reader.kind) {
      case 'string': {
        const v = reader.get(record);
        if (v === undefined) return false;
        if (t.op === 'LIKE') {
          if (!v.toLowerCase().includes(t.value.toLowerCase())) return false;
        } else if (!compare(v.localeCompare(t.value), t.op)) return false;
        break;
      }
      case 'boolean': {
        const v = reader.get(record);
        if (v === undefined || String(v) !== t.value || (t.op !== 'EQ' && t.op !== 'LIKE')) return false;
        break;
      }
      case 'version': {
        const v = reader.get(record);
        if (v === undefined) return false;
        if (t.op === 'LIKE') {
          if (!v.includes(t.value)) return false;
        } else if (!compare(compareVersions(v, t.value), t.op)) return false;
        break;
      }
      case 'duration': {
        const v = reader.get(record, nowSeconds);
        const want = parseDuration(t.value);
        if (v === undefined || want === undefined) return false;
        if (!compare(Math.sign(v - want), t.op === 'LIKE' ? 'EQ' : t.op)) return false;
        break;
      }
    }
  }
  return true;
}
