import * as z from 'zod';
import { looseString, ztwIntId } from './primitives.ts';

/**
 * Cloud & Branch Connector (ZTW) shapes: groups (`/ecgroup`, a bare JSON array), VMs, activation
 * status. Ids are integers. Unknown fields are kept.
 */

const optStr = looseString.optional();

/** An `{id, name}` reference (location, etc.). */
export const ZtwRefSchema = z.looseObject({ id: ztwIntId.optional(), name: z.string().optional() });

/** A Cloud or Branch Connector VM. */
export const EcVmSchema = z.looseObject({
  id: ztwIntId,
  name: z.string().optional(),
  status: z.array(z.string()).optional(),
  operationalStatus: z.string().optional(),
  formFactor: z.string().optional(),
  managementNw: z.looseObject({}).optional(),
  ecInstances: z.array(z.looseObject({})).optional(),
  natIp: z.string().optional(),
  buildVersion: optStr,
  upgradeStatus: optStr,
});
export type EcVm = z.output<typeof EcVmSchema>;

/** A Cloud or Branch Connector group. */
export const EcGroupSchema = z.looseObject({
  id: ztwIntId,
  name: z.string().optional(),
  desc: z.string().optional(),
  deployType: z.string().optional(),
  status: z.array(z.string()).optional(),
  platform: z.string().optional(),
  location: ZtwRefSchema.optional(),
  maxEcCount: z.number().optional(),
  tunnelMode: z.string().optional(),
  ecVMs: z.array(EcVmSchema).optional(),
});
export type EcGroup = z.output<typeof EcGroupSchema>;

/** `GET /ecgroup`: a bare array. */
export const EcGroupListSchema = z.array(EcGroupSchema);

/** Activation states of `adminActivateStatus` (facts page); others are accepted as strings. */
export const ADMIN_ACTIVATE_STATUSES = [
  'ADM_LOGGED_IN',
  'ADM_EDITING',
  'ADM_ACTV_QUEUED',
  'ADM_ACTIVATING',
  'ADM_ACTV_DONE',
  'ADM_ACTV_FAIL',
  'ADM_EXPIRED',
] as const;

/** `GET /ecAdminActivateStatus` and the answer of `PUT /ecAdminActivateStatus/activate`. */
export const ActivationStatusSchema = z.looseObject({
  orgEditStatus: z.string().optional(),
  orgLastActivateStatus: z.string().optional(),
  adminActivateStatus: z.string().optional(),
  adminStatusMap: z.looseObject({}).optional(),
});
export type ActivationStatus = z.output<typeof ActivationStatusSchema>;
