import * as z from 'zod';
import { NotifySettingsSchema } from '../notify/config.ts';
import { RateLimitsConfigSchema } from '../ratelimit/limits.ts';
import { NAME_PATTERN } from '../requests/actions.ts';
import { SourcePolicySchema } from './sources.ts';
import { TenantConfigSchema } from './tenant.ts';

/**
 * The worker's part of the app config (`ZCOPS_CONFIG`): the same JSON the other functions get,
 * read loosely (unknown top-level keys are ignored). Keys the worker reads:
 * `tenants` (full `TenantConfig`s), `sources` (for `mayForce`), `worker` (timings), `guardrails`,
 * `rateLimits` (the limiter's `RateLimitsConfig`), `notify` (ticket callbacks, `shared/notify/config.ts`).
 *
 * @example
 * const config = WorkerConfigSchema.parse(JSON.parse(process.env.ZCOPS_CONFIG!));
 * config.guardrails.deletionsPerHour; // 50 unless configured
 */

export const WorkerSettingsSchema = z.looseObject({
  /** The jobs queue's maxReceiveCount: on this receive a failing record is dead-lettered. */
  maxReceiveCount: z.int().min(1).max(1000).default(5),
  /** A request older than this ends FAILED instead of being deferred again. */
  maxAgeHours: z
    .number()
    .positive()
    .max(24 * 14)
    .default(24),
  /** Limiter waits up to this are slept inside the worker; longer ones defer the job. */
  maxSleepMs: z.int().min(0).max(60_000).default(5_000),
  /** A run's lease on its request (at least the function timeout). */
  leaseSeconds: z.int().min(10).max(3600).default(900),
  /** Ids per bulk delete call (the API's advised maximum is 100). */
  bulkDeleteChunk: z.int().min(1).max(100).default(100),
  /** Quiet time after a tenant's last VM deletion before the one coalesced activation; well beyond
   * the ZTW VM DELETE spacing (1/s) so a burst spaced by the limiter still coalesces into one. */
  activationQuietSeconds: z.int().min(0).max(3600).default(5),
  /**
   * App Connector deletions (teardown, delete) of a tenant arriving within this window of each other
   * share one paged listing and bulk deletes; a deletion with none other lately goes at once, alone.
   * 0 = every deletion one by one.
   */
  deletionWindowMs: z.int().min(0).max(60_000).default(2_000),
  /** Teardown deletes the connector anyway this long after the request. */
  teardownGraceSeconds: z.int().min(0).max(86_400).default(900),
  /** Deferral step when waiting on something other than a rate limit (pause, disconnect). */
  pollIntervalSeconds: z.int().min(1).max(3600).default(60),
  /** Deferral after a 409 edit lock. */
  editLockDelaySeconds: z.int().min(1).max(900).default(30),
  /** Deferral after a transient failure (5xx, timeout) the client gave up on. */
  transientDelaySeconds: z.int().min(1).max(900).default(60),
  /**
   * Per Zscaler call: the connect, headers and body timeouts. With `zscalerMaxAttempts` and the
   * client's 10 s cap on back-off, a call's worst case must stay well inside the function's timeout.
   */
  zscalerTimeoutSeconds: z.int().min(1).max(120).default(20),
  /** Attempts of an idempotent Zscaler call (the first included) before the job defers. */
  zscalerMaxAttempts: z.int().min(1).max(6).default(3),
});
export type WorkerSettings = z.output<typeof WorkerSettingsSchema>;

export const GuardrailsConfigSchema = z.looseObject({
  /** Regular expressions (case-insensitive) of names never deleted. */
  protectedNamePatterns: z
    .array(
      z.string().refine((s) => {
        try {
          new RegExp(s, 'i');
          return true;
        } catch {
          return false;
        }
      }, 'protectedNamePatterns must be valid regular expressions'),
    )
    .default(['do not delete']),
  /** Deletions per tenant per rolling hour before requests wait HELD for approval. */
  deletionsPerHour: z.int().min(0).default(50),
  /** Per-tenant overrides of `deletionsPerHour`. */
  tenants: z
    .record(z.string().regex(NAME_PATTERN), z.looseObject({ deletionsPerHour: z.int().min(0).optional() }))
    .default({}),
});
export type GuardrailsConfig = z.output<typeof GuardrailsConfigSchema>;

export const WorkerConfigSchema = z.looseObject({
  tenants: z.array(TenantConfigSchema).min(1, 'at least one tenant is needed'),
  sources: z.array(SourcePolicySchema).default([]),
  worker: WorkerSettingsSchema.prefault({}),
  guardrails: GuardrailsConfigSchema.prefault({}),
  rateLimits: RateLimitsConfigSchema.prefault({}),
  /** Ticket callbacks per ITSM source (none by default). */
  notify: NotifySettingsSchema.prefault({}),
});
export type WorkerConfig = z.output<typeof WorkerConfigSchema>;

/** The cap of a tenant (its override, else the default). */
export function deletionsPerHourOf(config: GuardrailsConfig, tenant: string): number {
  return config.tenants[tenant]?.deletionsPerHour ?? config.deletionsPerHour;
}
