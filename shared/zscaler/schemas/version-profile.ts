import * as z from 'zod';
import { idString, looseString, opt } from './primitives.ts';

/** A ZPA version profile from `GET .../visible/versionProfiles`. Unknown fields are kept. */
export const VersionProfileSchema = z.looseObject({
  id: idString,
  name: z.string(),
  description: opt(z.string()),
  upgradePriority: opt(z.string()),
  visibilityScope: opt(z.string()),
  customerId: opt(looseString),
  versions: opt(z.array(z.looseObject({}))),
});
export type VersionProfile = z.output<typeof VersionProfileSchema>;
