import * as z from 'zod';
import { idString, looseString } from './primitives.ts';

/** A ZPA version profile from `GET .../visible/versionProfiles`. Unknown fields are kept. */
export const VersionProfileSchema = z.looseObject({
  id: idString,
  name: z.string(),
  description: z.string().optional(),
  upgradePriority: z.string().optional(),
  visibilityScope: z.string().optional(),
  customerId: looseString.optional(),
  versions: z.array(z.looseObject({})).optional(),
});
export type VersionProfile = z.output<typeof VersionProfileSchema>;
