/**
 * Reads a dotted path from parsed JSON, own properties only (a body can never reach a prototype).
 *
 * @example
 * readPath({ issue: { key: 'OPS-1' } }, 'issue.key') // 'OPS-1'
 */
export function readPath(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const key of path.split('.')) {
    if (!node || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, key))
      return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * An ITSM field's value, unwrapped: option objects (`{value: …}`, Jira selects, ServiceNow
 * references with `display_value`) give their `value`, strings are trimmed, and empty values
 * (`""`, `null`) count as absent.
 */
export function fieldValue(root: unknown, path: string): unknown {
  return unwrap(readPath(root, path));
}

function unwrap(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? undefined : t;
  }
  if (Array.isArray(v)) {
    const items = v.map(unwrap).filter((x) => x !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (typeof v === 'object' && Object.hasOwn(v, 'value')) return unwrap((v as { value: unknown }).value);
  return v;
}
