import { EventPatternError } from './errors.ts';

/**
 * EventBridge event pattern matching, for the operators a zcops template uses and the common
 * ones around them: exact values (strings, numbers, booleans, null) in arrays, nested objects,
 * `prefix`, `suffix`, `anything-but` (value, list, or `{ prefix }`), `exists`, `numeric`
 * (`=`, `<`, `<=`, `>`, `>=` pairs), `equals-ignore-case` and `$or`. An array in the event matches
 * when any element matches. An operator this file does not know is an error, never a silent match.
 *
 * @example
 * matchesPattern({ source: ['aws.autoscaling'], detail: { AutoScalingGroupName: ['asg-a'] } }, event) // true
 */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (!isObject(pattern)) throw new EventPatternError('a pattern is a JSON object');
  return matchObject(pattern, isObject(event) ? event : {});
}

function matchObject(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(rule)) throw new EventPatternError('$or wants an array of patterns');
      if (!rule.some((p) => isObject(p) && matchObject(p, event))) return false;
      continue;
    }
    const present = Object.hasOwn(event, key);
    const value = present ? event[key] : undefined;
    if (isObject(rule)) {
      if (!present || !isObject(value)) return false;
      if (!matchObject(rule, value)) return false;
      continue;
    }
    if (!Array.isArray(rule)) throw new EventPatternError(`${key}: a pattern value is an array or an object`);
    if (!matchField(rule, present, value)) return false;
  }
  return true;
}

function matchField(rules: unknown[], present: boolean, value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  return rules.some((rule) => {
    if (isObject(rule) && 'exists' in rule) return rule.exists === present;
    if (!present) return false;
    return values.some((v) => matchValue(rule, v));
  });
}

function matchValue(rule: unknown, v: unknown): boolean {
  if (!isObject(rule)) return rule === v;
  const [op, arg] = Object.entries(rule)[0] ?? [];
  switch (op) {
    case 'prefix':
      return typeof v === 'string' && typeof arg === 'string' && v.startsWith(arg);
    case 'suffix':
      return typeof v === 'string' && typeof arg === 'string' && v.endsWith(arg);
    case 'equals-ignore-case':
      return typeof v === 'string' && typeof arg === 'string' && v.toLowerCase() === arg.toLowerCase();
    case 'anything-but': {
      if (isObject(arg) && typeof arg.prefix === 'string')
        return typeof v === 'string' && !v.startsWith(arg.prefix);
      const list = Array.isArray(arg) ? arg : [arg];
      return !list.includes(v);
    }
    case 'numeric': {
      if (typeof v !== 'number' || !Array.isArray(arg)) return false;
      for (let i = 0; i < arg.length; i += 2) {
        const cmp = arg[i];
        const n = Number(arg[i + 1]);
        const ok =
          cmp === '=' ? v === n : cmp === '<' ? v < n : cmp === '<=' ? v <= n : cmp === '>' ? v > n : v >= n;
        if (!ok) return false;
      }
      return true;
    }
    default:
      throw new EventPatternError(`unsupported pattern operator ${String(op)}`);
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
