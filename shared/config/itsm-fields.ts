import * as z from 'zod';
import { ACTIONS } from '../requests/actions.ts';

/**
 * How an ITSM webhook body maps onto a canonical request: for each canonical field, the dotted
 * path of the ITSM field holding it. Defaults fit a typical change-request form; a source's
 * `itsm.fields` overrides only the fields it names.
 */
export const MAPPED_FIELDS = [
  'ticket',
  'action',
  'tenant',
  'reason',
  'requestedBy',
  'idempotencyKey',
  'dryRun',
  'force',
  'connectorId',
  'connectorName',
  'privateIp',
  'groupId',
  'connectorIds',
  'disconnectedFor',
  'vmGroupId',
  'vmId',
  'instanceId',
  'microtenantId',
  'versionProfileName',
  'groupName',
  'groupDescription',
  'location',
  'latitude',
  'longitude',
  'countryCode',
  'upgradeDay',
  'upgradeTimeInSecs',
  'dnsQueryType',
  'enabled',
  'overrideVersionProfile',
  'versionProfileId',
  'siteId',
  'siteName',
  /** A field holding more group fields as a JSON object (or JSON text). */
  'groupJson',
] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

/**
 * ServiceNow: a change request posted by a Flow/Business Rule REST step, custom fields `u_*`.
 */
export const SERVICENOW_DEFAULT_FIELDS: Readonly<Record<MappedField, string>> = {
  ticket: 'number',
  action: 'u_zcops_action',
  tenant: 'u_zscaler_tenant',
  reason: 'short_description',
  requestedBy: 'requested_by',
  idempotencyKey: 'u_idempotency_key',
  dryRun: 'u_dry_run',
  force: 'u_force',
  connectorId: 'u_connector_id',
  connectorName: 'u_connector_name',
  privateIp: 'u_private_ip',
  groupId: 'u_connector_group_id',
  connectorIds: 'u_connector_ids',
  disconnectedFor: 'u_disconnected_for',
  vmGroupId: 'u_ec_group_id',
  vmId: 'u_vm_id',
  instanceId: 'u_instance_id',
  microtenantId: 'u_microtenant_id',
  versionProfileName: 'u_version_profile',
  groupName: 'u_group_name',
  groupDescription: 'u_group_description',
  location: 'u_location',
  latitude: 'u_latitude',
  longitude: 'u_longitude',
  countryCode: 'u_country_code',
  upgradeDay: 'u_upgrade_day',
  upgradeTimeInSecs: 'u_upgrade_time_in_secs',
  dnsQueryType: 'u_dns_query_type',
  enabled: 'u_enabled',
  overrideVersionProfile: 'u_override_version_profile',
  versionProfileId: 'u_version_profile_id',
  siteId: 'u_site_id',
  siteName: 'u_site_name',
  groupJson: 'u_group_json',
};

/**
 * Jira Service Management: the standard webhook body (`issue.key`, `issue.fields.*`). Custom
 * fields are numbered per site (`customfield_10071`): map them in `itsm.fields`; the defaults use
 * readable names under `issue.fields` as an Automation "send web request" body would.
 */
export const JIRA_DEFAULT_FIELDS: Readonly<Record<MappedField, string>> = {
  ...(Object.fromEntries(
    Object.entries(SERVICENOW_DEFAULT_FIELDS).map(([k]) => [k, `issue.fields.${k}`]),
  ) as Record<MappedField, string>),
  ticket: 'issue.key',
  action: 'issue.fields.zcopsAction',
  tenant: 'issue.fields.zscalerTenant',
  reason: 'issue.fields.summary',
  requestedBy: 'issue.fields.reporter.emailAddress',
};

/** Field paths: dotted names (letters, digits, `_`, `-`), no prototype keys. */
const FieldPathSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/,
    'a field path is dotted names such as issue.fields.customfield_10071',
  )
  .refine((p) => !p.split('.').some((k) => k === '__proto__' || k === 'constructor' || k === 'prototype'), {
    message: 'a field path must not use __proto__, constructor or prototype',
  });

export const ItsmMappingSchema = z.strictObject({
  system: z.enum(['servicenow', 'jira'], { error: 'itsm.system must be servicenow or jira' }),
  /** Overrides of the default field paths. */
  fields: z.partialRecord(z.enum(MAPPED_FIELDS), FieldPathSchema).default({}),
  /** Extra values of the action field, e.g. `{ "Remove connector": "appConnector.delete" }`. */
  actionValues: z.record(z.string().min(1), z.enum(ACTIONS)).default({}),
});
export type ItsmMapping = z.output<typeof ItsmMappingSchema>;

/** The effective field paths of a mapping (defaults + overrides). */
export function fieldPaths(mapping: ItsmMapping): Record<MappedField, string> {
  const defaults = mapping.system === 'servicenow' ? SERVICENOW_DEFAULT_FIELDS : JIRA_DEFAULT_FIELDS;
  return { ...defaults, ...mapping.fields } as Record<MappedField, string>;
}
