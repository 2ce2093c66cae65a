import * as z from 'zod';
import { ACTIONS, CREATE_ACTIONS, NAME_PATTERN, SOURCE_KINDS } from '../requests/actions.ts';
import { ItsmMappingSchema } from './itsm-fields.ts';

/**
 * Source policies: who may send requests, how they authenticate, and what they may ask for.
 * Loadable from a JSON object (the `sources` array of the app config); bad config throws an
 * error naming the field (see `loadIntakeConfig`).
 *
 * @example
 * SourcePolicySchema.parse({
 *   name: 'servicenow', kind: 'itsm', auth: { hmacSecretName: 'zcops/sources/servicenow' },
 *   allowedActions: ['appConnectorGroup.create', 'appConnector.delete'], allowedTenants: ['acme'],
 *   itsm: { system: 'servicenow' },
 * });
 */

export const SourceAuthSchema = z
  .strictObject({
    /** Secret holding the HMAC-SHA256 key (a string, or JSON `{current, previous}` during rotation). */
    hmacSecretName: z.string().min(1).optional(),
    /** Secret holding the bearer token (a string, or JSON `{current, previous}`). */
    bearerSecretName: z.string().min(1).optional(),
    /** Accepted clock difference for signed requests. */
    replayWindowSeconds: z.int().min(30).max(3600).default(300),
  })
  .refine((a) => a.hmacSecretName || a.bearerSecretName, {
    message: 'auth needs hmacSecretName or bearerSecretName (or both)',
  });
export type SourceAuth = z.output<typeof SourceAuthSchema>;

const ZpaGroupId = z.string().regex(/^\d{1,20}$/, 'group ids are strings of digits');

export const SourcePolicySchema = z
  .strictObject({
    name: z.string().regex(NAME_PATTERN, 'source name must be lower-case letters, digits and dashes'),
    kind: z.enum(SOURCE_KINDS, { error: `kind must be one of ${SOURCE_KINDS.join(', ')}` }),
    /**
     * Shorthand for `auth` with one secret holding JSON `{"hmac": "...", "bearer": "..."}` (either
     * or both). This is the field the deployment grants the webhook function access to.
     */
    secretName: z.string().min(1).optional(),
    auth: SourceAuthSchema.optional(),
    allowedActions: z.array(z.enum(ACTIONS, { error: `actions are ${ACTIONS.join(', ')}` })).min(1),
    /** Tenant names, or `*` for every configured tenant. */
    allowedTenants: z.array(z.string().min(1)).min(1),
    /** When set, deletions must name one of these App Connector groups (autoscaling bindings). */
    allowedGroups: z.array(ZpaGroupId).min(1).optional(),
    /** May delete connected App Connectors (`force`). */
    mayForce: z.boolean().default(false),
    /** For ITSM sources: how their webhook bodies map onto requests. */
    itsm: ItsmMappingSchema.optional(),
    /** For autoscaling sources: the Auto Scaling groups whose lifecycle events this source stands for. */
    asgNames: z
      .array(z.string().regex(/^[^:]{1,255}$/, 'ASG names are 1..255 characters without ":"'))
      .optional(),
  })
  .superRefine((s, ctx) => {
    s.allowedActions.forEach((a, i) => {
      if (CREATE_ACTIONS.includes(a) && s.kind !== 'itsm') {
        ctx.addIssue({
          code: 'custom',
          path: ['allowedActions', i],
          message: `only itsm sources may create groups (${a})`,
        });
      }
    });
    if ((s.kind === 'itsm' || s.kind === 'api' || s.kind === 'cli') && !s.auth && !s.secretName) {
      ctx.addIssue({
        code: 'custom',
        path: ['auth'],
        message: `a ${s.kind} source needs auth (or secretName)`,
      });
    }
    if (s.auth && s.secretName) {
      ctx.addIssue({ code: 'custom', path: ['secretName'], message: 'give auth or secretName, not both' });
    }
    if (s.itsm && s.kind !== 'itsm') {
      ctx.addIssue({ code: 'custom', path: ['itsm'], message: 'itsm mapping is only for itsm sources' });
    }
    if (s.asgNames && s.kind !== 'autoscaling') {
      ctx.addIssue({
        code: 'custom',
        path: ['asgNames'],
        message: 'asgNames is only for autoscaling sources',
      });
    }
  });
export type SourcePolicy = z.output<typeof SourcePolicySchema>;

/** Intake limits and timings. */
export const IntakeSettingsSchema = z.strictObject({
  /** Largest accepted body (bytes); more answers 413. */
  maxBodyBytes: z
    .int()
    .min(1024)
    .max(6 * 1024 * 1024)
    .default(256 * 1024),
  /** A claim older than this whose request never got queued is taken over (crashed intake). */
  inProgressLeaseSeconds: z.int().min(5).max(3600).default(60),
  /** How long dedupe keys are remembered. */
  keyRetentionDays: z.int().min(1).max(365).default(30),
});
export type IntakeSettings = z.output<typeof IntakeSettingsSchema>;

/**
 * The intake's part of the app config. Other top-level keys (stack, worker, ...) are ignored, so
 * the whole app config can be given; tenants need only their `name` here.
 */
export const IntakeConfigSchema = z
  .object({
    tenants: z
      .array(
        z.looseObject({
          name: z.string().regex(NAME_PATTERN, 'tenant name: lower-case letters, digits, dashes'),
        }),
      )
      .min(1, 'at least one tenant is needed'),
    sources: z.array(SourcePolicySchema).default([]),
    intake: IntakeSettingsSchema.prefault({}),
  })
  .superRefine((c, ctx) => {
    const tenants = new Set(c.tenants.map((t) => t.name));
    const names = new Set<string>();
    c.sources.forEach((s, i) => {
      if (names.has(s.name))
        ctx.addIssue({
          code: 'custom',
          path: ['sources', i, 'name'],
          message: `duplicate source "${s.name}"`,
        });
      names.add(s.name);
      s.allowedTenants.forEach((t, j) => {
        if (t !== '*' && !tenants.has(t)) {
          ctx.addIssue({
            code: 'custom',
            path: ['sources', i, 'allowedTenants', j],
            message: `unknown tenant "${t}"`,
          });
        }
      });
    });
  });
export type IntakeConfig = z.output<typeof IntakeConfigSchema>;
