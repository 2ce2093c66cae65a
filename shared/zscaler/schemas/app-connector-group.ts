import * as z from 'zod';
import {
  checkVersionProfile,
  coordinate,
  DNS_QUERY_TYPES,
  flag,
  optionalText,
  optionalZpaId,
  requiredText,
  upgradeDay,
  upgradeTimeInSecs,
  whenFieldsValid,
} from './fields.ts';
import { idString, looseBoolean, looseString, opt } from './primitives.ts';

/**
 * Request body of `POST .../appConnectorGroup` (and, complete, of `PUT .../appConnectorGroup/{id}`),
 * with the docs' field-table rules and defaults. Output is what the API expects: coordinates and
 * `upgradeTimeInSecs` as strings, `enabled` always present (groups created without it have been
 * seen disabled).
 */
export const AppConnectorGroupCreateFields = {
  name: requiredText('name'),
  description: optionalText('description'),
  enabled: flag('enabled').default(true),
  dnsQueryType: z
    .enum(DNS_QUERY_TYPES, { error: `dnsQueryType must be one of ${DNS_QUERY_TYPES.join(', ')}` })
    .default('IPV4_IPV6'),
  latitude: coordinate('latitude', -90, 90, 'string'),
  longitude: coordinate('longitude', -180, 180, 'string'),
  location: requiredText('location', 1024),
  upgradeDay: upgradeDay().default('SUNDAY'),
  upgradeTimeInSecs: upgradeTimeInSecs().default('66600'),
  overrideVersionProfile: flag('overrideVersionProfile').default(false),
  versionProfileId: optionalZpaId('versionProfileId'),
  tcpQuickAckApp: flag('tcpQuickAckApp').default(false),
  tcpQuickAckAssistant: flag('tcpQuickAckAssistant').default(false),
  tcpQuickAckReadAssistant: flag('tcpQuickAckReadAssistant').default(false),
  useInDrMode: flag('useInDrMode').optional(),
  wafDisabled: flag('wafDisabled').optional(),
  /** The table lists it as a body field; the client also sends it as the query parameter. */
  microtenantId: optionalZpaId('microtenantId'),
};

const ACG_CHECK_WHEN = whenFieldsValid([
  'tcpQuickAckApp',
  'tcpQuickAckAssistant',
  'tcpQuickAckReadAssistant',
  'overrideVersionProfile',
  'versionProfileId',
]);

/** Cross-field rules of the App Connector group table. */
function checkAppConnectorGroup(
  body: {
    tcpQuickAckApp: boolean;
    tcpQuickAckAssistant: boolean;
    tcpQuickAckReadAssistant: boolean;
    overrideVersionProfile: boolean;
    versionProfileId?: string | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  if (
    body.tcpQuickAckApp !== body.tcpQuickAckAssistant ||
    body.tcpQuickAckApp !== body.tcpQuickAckReadAssistant
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['tcpQuickAckApp'],
      message:
        'tcpQuickAckApp, tcpQuickAckAssistant and tcpQuickAckReadAssistant must all have the same value',
    });
  }
  checkVersionProfile(body, ctx);
}

/**
 * The App Connector group create body. Unknown fields are rejected (a typo must not be silently
 * dropped). To add fields, spread `AppConnectorGroupCreateFields` into a new object and apply
 * `checkAppConnectorGroup` semantics again.
 *
 * @example
 * const body = AppConnectorGroupCreateBodySchema.parse({
 *   name: 'App Connector group', latitude: 37.3382082, longitude: '-121.8863286', location: 'San Jose, CA, USA',
 * });
 * // body.enabled === true, body.upgradeDay === 'SUNDAY', body.latitude === '37.3382082'
 */
export const AppConnectorGroupCreateBodySchema = z
  .strictObject(AppConnectorGroupCreateFields)
  .superRefine(checkAppConnectorGroup, ACG_CHECK_WHEN);

/** What callers may give (numbers or strings, defaults optional). */
export type AppConnectorGroupCreateInput = z.input<typeof AppConnectorGroupCreateBodySchema>;
/** What is sent to the API. */
export type AppConnectorGroupCreateBody = z.output<typeof AppConnectorGroupCreateBodySchema>;

/**
 * `PUT .../appConnectorGroup/{id}` body: the complete group as for create (ZPA replaces the object),
 * with an optional `id` that must match the path.
 */
export const AppConnectorGroupUpdateBodySchema = z
  .strictObject({ ...AppConnectorGroupCreateFields, id: optionalZpaId('id') })
  .superRefine(checkAppConnectorGroup, ACG_CHECK_WHEN);
export type AppConnectorGroupUpdateInput = z.input<typeof AppConnectorGroupUpdateBodySchema>;
export type AppConnectorGroupUpdateBody = z.output<typeof AppConnectorGroupUpdateBodySchema>;

const optStr = opt(looseString);

/** A connector as embedded in a group answer (`connectors[]`). */
export const GroupConnectorSchema = z.looseObject({
  id: idString,
  name: opt(z.string()),
  enabled: opt(looseBoolean),
  fingerprint: opt(z.string()),
  issuedCertId: optStr,
  upgradeAttempt: optStr,
  assistantVersion: opt(z.looseObject({})),
});

/** An App Connector group as the API answers it; unknown fields are kept. */
export const AppConnectorGroupSchema = z.looseObject({
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
  dnsQueryType: opt(z.string()),
  overrideVersionProfile: opt(looseBoolean),
  versionProfileId: opt(idString),
  versionProfileName: opt(z.string()),
  versionProfileVisibilityScope: opt(z.string()),
  tcpQuickAckApp: opt(looseBoolean),
  tcpQuickAckAssistant: opt(looseBoolean),
  tcpQuickAckReadAssistant: opt(looseBoolean),
  useInDrMode: opt(looseBoolean),
  wafDisabled: opt(looseBoolean),
  microtenantId: opt(idString),
  microtenantName: opt(z.string()),
  connectors: opt(z.array(GroupConnectorSchema)),
});
export type AppConnectorGroup = z.output<typeof AppConnectorGroupSchema>;

/**
 * A group as an inventory lists it: its embedded `connectors` kept as they came, not read (the
 * inventory lists connectors on their own and drops the embedded copies). A page of 500 groups
 * embeds thousands of connectors; validating each was most of the page's CPU and garbage, and the
 * pauses it caused left the rate-limit schedule idle (bench:snapshot).
 */
export const AppConnectorGroupListedSchema = AppConnectorGroupSchema.extend({
  connectors: opt(z.array(z.unknown())),
});
export type AppConnectorGroupListed = z.output<typeof AppConnectorGroupListedSchema>;

/**
 * The 201 answer of a create. The docs' example carries no `id`, so it is optional here: a caller
 * that needs it and does not get it looks the group up by name.
 */
export const AppConnectorGroupCreatedSchema = AppConnectorGroupSchema.extend({ id: opt(idString) });
export type AppConnectorGroupCreated = z.output<typeof AppConnectorGroupCreatedSchema>;
