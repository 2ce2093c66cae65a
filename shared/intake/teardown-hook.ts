import * as z from 'zod';
import type { Issue } from '../requests/issues.ts';
import { issuesOf } from '../requests/issues.ts';

/**
 * The generic teardown hook body, for scale-in events of other clouds (an Azure VM Scale Set or a
 * GCP managed instance group, relayed by a function or automation) posted to
 * `POST /v1/hooks/teardown`. `instanceId` is the VM's unique id (Azure `vmId` UUID, GCP numeric
 * id), never a resource path.
 *
 * @example
 * { "tenant": "acme", "provider": "azure", "instanceId": "4f6c1b7e-...", "privateIp": "10.1.2.3",
 *   "groupId": "72057615512764441", "scaleSet": "vmss-connectors", "eventId": "evt-123" }
 */
const required = (field: string) => z.custom<unknown>((v) => v !== undefined, `${field} is required`);

export const TeardownHookBodySchema = z.strictObject({
  tenant: required('tenant'),
  provider: z.enum(['aws', 'azure', 'gcp', 'other'], { error: 'provider must be aws, azure, gcp or other' }),
  instanceId: required('instanceId'),
  privateIp: z.unknown().optional(),
  connectorName: z.unknown().optional(),
  groupId: required('groupId'),
  microtenantId: z.unknown().optional(),
  /** Scale set / instance group name, for the reason text. */
  scaleSet: z.string().max(255).optional(),
  /** The sender's event id: makes redelivery of the same event a duplicate. */
  eventId: z
    .string()
    .regex(/^[\x21-\x7e]{1,150}$/, 'eventId must be 1 to 150 printable ASCII characters')
    .optional(),
  reason: z.unknown().optional(),
  dryRun: z.unknown().optional(),
});

/** Maps a generic teardown hook body onto an `appConnector.teardown` draft (validated by `submit`). */
export function mapTeardownHook(body: unknown): { draft: Record<string, unknown>; issues: Issue[] } {
  const parsed = TeardownHookBodySchema.safeParse(body);
  if (!parsed.success) return { draft: {}, issues: issuesOf(parsed.error) };
  const b = parsed.data;
  const draft: Record<string, unknown> = {
    action: 'appConnector.teardown',
    tenant: b.tenant,
    provider: b.provider,
    instanceId: b.instanceId,
    groupId: b.groupId,
    reason:
      b.reason ??
      `${b.provider} scale-in of ${String(b.instanceId).slice(0, 128)}${b.scaleSet ? ` in ${b.scaleSet}` : ''}`,
    source: typeof b.instanceId === 'string' ? { ref: b.instanceId } : undefined,
  };
  for (const key of ['privateIp', 'connectorName', 'microtenantId', 'dryRun'] as const) {
    if (b[key] !== undefined) draft[key] = b[key];
  }
  if (b.eventId) draft.idempotencyKey = `teardown:${b.eventId}`;
  if (draft.source === undefined) delete draft.source;
  return { draft, issues: [] };
}
