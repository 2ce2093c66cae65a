import * as z from 'zod';

/**
 * Identifier schemas. Ids are validated before they reach a URL path, so an id can never smuggle a
 * path fragment (`../`, `?`, `/`) into a request.
 */

const DIGITS = /^\d{1,20}$/;

/**
 * A ZPA id for the field `field`: a string of digits. An integer is accepted and converted (only a
 * safe integer: ZPA ids exceed 2^53, so large ids must arrive as strings to be exact).
 *
 * @example
 * zpaId('appConnectorGroupId').parse(72057615512764441n.toString()) // '72057615512764441'
 */
export function zpaId(field = 'id') {
  return z
    .union([z.string(), z.number()], { error: `${field} must be a string of digits` })
    .transform((value, ctx) => {
      if (typeof value === 'number') {
        if (Number.isSafeInteger(value) && value >= 0) return String(value);
        ctx.issues.push({
          code: 'custom',
          input: value,
          message: `${field} must be a non-negative safe integer or a string of digits`,
        });
        return z.NEVER;
      }
      if (DIGITS.test(value)) return value;
      ctx.issues.push({ code: 'custom', input: value, message: `${field} must be a string of digits` });
      return z.NEVER;
    });
}

/**
 * A ZTW (Cloud & Branch Connector) id for the field `field`: the API uses integers. A digit string
 * is accepted and converted.
 *
 * @example
 * ztwId('vmId').parse('1234') // 1234
 */
export function ztwId(field = 'id') {
  return z
    .union([z.string(), z.number()], { error: `${field} must be an integer` })
    .transform((value, ctx) => {
      const n = typeof value === 'number' ? value : DIGITS.test(value) ? Number(value) : Number.NaN;
      if (Number.isSafeInteger(n) && n >= 0) return n;
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `${field} must be a non-negative integer (or a string of digits)`,
      });
      return z.NEVER;
    });
}

/** A ZPA id: digit string; an integer is converted. Output: string. */
export const ZpaIdSchema = zpaId('id');
export type ZpaId = z.output<typeof ZpaIdSchema>;

/** A ZTW id: integer; a digit string is converted. Output: number. */
export const ZtwIdSchema = ztwId('id');
export type ZtwId = z.output<typeof ZtwIdSchema>;

/**
 * A cloud provider instance id as used by `DELETE /ecVm/uuid/{vmInstanceId}` (an AWS `i-…`, an
 * Azure/GCP uuid): letters, digits, dashes and underscores only.
 */
export const VmInstanceIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'vmInstanceId must be letters, digits, dashes or underscores');
