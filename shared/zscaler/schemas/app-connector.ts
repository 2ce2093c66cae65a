import * as z from 'zod';
import { flag, optionalText, optionalZpaId } from './fields.ts';
import { zpaId } from './ids.ts';
import { idString, looseBoolean, looseString, opt } from './primitives.ts';

/**
 * App Connector shapes (docs 001): the connector as `GET .../connector[/{id}]` answers it, the
 * `PUT` body and the `bulkDelete` body.
 */

const optStr = opt(looseString);

/** An App Connector as the API answers it; unknown fields are kept. */
export const AppConnectorSchema = z.looseObject({
  id: idString,
  name: z.string(),
  description: opt(z.string()),
  enabled: opt(looseBoolean),
  fingerprint: opt(z.string()),
  issuedCertId: optStr,
  modifiedTime: optStr,
  creationTime: optStr,
  modifiedBy: optStr,
  controlChannelStatus: opt(z.string()),
  ctrlBrokerName: opt(z.string()),
  currentVersion: opt(z.string()),
  expectedVersion: opt(z.string()),
  previousVersion: opt(z.string()),
  upgradeStatus: opt(z.string()),
  upgradeAttempt: optStr,
  lastBrokerConnectTime: optStr,
  lastBrokerConnectTimeDuration: opt(z.string()),
  lastBrokerDisconnectTime: optStr,
  lastBrokerDisconnectTimeDuration: opt(z.string()),
  privateIp: opt(z.string()),
  publicIp: opt(z.string()),
  platform: opt(z.string()),
  platformDetail: opt(z.string()),
  latitude: optStr,
  longitude: optStr,
  location: opt(z.string()),
  provisioningKeyId: optStr,
  provisioningKeyName: opt(z.string()),
  enrollmentCert: opt(z.looseObject({ id: opt(idString), name: opt(z.string()) })),
  appConnectorGroupId: opt(idString),
  appConnectorGroupName: opt(z.string()),
  microtenantId: opt(idString),
  microtenantName: opt(z.string()),
  assistantVersion: opt(z.looseObject({})),
});
export type AppConnector = z.output<typeof AppConnectorSchema>;

/** `PUT .../connector/{id}` body: name, description, enabled (docs' field table). */
export const AppConnectorUpdateBodySchema = z.strictObject({
  name: z.string().trim().min(1, 'name must not be empty').optional(),
  description: optionalText('description'),
  enabled: flag('enabled').optional(),
  microtenantId: optionalZpaId('microtenantId'),
});
export type AppConnectorUpdateInput = z.input<typeof AppConnectorUpdateBodySchema>;
export type AppConnectorUpdateBody = z.output<typeof AppConnectorUpdateBodySchema>;

/** Largest `ids` list sent in one bulk delete (no documented maximum; the facts page advises 100). */
export const BULK_DELETE_MAX_IDS = 100;

/** `POST .../connector/bulkDelete` body: `{"ids": ["…", …]}`. */
export const AppConnectorBulkDeleteBodySchema = z.strictObject({
  ids: z
    .array(zpaId('ids[]'), { error: 'ids must be a list of connector ids' })
    .min(1, 'ids must name at least one connector')
    .max(
      BULK_DELETE_MAX_IDS,
      `ids must name at most ${BULK_DELETE_MAX_IDS} connectors per call (chunk larger lists)`,
    ),
});
export type AppConnectorBulkDeleteBody = z.output<typeof AppConnectorBulkDeleteBodySchema>;
