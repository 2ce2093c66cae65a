import type { z } from 'zod';

/** One validation problem: where (dotted path, `[n]` for indexes) and what. */
export interface Issue {
  path: string;
  message: string;
  /** The sender's own field name, when the request was mapped from another shape (ITSM). */
  field?: string;
}

/**
 * Formats a path as `group.latitude` or `ids[3]`; the root is `(root)`.
 *
 * @example
 * formatPath(['ids', 3]) // 'ids[3]'
 */
export function formatPath(path: readonly PropertyKey[]): string {
  const out = path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
  return out === '' ? '(root)' : out;
}

/** Every issue of a zod error, in order, with formatted paths. */
export function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}
