import * as z from 'zod';

/**
 * Token answers: legacy `/signin` sends `expires_in` as a string ("3600"), OneAPI as a number.
 * Both are normalised to a number of seconds.
 */
export const TokenResponseSchema = z.looseObject({
  token_type: z.string().optional(),
  access_token: z.string().min(1, 'access_token is missing'),
  expires_in: z
    .union([z.number(), z.string().regex(/^\d+$/)])
    .transform(Number)
    .optional(),
});
export type TokenResponse = z.output<typeof TokenResponseSchema>;

/** Lifetime assumed when a token answer carries no `expires_in`. */
export const DEFAULT_TOKEN_LIFETIME_S = 3600;
