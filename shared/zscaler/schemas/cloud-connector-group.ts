import * as z from 'zod';
import { idString, looseBoolean, looseString } from './primitives.ts';

/** ZPA Cloud Connector groups (docs 000): read-only here. Unknown fields are kept. */

const optStr = looseString.optional();

export const CloudConnectorSchema = z.looseObject({
  id: idString,
  name: z.string().optional(),
  enabled: looseBoolean.optional(),
  fingerprint: z.string().optional(),
  issuedCertId: optStr,
  modifiedTime: optStr,
  creationTime: optStr,
  modifiedBy: optStr,
});
export type CloudConnector = z.output<typeof CloudConnectorSchema>;

export const CloudConnectorGroupSchema = z.looseObject({
  id: idString,
  name: z.string(),
  description: z.string().optional(),
  enabled: looseBoolean.optional(),
  creationTime: optStr,
  modifiedTime: optStr,
  modifiedBy: optStr,
  ziaCloud: z.string().optional(),
  ziaOrgId: optStr,
  cloudConnectors: z.array(CloudConnectorSchema).optional(),
});
export type CloudConnectorGroup = z.output<typeof CloudConnectorGroupSchema>;
