import * as z from 'zod';
import { AppConnectorGroupCreateBodySchema } from '../zscaler/schemas/app-connector-group.ts';
import { flag } from '../zscaler/schemas/fields.ts';
import { VmInstanceIdSchema, zpaId, ztwId } from '../zscaler/schemas/ids.ts';
import { PccGroupCreateBodySchema } from '../zscaler/schemas/pcc-group.ts';
import { ACTIONS, NAME_PATTERN, SOURCE_KINDS } from './actions.ts';

/**
 * The canonical request: one zod discriminated union on `action`, whatever the source (ITSM
 * webhook, autoscaling hook, schedule, API, CLI). Group bodies use the Zscaler client's field-rule
 * schemas, so intake enforces exactly what the API will be sent. Ids are digit strings (ZPA) or
 * integers (ZTW) and can never carry a path fragment. Unknown fields are refused: a typo must not
 * be silently dropped.
 *
 * @example
 * const request = CanonicalRequestSchema.parse({
 *   action: 'appConnector.delete', tenant: 'acme', reason: 'decommission',
 *   source: { kind: 'itsm', name: 'servicenow', ref: 'CHG0030001' },
 *   connector: { id: '72057615512764537' },
 * });
 */

const text = (field: string, max: number) =>
  z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, `${field} must not be empty`)
    .max(max, `${field} must be at most ${max} characters`);

export const SourceSchema = z.strictObject({
  kind: z.enum(SOURCE_KINDS, { error: `source.kind must be one of ${SOURCE_KINDS.join(', ')}` }),
  /** Configured source name (set by intake from the authenticated source). */
  name: z.string().regex(NAME_PATTERN, 'source.name must be lower-case letters, digits and dashes'),
  /** The source's reference: the ticket number for ITSM, the instance for autoscaling, ... */
  ref: text('source.ref', 200)
    .refine((v) => ![...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), {
      message: 'source.ref must not contain control characters',
    })
    .optional(),
});
export type RequestSource = z.output<typeof SourceSchema>;

const common = {
  tenant: z
    .string({ error: 'tenant is required (a configured tenant name)' })
    .regex(NAME_PATTERN, 'tenant must be a configured tenant name (lower-case letters, digits and dashes)'),
  source: SourceSchema,
  reason: text('reason', 1000),
  idempotencyKey: z
    .string({ error: 'idempotencyKey must be a string' })
    .regex(
      /^[\x21-\x7e]{1,200}$/,
      'idempotencyKey must be 1 to 200 printable ASCII characters without spaces',
    )
    .optional(),
  /** Plan and audit the exact calls without making any write. */
  dryRun: flag('dryRun').optional(),
  /** Allow deleting a connected App Connector (only sources with `mayForce`). */
  force: flag('force').optional(),
  /** Who asked (ITSM requester, CLI user); informational. */
  requestedBy: text('requestedBy', 200).optional(),
};

const groupIdField = (field: string) => zpaId(field);

/** An App Connector found by id, by name, or by private IP within a group. `by` is inferred when absent. */
export const ConnectorRefSchema = z.preprocess(
  (v) => {
    if (!v || typeof v !== 'object' || Array.isArray(v) || 'by' in v) return v;
    const o = v as Record<string, unknown>;
    const by = 'id' in o ? 'id' : 'privateIp' in o ? 'privateIp' : 'name' in o ? 'name' : undefined;
    return by ? { by, ...o } : v;
  },
  z.discriminatedUnion(
    'by',
    [
      z.strictObject({
        by: z.literal('id'),
        id: zpaId('connector.id'),
        /** When given, the connector is deleted only if it belongs to this group. */
        groupId: groupIdField('connector.groupId').optional(),
      }),
      z.strictObject({
        by: z.literal('name'),
        name: text('connector.name', 255),
        groupId: groupIdField('connector.groupId').optional(),
      }),
      z.strictObject({
        by: z.literal('privateIp'),
        privateIp: z.union([z.ipv4(), z.ipv6()], {
          error: 'connector.privateIp must be an IPv4 or IPv6 address',
        }),
        groupId: groupIdField('connector.groupId'),
      }),
    ],
    { error: 'connector must give an id, a name, or a privateIp with a groupId' },
  ),
);
export type ConnectorRef = z.output<typeof ConnectorRefSchema>;

/** A disconnection age in Zscaler's search syntax: `15d` or `36h`, at least one hour. */
export const DurationSchema = z
  .string({ error: 'disconnectedFor must be a duration such as 15d or 36h' })
  .regex(/^[1-9]\d{0,4}[dh]$/, 'disconnectedFor must be a duration such as 15d or 36h (days or hours)');

const AppConnectorDelete = z.strictObject({
  action: z.literal('appConnector.delete'),
  ...common,
  connector: ConnectorRefSchema,
  microtenantId: zpaId('microtenantId').optional(),
});

/** Upper bound on ids per bulk request; the worker chunks them (100 per call). */
export const BULK_DELETE_MAX_IDS = 5000;

const AppConnectorBulkDelete = z.strictObject({
  action: z.literal('appConnector.bulkDelete'),
  ...common,
  ids: z
    .array(zpaId('ids[]'), { error: 'ids must be an array of connector ids' })
    .min(1, 'ids must list at least one connector id')
    .max(BULK_DELETE_MAX_IDS, `ids must list at most ${BULK_DELETE_MAX_IDS} connector ids`)
    .refine((ids) => new Set(ids).size === ids.length, 'ids must not repeat an id'),
  groupId: groupIdField('groupId').optional(),
  microtenantId: zpaId('microtenantId').optional(),
});

const AppConnectorCleanup = z.strictObject({
  action: z.literal('appConnector.cleanup'),
  ...common,
  disconnectedFor: DurationSchema,
  groupId: groupIdField('groupId').optional(),
  microtenantId: zpaId('microtenantId').optional(),
});

/** The AWS lifecycle action the teardown must complete (CONTINUE) when it is done. */
export const LifecycleRefSchema = z.strictObject({
  hookName: text('lifecycle.hookName', 255),
  asgName: text('lifecycle.asgName', 255),
  token: z
    .string({ error: 'lifecycle.token must be a string' })
    .regex(
      /^[A-Za-z0-9-]{1,64}$/,
      'lifecycle.token must be a lifecycle action token (letters, digits, dashes)',
    ),
  instanceId: VmInstanceIdSchema,
});

const AppConnectorTeardown = z
  .strictObject({
    action: z.literal('appConnector.teardown'),
    ...common,
    provider: z
      .enum(['aws', 'azure', 'gcp', 'other'], { error: 'provider must be aws, azure, gcp or other' })
      .default('aws'),
    /** The terminating instance (AWS `i-…`, Azure VM id, GCP instance id). */
    instanceId: VmInstanceIdSchema,
    privateIp: z
      .union([z.ipv4(), z.ipv6()], { error: 'privateIp must be an IPv4 or IPv6 address' })
      .optional(),
    connectorName: text('connectorName', 255).optional(),
    /** The App Connector group the instance's connector belongs to. */
    groupId: groupIdField('groupId'),
    microtenantId: zpaId('microtenantId').optional(),
    lifecycle: LifecycleRefSchema.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.lifecycle && r.lifecycle.instanceId !== r.instanceId) {
      ctx.addIssue({
        code: 'custom',
        path: ['lifecycle', 'instanceId'],
        message: 'lifecycle.instanceId must equal instanceId',
      });
    }
    if (r.provider !== 'aws' && !r.privateIp && !r.connectorName) {
      ctx.addIssue({
        code: 'custom',
        path: ['privateIp'],
        message: `a ${r.provider} teardown needs privateIp or connectorName to find the connector`,
      });
    }
  });

/** A Cloud or Branch Connector VM, by group id + VM id, or by the cloud provider's instance id. */
export const VmRefSchema = z.preprocess(
  (v) => {
    if (!v || typeof v !== 'object' || Array.isArray(v) || 'by' in v) return v;
    const o = v as Record<string, unknown>;
    const by = 'instanceId' in o ? 'instanceId' : 'vmId' in o || 'groupId' in o ? 'id' : undefined;
    return by ? { by, ...o } : v;
  },
  z.discriminatedUnion(
    'by',
    [
      z.strictObject({ by: z.literal('id'), groupId: ztwId('vm.groupId'), vmId: ztwId('vm.vmId') }),
      z.strictObject({ by: z.literal('instanceId'), instanceId: VmInstanceIdSchema }),
    ],
    { error: 'vm must give groupId and vmId, or instanceId' },
  ),
);
export type VmRef = z.output<typeof VmRefSchema>;

const EcVmDelete = z.strictObject({
  action: z.literal('ecVm.delete'),
  ...common,
  vm: VmRefSchema,
});

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates a group body with the client's schema, issues under `group.`. A `versionProfileName`
 * stands in for `versionProfileId` (the worker resolves it), so the rule "versionProfileId is
 * required when overrideVersionProfile is true" is met by the name, and the override is implied.
 */
function checkGroup<S extends z.ZodType>(
  schema: S,
  value: unknown,
  ctx: z.RefinementCtx,
  profileName?: string,
): z.output<S> {
  let input = value;
  if (profileName && isRecord(value)) {
    if ('versionProfileId' in value) {
      ctx.addIssue({
        code: 'custom',
        path: ['versionProfileName'],
        message: 'give group.versionProfileId or versionProfileName, not both',
      });
    }
    if (value.overrideVersionProfile === false || value.overrideVersionProfile === 'false') {
      ctx.addIssue({
        code: 'custom',
        path: ['versionProfileName'],
        message: 'versionProfileName needs group.overrideVersionProfile true (or absent)',
      });
    }
    // A valid placeholder id satisfies the body's rule; it is removed again below.
    input = { ...value, overrideVersionProfile: true, versionProfileId: '0' };
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      ctx.addIssue({
        code: 'custom',
        path: ['group', ...(issue.path as (string | number)[])],
        message: issue.message,
      });
    }
    return z.NEVER;
  }
  if (input === value) return parsed.data;
  const { versionProfileId: _placeholder, ...rest } = parsed.data as Record<string, unknown>;
  return rest as z.output<S>;
}

const groupField = z.unknown().refine((v) => v !== undefined, 'group is required (the group body)');

const AppConnectorGroupCreate = z
  .strictObject({
    action: z.literal('appConnectorGroup.create'),
    ...common,
    group: groupField,
    /** Resolved to `versionProfileId` by the worker (GET visible/versionProfiles). */
    versionProfileName: text('versionProfileName', 255).optional(),
  })
  .transform((r, ctx) => ({
    ...r,
    group: checkGroup(AppConnectorGroupCreateBodySchema, r.group, ctx, r.versionProfileName),
  }));

const PccGroupCreate = z
  .strictObject({
    action: z.literal('pccGroup.create'),
    ...common,
    group: groupField,
    microtenantId: zpaId('microtenantId').optional(),
  })
  .transform((r, ctx) => ({ ...r, group: checkGroup(PccGroupCreateBodySchema, r.group, ctx) }));

const InventorySnapshot = z.strictObject({
  action: z.literal('inventory.snapshot'),
  ...common,
});

export const CanonicalRequestSchema = z.discriminatedUnion(
  'action',
  [
    AppConnectorDelete,
    AppConnectorBulkDelete,
    AppConnectorCleanup,
    AppConnectorTeardown,
    EcVmDelete,
    AppConnectorGroupCreate,
    PccGroupCreate,
    InventorySnapshot,
  ],
  {
    error: (issue) => {
      if (!isRecord(issue.input)) return 'the request must be a JSON object';
      if (issue.code === 'invalid_union' || issue.code === 'invalid_type')
        return `action is required and must be one of ${ACTIONS.join(', ')}`;
      return undefined;
    },
  },
);

/** A validated canonical request. */
export type CanonicalRequest = z.output<typeof CanonicalRequestSchema>;
/** What callers may give before validation and defaults. */
export type CanonicalRequestInput = z.input<typeof CanonicalRequestSchema>;
export type RequestOf<A extends CanonicalRequest['action']> = Extract<CanonicalRequest, { action: A }>;
