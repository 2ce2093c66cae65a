import type { z } from 'zod';
import { ValidationError } from '../errors.ts';

/**
 * Validates a request body before it is sent; a bad body is a `ValidationError` naming every field,
 * and no request is made.
 */
export function parseBody<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  throw new ValidationError(`invalid ${what} body: ${issues.join('; ')}`, {
    params: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}
