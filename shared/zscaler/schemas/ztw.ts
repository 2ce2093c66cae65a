import * as z from 'zod';
import { looseString, ztwIntId } from './primitives.ts';

/**
 * Cloud & Branch Connector (ZTW) shapes: groups (`/ecgroup`, a bare JSON array), VMs, activation
 * status. Ids are integers. Unknown fields are kept. The real API sends optional fields absent,
 * empty or `null`, and adds fields over time: only the fields a decision rests on (ids, names, the
 * activation state) are checked; any other field that is `null` or shaped unexpectedly reads as
 * absent instead of failing the parse.
 */

/** A field no decision rests on: `null`, absent or malformed all read as absent. */
function lenient<T extends z.ZodType>(schema: T) {
  return schema
    .nullish()
    .catch(undefined)
    .transform((v) => v ?? undefined);
}

/** A name (guardrails match protected names on it): a string, or absent/`null`. */
const nameField = looseString.nullish().transform((v) => v ?? undefined);

/** An `{id, name}` reference (location, etc.). */
export const ZtwRefSchema = z.looseObject({ id: lenient(ztwIntId), name: lenient(z.string()) });

/** A Cloud or Branch Connector VM (`/ecgroup/{id}/vm/{vmid}`, `/ecVm/uuid/{id}`, inside groups). */
export const EcVmSchema = z.looseObject({
  id: ztwIntId,
  name: nameField,
  status: lenient(z.array(z.string())),
  operationalStatus: lenient(z.string()),
  formFactor: lenient(z.string()),
  managementNw: lenient(z.looseObject({})),
  ecInstances: lenient(z.array(z.looseObject({}))),
  natIp: lenient(z.string()),
  buildVersion: lenient(looseString),
  upgradeStatus: lenient(looseString),
  /**
   * The group a VM belongs to, when an answer names it (`/ecVm/uuid` may; the docs do not say).
   * Never relied on: a job that needs the group keeps the id it was given.
   */
  ecGroupId: lenient(ztwIntId),
});
export type EcVm = z.output<typeof EcVmSchema>;

/** A Cloud or Branch Connector group. */
export const EcGroupSchema = z.looseObject({
  id: ztwIntId,
  name: nameField,
  desc: lenient(z.string()),
  deployType: lenient(z.string()),
  status: lenient(z.array(z.string())),
  platform: lenient(z.string()),
  location: lenient(ZtwRefSchema),
  maxEcCount: lenient(z.number()),
  tunnelMode: lenient(z.string()),
  /** `null` or absent on a group without VMs. */
  ecVMs: z
    .array(EcVmSchema)
    .nullish()
    .transform((v) => v ?? undefined),
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
export type AdminActivateStatus = (typeof ADMIN_ACTIVATE_STATUSES)[number];

/** `GET /ecAdminActivateStatus` and the answer of `PUT /ecAdminActivateStatus/activate`. */
export const ActivationStatusSchema = z.looseObject({
  orgEditStatus: lenient(z.string()),
  orgLastActivateStatus: lenient(z.string()),
  /** The decision field: any string is kept (unknown states are read as "not known to be done"). */
  adminActivateStatus: z
    .string()
    .nullish()
    .transform((v) => v ?? undefined),
  adminStatusMap: lenient(z.looseObject({})),
});
export type ActivationStatus = z.output<typeof ActivationStatusSchema>;

/** Whether a status string is one of the documented states. */
export function isKnownActivateStatus(s: string | undefined): s is AdminActivateStatus {
  return s !== undefined && (ADMIN_ACTIVATE_STATUSES as readonly string[]).includes(s);
}
