import * as z from 'zod';

/**
 * Lenient primitives for response bodies: the APIs send numbers and booleans as strings, ZPA ids
 * as strings (they exceed 2^53), ZTW ids as integers. Response schemas accept what arrives and
 * normalise to one type.
 */

/** An id or epoch as sent by ZPA: string (a number is converted). */
export const idString = z.union([z.string(), z.number()]).transform(String);

/** A count sent as `"28"` or `28`, normalised to a number. */
export const countNumber = z
  .union([z.number(), z.string().regex(/^-?\d+$/, 'expected an integer (possibly as a string)')])
  .transform(Number);

/** A boolean sent as `true` or `"true"` / `"TRUE"`, normalised to a boolean. */
export const looseBoolean = z
  .union([z.boolean(), z.string().regex(/^(true|false)$/i, 'expected true or false')])
  .transform((v) => (typeof v === 'boolean' ? v : v.toLowerCase() === 'true'));

/** A ZTW integer id (a digit string is converted). */
export const ztwIntId = z
  .union([z.number().int(), z.string().regex(/^\d+$/, 'expected an integer id')])
  .transform(Number);

/** An optional string that some answers send as a number. */
export const looseString = z.union([z.string(), z.number()]).transform(String);

/**
 * An optional response field that may also arrive as `null`: both read as absent. Zscaler sends
 * absent, empty and `null` optional fields alike, and adds fields over time (response objects are
 * loose, so unknown fields are kept); only fields a decision needs are required.
 *
 * @example
 * z.looseObject({ description: opt(z.string()) }).parse({ description: null }) // { description: undefined }
 */
export function opt<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.optional());
}
