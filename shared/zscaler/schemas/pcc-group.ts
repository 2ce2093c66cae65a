import * as z from 'zod';
import {
  checkVersionProfile,
  coordinate,
  flag,
  optionalText,
  optionalZpaId,
  requiredText,
  upgradeDay,
  upgradeTimeInSecs,
  whenFieldsValid,
} from './fields.ts';
import { idString, looseBoolean, looseString, opt } from './primitives.ts';

/** A site reference as in the docs' payload (`{id, name}`, both may be empty strings). */
const SiteRefSchema = z.strictObject({
  id: z.union([z.string(), z.number()]).transform(String).optional(),
  name: z.string().optional(),
});

/**
 * Fields of `POST .../privateCloudControllerGroup?microtenantId=` with the docs' field-table rules
 * and defaults. Coordinates are sent as JSON numbers (as the docs' create payload does),
 * `upgradeTimeInSecs` as a string.
 */
export const PccGroupCreateFields = {
  name: requiredText('name'),
  description: optionalText('description'),
  enabled: flag('enabled').default(true),
  countryCode: z
    .string({ error: 'countryCode is required (a two-letter ISO 3166 country code such as US)' })
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'countryCode must be a two-letter ISO 3166 country code such as US')
    .transform((c) => c.toUpperCase()),
  latitude: coordinate('latitude', -90, 90, 'number'),
  longitude: coordinate('longitude', -180, 180, 'number'),
  location: requiredText('location', 1024),
  upgradeDay: upgradeDay().default('MONDAY'),
  upgradeTimeInSecs: upgradeTimeInSecs().default('66600'),
  overrideVersionProfile: flag('overrideVersionProfile').default(false),
  versionProfileId: optionalZpaId('versionProfileId'),
  siteId: optionalZpaId('siteId'),
  siteName: optionalText('siteName'),
  site: z.array(SiteRefSchema).optional(),
};

const PCC_CHECK_WHEN = whenFieldsValid(['overrideVersionProfile', 'versionProfileId']);

/**
 * The Private Cloud Controller group create body. Unknown fields are rejected.
 *
 * @example
 * const body = PccGroupCreateBodySchema.parse({
 *   name: 'Test_AK', countryCode: 'IN', latitude: '17.406498', longitude: 78.47724389999999,
 *   location: 'Hyderabad, Telangana, India',
 * });
 * // body.upgradeDay === 'MONDAY', body.latitude === 17.406498
 */
export const PccGroupCreateBodySchema = z
  .strictObject(PccGroupCreateFields)
  .superRefine(checkVersionProfile, PCC_CHECK_WHEN);
export type PccGroupCreateInput = z.input<typeof PccGroupCreateBodySchema>;
export type PccGroupCreateBody = z.output<typeof PccGroupCreateBodySchema>;

/** `PUT .../privateCloudControllerGroup/{id}` body: the complete group, optional `id`. */
export const PccGroupUpdateBodySchema = z
  .strictObject({ ...PccGroupCreateFields, id: optionalZpaId('id') })
  .superRefine(checkVersionProfile, PCC_CHECK_WHEN);
export type PccGroupUpdateInput = z.input<typeof PccGroupUpdateBodySchema>;
export type PccGroupUpdateBody = z.output<typeof PccGroupUpdateBodySchema>;

const optStr = opt(looseString);

/** A Private Cloud Controller as embedded in a group answer (`siteControllers[]`). */
export const SiteControllerSchema = z.looseObject({
  id: idString,
  name: opt(z.string()),
  enabled: opt(looseBoolean),
  fingerprint: opt(z.string()),
  issuedCertId: optStr,
  upgradeAttempt: optStr,
  siteControllerVersion: opt(z.looseObject({})),
});

/** A Private Cloud Controller group as the API answers it; unknown fields are kept. */
export const PccGroupSchema = z.looseObject({
  id: idString,
  name: z.string(),
  description: opt(z.string()),
  enabled: opt(looseBoolean),
  modifiedTime: optStr,
  creationTime: optStr,
  modifiedBy: optStr,
  upgradeDay: opt(z.string()),
  upgradeTimeInSecs: optStr,
  latitude: optStr,
  longitude: optStr,
  location: opt(z.string()),
  cityCountry: opt(z.string()),
  countryCode: opt(z.string()),
  overrideVersionProfile: opt(looseBoolean),
  versionProfileId: opt(idString),
  versionProfileName: opt(z.string()),
  siteId: optStr,
  siteName: opt(z.string()),
  scopeId: optStr,
  scopeName: opt(z.string()),
  isPublic: optStr,
  readOnly: opt(looseBoolean),
  microtenantId: opt(idString),
  siteControllers: opt(z.array(SiteControllerSchema)),
});
export type PccGroup = z.output<typeof PccGroupSchema>;

/** An item of `GET .../privateCloudControllerGroup/summary`: `{id, name, enabled}`. */
export const PccGroupSummarySchema = z.looseObject({
  id: idString,
  name: z.string(),
  enabled: opt(looseBoolean),
});
export type PccGroupSummary = z.output<typeof PccGroupSummarySchema>;
