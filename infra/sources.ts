import { z } from 'zod';

/**
 * Intake sources as far as the deployment needs them: a name and, when the source authenticates
 * with a signature or bearer token, the name of the secret holding it (granted to the webhook
 * function). Every other field (policies, mappings) is kept as given and passed to the functions in
 * `ZCOPS_CONFIG`, where the intake validates it in full.
 *
 * @example
 * SourcesConfigSchema.parse([{ name: 'servicenow', kind: 'itsm', secretName: 'zcops/sources/servicenow' }]);
 */
export const SourceRefSchema = z.looseObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'source name must be lower-case letters, digits and dashes'),
  secretName: z.string().min(1).optional(),
});

export const SourcesConfigSchema = z.array(SourceRefSchema).default([]);
export type SourceRef = z.infer<typeof SourceRefSchema>;
