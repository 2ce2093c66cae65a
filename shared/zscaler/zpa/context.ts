import { ValidationError } from '../errors.ts';
import type { ApiClient } from '../http/api-client.ts';
import type { QueryValue } from '../http/query.ts';
import { zpaId } from '../schemas/ids.ts';

/** What every ZPA resource module needs: the tenant's API root and its default microtenant. */
export interface ZpaContext {
  api: ApiClient;
  /** The tenant's configured default microtenant (absent: the Default microtenant). */
  defaultMicrotenantId?: string | undefined;
}

/** Per-call microtenant option, allowed wherever the docs allow it. */
export interface MicrotenantOption {
  /** `0` is the Default microtenant; absent uses the tenant's configured default. */
  microtenantId?: string | number | undefined;
}

/**
 * A validated id for a URL path segment: a digit string (an integer is converted). Anything else is
 * a `ValidationError` before any request is made.
 *
 * @example
 * pathId('217246660303024871', 'connectorId') // '217246660303024871'
 * pathId('1/../2', 'connectorId') // throws ValidationError
 */
export function pathId(value: unknown, field: string): string {
  const result = zpaId(field).safeParse(value);
  if (!result.success) {
    throw new ValidationError(result.error.issues[0]?.message ?? `${field} must be a string of digits`);
  }
  return result.data;
}

/** The `microtenantId` query parameter for a call: explicit, else the tenant's default, else none. */
export function microtenantQuery(
  ctx: ZpaContext,
  opts: MicrotenantOption | undefined,
): Record<string, QueryValue> {
  const value = opts?.microtenantId ?? ctx.defaultMicrotenantId;
  return value === undefined ? {} : { microtenantId: pathId(value, 'microtenantId') };
}
