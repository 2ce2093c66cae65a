import * as z from 'zod';
import { ZPA_CLOUD_HOSTS, type ZpaCloud } from '../zscaler/hosts.ts';

/**
 * A configured Zscaler tenant: where its APIs live and where its credentials are kept.
 * Credentials themselves are never part of configuration; they live in a secret (Secrets Manager
 * in AWS, a local file or environment in the local stack) whose shape is `TenantCredentials`.
 */

/**
 * A OneAPI (Zidentity) cloud as the official SDKs name it (`PRODUCTION`, `BETA`, …): one lower-case
 * DNS label, empty for production. It picks the token host `https://<vanity>.zslogin<cloud>.net` and
 * the API gateway `https://api.<cloud>.zsapi.net`.
 */
export const OneApiCloudSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9]{1,32}$/,
    'cloud must be a OneAPI cloud name such as PRODUCTION or BETA (letters and digits)',
  )
  .transform((c) => (c.toLowerCase() === 'production' ? '' : c.toLowerCase()));

const digits = (field: string) => z.string().regex(/^\d+$/, `${field} must be a string of digits`);

export const ZpaTenantSchema = z.object({
  cloud: z.enum(Object.keys(ZPA_CLOUD_HOSTS) as [ZpaCloud, ...ZpaCloud[]]).default('PRODUCTION'),
  customerId: digits('customerId'),
  /** Overrides the cloud's host (or OneAPI base) entirely, e.g. the simulator's URL. */
  baseUrl: z.url().optional(),
  /** Default microtenant for calls that take one; absent means the Default microtenant. */
  microtenantId: digits('microtenantId').optional(),
});

export const ZtwTenantSchema = z.object({
  /** Cloud name as in `connector.<cloud>`, e.g. `zscalertwo.net`. */
  cloud: z
    .string()
    .regex(/^[a-z0-9.-]+$/, 'cloud must be a host name such as zscalertwo.net')
    .default('zscaler.net'),
  baseUrl: z.url().optional(),
});

export const TenantConfigSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'name must be lower-case letters, digits and dashes'),
    zpa: ZpaTenantSchema.optional(),
    ztw: ZtwTenantSchema.optional(),
    /** Name of the secret holding `TenantCredentials`. */
    secretName: z.string().min(1),
  })
  .refine((t) => t.zpa || t.ztw, { message: 'a tenant needs zpa or ztw settings (or both)' });
export type TenantConfig = z.infer<typeof TenantConfigSchema>;

const ZpaLegacyCredentials = z.object({
  authType: z.literal('legacy'),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
});
const ZpaOneApiCredentials = z.object({
  authType: z.literal('oneapi'),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** `<vanity>` of `https://<vanity>.zslogin.net`. */
  vanityDomain: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/,
      'vanityDomain must be a host label such as acme (no scheme or dots)',
    ),
  /** OneAPI cloud (`PRODUCTION` by default; e.g. `BETA`): picks the token and API hosts. */
  cloud: OneApiCloudSchema.optional(),
  /** Overrides the token URL (tests, private clouds). */
  tokenUrl: z.url().optional(),
  audience: z.string().default('https://api.zscaler.com'),
});
const ZtwLegacyCredentials = z.object({
  authType: z.literal('legacy'),
  username: z.string().min(1),
  password: z.string().min(1),
  apiKey: z.string().min(12, 'apiKey must be at least 12 characters'),
});
const ZtwOneApiCredentials = ZpaOneApiCredentials;

export const TenantCredentialsSchema = z.object({
  zpa: z.discriminatedUnion('authType', [ZpaLegacyCredentials, ZpaOneApiCredentials]).optional(),
  ztw: z.discriminatedUnion('authType', [ZtwLegacyCredentials, ZtwOneApiCredentials]).optional(),
});
export type TenantCredentials = z.infer<typeof TenantCredentialsSchema>;
export type ZpaCredentials = NonNullable<TenantCredentials['zpa']>;
export type ZtwCredentials = NonNullable<TenantCredentials['ztw']>;
