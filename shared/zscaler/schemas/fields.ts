import * as z from 'zod';
import { zpaId } from './ids.ts';

/**
 * Field schemas shared by the request bodies, built from the docs' field tables. Each message
 * names its field so intake can answer a precise 400.
 */

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** The seven upgrade days. */
export const UPGRADE_DAYS = [
  'SUNDAY',
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
] as const;
export type UpgradeDay = (typeof UPGRADE_DAYS)[number];

export const DNS_QUERY_TYPES = ['IPV4_IPV6', 'IPV4', 'IPV6'] as const;
export type DnsQueryType = (typeof DNS_QUERY_TYPES)[number];

/** Parses a number given as a number or a decimal string; `undefined` when it is neither. */
function toNumber(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const trimmed = value.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * A coordinate in `min..max`, given as a number or a numeric string. `as: 'string'` sends it as
 * a string (App Connector groups, as the docs' payloads do), keeping the caller's digits exactly;
 * `as: 'number'` sends a JSON number (Private Cloud Controller groups).
 */
export function coordinate<T extends 'string' | 'number'>(field: string, min: number, max: number, as: T) {
  const message = `${field} must be a number between ${min} and ${max}`;
  return z.union([z.string(), z.number()], { error: message }).transform((value, ctx) => {
    const n = toNumber(value);
    if (n === undefined || n < min || n > max) {
      ctx.issues.push({ code: 'custom', input: value, message });
      return z.NEVER;
    }
    const out = as === 'number' ? n : typeof value === 'string' ? value.trim() : String(value);
    return out as T extends 'number' ? number : string;
  });
}

/**
 * `upgradeTimeInSecs`: an integer in 0..86399 and a multiple of 900 (15 minutes), given as a number
 * or a digit string, sent as a string as the API does.
 */
export function upgradeTimeInSecs(field = 'upgradeTimeInSecs') {
  const message = `${field} must be an integer from 0 to 86399 seconds in steps of 900 (15 minutes)`;
  return z.union([z.string(), z.number()], { error: message }).transform((value, ctx) => {
    const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n) || n < 0 || n > 86399 || n % 900 !== 0) {
      ctx.issues.push({ code: 'custom', input: value, message });
      return z.NEVER;
    }
    return String(n);
  });
}

/** `upgradeDay`: one of the seven days, any letter case accepted, sent upper-case. */
export function upgradeDay(field = 'upgradeDay') {
  const message = `${field} must be one of ${UPGRADE_DAYS.join(', ')}`;
  return z.string({ error: message }).transform((value, ctx) => {
    const day = value.trim().toUpperCase();
    if ((UPGRADE_DAYS as readonly string[]).includes(day)) return day as UpgradeDay;
    ctx.issues.push({ code: 'custom', input: value, message });
    return z.NEVER;
  });
}

/** A boolean, also accepted as the strings `true`/`false` (ITSM webhooks often send strings). */
export function flag(field: string) {
  const message = `${field} must be true or false`;
  return z.union([z.boolean(), z.string()], { error: message }).transform((value, ctx) => {
    if (typeof value === 'boolean') return value;
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
    ctx.issues.push({ code: 'custom', input: value, message });
    return z.NEVER;
  });
}

/** A required, non-blank name. */
export function requiredText(field: string, max = 255) {
  return z
    .string({ error: `${field} is required and must be a string` })
    .trim()
    .min(1, `${field} must not be empty`)
    .max(max, `${field} must be at most ${max} characters`);
}

/** An optional free text. */
export function optionalText(field: string, max = 1024) {
  return z
    .string({ error: `${field} must be a string` })
    .max(max, `${field} must be at most ${max} characters`)
    .optional();
}

/** An optional ZPA id where the API also sends `""` for "none": the empty string becomes absent. */
export function optionalZpaId(field: string) {
  return z.preprocess((v) => (v === '' || v === null ? undefined : v), zpaId(field).optional());
}

/**
 * Cross-field rules shared by the group bodies: `versionProfileId` is required when
 * `overrideVersionProfile` is true.
 */
export function checkVersionProfile(
  body: { overrideVersionProfile?: boolean; versionProfileId?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (body.overrideVersionProfile === true && body.versionProfileId === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['versionProfileId'],
      message: 'versionProfileId is required when overrideVersionProfile is true',
    });
  }
}

/**
 * Runs a cross-field check even when other fields failed (so intake reports every issue at once),
 * but only when the fields it reads parsed cleanly.
 */
export function whenFieldsValid(fields: readonly string[]) {
  return {
    when: (payload: { value: unknown; issues: readonly { path?: readonly PropertyKey[] }[] }): boolean =>
      typeof payload.value === 'object' &&
      payload.value !== null &&
      !payload.issues.some((i) => i.path !== undefined && fields.includes(String(i.path[0]))),
  };
}
