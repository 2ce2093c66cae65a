import * as z from 'zod';
import { idString, looseBoolean, looseString, opt } from './primitives.ts';

/** ZPA Cloud Connector groups (docs 000): read-only here. Unknown fields are kept. */

const optStr = opt(looseString);

export const CloudConnectorSchema = z.looseObject({
  id: idString,
  name: opt(z.string()),
  enabled: opt(looseBoolean),
  fingerprint: opt(z.string()),
  issuedCertId: optStr,
  modifiedTime: optStr,
  creationTime: optStr,
  modifiedBy: optStr,
});
export type CloudConnector = z.output<typeof CloudConnectorSchema>;

export const CloudConnectorGroupSchema = z.looseObject({
  id: idString,
  name: z.string(),
  description: opt(z.string()),
  enabled: opt(looseBoolean),
  creationTime: optStr,
  modifiedTime: optStr,
  modifiedBy: optStr,
  ziaCloud: opt(z.string()),
  ziaOrgId: optStr,
  cloudConnectors: opt(z.array(CloudConnectorSchema)),
});
export type CloudConnectorGroup = z.output<typeof CloudConnectorGroupSchema>;
