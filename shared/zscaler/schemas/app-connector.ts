import * as z from 'zod';
import { flag, optionalText, optionalZpaId } from './fields.ts';
import { zpaId } from './ids.ts';
import { idString, looseBoolean, looseString } from './primitives.ts';

/**
 * App Connector shapes (docs 001): the connector as `GET .../connector[/{id}]` answers it, the
 * `PUT` body and the `bulkDelete` body.
 */

const optStr = looseString.optional();

/** An App Connector as the API answers it; unknown fields are kept. */
export const AppConnectorSchema = z.looseObject({
  id: idString,
  name: z.string(),
  description: z.string().optional(),
  enabled: looseBoolean.optional(),
  fingerprint: z.string().optional(),
  issuedCertId: optStr,
  modifiedTime: optStr,
  creationTime: optStr,
  modifiedBy: optStr,
  controlChannelStatus: z.string().optional(),
  ctrlBrokerName: z.string().optional(),
  currentVersion: z.string().optional(),
  expectedVersion: z.string().optional(),
  previousVersion: z.string().optional(),
  upgradeStatus: z.string().optional(),
  upgradeAttempt: optStr,
  lastBrokerConnectTime: optStr,
  lastBrokerConnectTimeDuration: z.string().optional(),
  lastBrokerDisconnectTime: optStr,
  lastBrokerDisconnectTimeDuration: z.string().optional(),
  privateIp: z.string().optional(),
  publicIp: z.string().optional(),
  platform: z.string().optional(),
  platformDetail: z.string().optional(),
  latitude: optStr,
  longitude: optStr,
  location: z.string().optional(),
  provisioningKeyId: optStr,
  provisioningKeyName: z.string().optional(),
  enrollmentCert: z.looseObject({ id: idString.optional(), name: z.string().optional() }).optional(),
  appConnectorGroupId: idString.optional(),
  appConnectorGroupName: z.string().optional(),
  microtenantId: idString.optional(),
  microtenantName: z.string().optional(),
  assistantVersion: z.looseObject({}).optional(),
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
