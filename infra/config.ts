import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import * as z from 'zod';
import { IntakeConfigSchema, IntakeSettingsSchema, SourcePolicySchema } from '../shared/config/sources.ts';
import { TenantConfigSchema } from '../shared/config/tenant.ts';
import { GuardrailsConfigSchema, WorkerConfigSchema, WorkerSettingsSchema } from '../shared/config/worker.ts';
import { NotifySettingsSchema } from '../shared/notify/config.ts';
import { RateLimitsConfigSchema } from '../shared/ratelimit/limits.ts';
import { ALARM_DEFAULTS, API_DEFAULTS, LOG_RETENTION_DAYS, QUEUE_DEFAULTS } from './defaults.ts';
import { InfraConfigError } from './errors.ts';

/**
 * The deployment configuration: a typed JSON file (`zcops.config.json` at the project root, or the
 * file named by CDK context `configFile`, else `zcops.config.example.json`), then individual settings
 * overridden by CDK context keys `config.<dotted.path>` (e.g. `-c config.worker.maxConcurrency=10`).
 *
 * @example
 * const { config, source } = loadConfig({ projectRoot: process.cwd(), context: (k) => app.node.tryGetContext(k) });
 */

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_VALUES = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** `cron(min hour dom month dow year)` or `rate(n unit)` as EventBridge Scheduler accepts them. */
const ScheduleExpressionSchema = z
  .string()
  .regex(
    /^(cron\((\S+\s){5}\S+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/,
    'expression must be cron(m h dom mon dow yr) with six fields, or rate(n minutes|hours|days)',
  );

export const SnapshotScheduleSchema = z.object({
  tenant: z.string().min(1),
  expression: ScheduleExpressionSchema,
  timezone: z
    .string()
    .refine(isTimeZone, 'timezone must be an IANA time zone such as Europe/Paris')
    .default('UTC'),
  enabled: z.boolean().default(true),
  /** The `schedule` source the request comes from; needed only when several are configured. */
  source: z.string().min(1).optional(),
});
export type SnapshotSchedule = z.infer<typeof SnapshotScheduleSchema>;

/** Auto Scaling group names: 1..255 characters, no colon (it separates ARN parts). */
const AsgNameSchema = z.string().regex(/^[^:]{1,255}$/, 'ASG names are 1..255 characters without ":"');

/** Worker settings that shape the deployment only (function, event source mapping, queue); not passed at run time. */
const WORKER_DEPLOYMENT_SHAPE = {
  maxConcurrency: z
    .int()
    .min(2, 'maxConcurrency is at least 2 (a Lambda limit)')
    .max(1000)
    .default(QUEUE_DEFAULTS.maxConcurrency),
  batchSize: z.int().min(1).max(10).default(QUEUE_DEFAULTS.batchSize),
  timeoutSeconds: z.int().min(10).max(900).default(120),
  memoryMb: z.int().min(128).max(10240).default(512),
  /** The jobs queue's visibility timeout; default `QUEUE_DEFAULTS.visibilityTimeoutFactor` × `timeoutSeconds`. */
  visibilityTimeoutSeconds: z.int().min(60).max(43_200).optional(),
};

/** Keys of `worker` the worker function reads (the rest only shape the deployment). */
export const WORKER_RUNTIME_KEYS = Object.keys(WorkerSettingsSchema.shape) as WorkerRuntimeKey[];
export type WorkerRuntimeKey = keyof typeof WorkerSettingsSchema.shape;

export const ZcopsConfigSchema = z
  .object({
    /** The JSON Schema editors check the file with (`./zcops.config.schema.json`); ignored here. */
    $schema: z.string().optional(),
    stack: z
      .object({
        name: z
          .string()
          .regex(
            /^[A-Za-z][A-Za-z0-9-]{0,127}$/,
            'stack name: letters, digits and dashes, starting with a letter',
          )
          .default('Zcops'),
        /** Absent: an environment-agnostic stack (synth works offline, deploy picks the CLI's account). */
        account: z
          .string()
          .regex(/^\d{12}$/, 'account must be 12 digits')
          .optional(),
        region: z
          .string()
          .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'region must look like eu-west-1')
          .optional(),
        tags: z.record(z.string(), z.string()).default({}),
      })
      .prefault({}),
    tenants: z.array(TenantConfigSchema).min(1, 'at least one tenant is needed'),
    snapshotSchedules: z.array(SnapshotScheduleSchema).default([]),
    /** Intake sources and their policies (`shared/config/sources.ts`). */
    sources: z.array(SourcePolicySchema).default([]),
    /** Intake limits and timings (`shared/config/sources.ts`). */
    intake: IntakeSettingsSchema.prefault({}),
    autoscaling: z
      .object({
        /** Only terminate lifecycle actions of these groups reach zcops. */
        asgNames: z.array(AsgNameSchema).default([]),
      })
      .prefault({}),
    /**
     * The worker: its run-time settings (`WorkerSettingsSchema`, passed in `ZCOPS_CONFIG`; its
     * `maxReceiveCount` is also the jobs queue's redrive limit) plus deployment-only ones.
     * Strict, so a misspelt key fails synth instead of silently keeping a default.
     */
    worker: WorkerSettingsSchema.extend(WORKER_DEPLOYMENT_SHAPE).strict().prefault({}),
    /** Protected names, deletion caps (`shared/config/worker.ts`), passed to the worker. */
    guardrails: GuardrailsConfigSchema.strict().prefault({}),
    /** The rate limiter's budgets (`shared/ratelimit/limits.ts`), passed to the worker. */
    rateLimits: RateLimitsConfigSchema.prefault({}),
    /**
     * Ticket callbacks per ITSM source (`shared/notify/config.ts`), passed to the worker; the
     * worker may read each callback's secret.
     */
    notify: NotifySettingsSchema.prefault({}),
    api: z
      .object({
        throttle: z
          .object({
            rateLimit: z.number().positive().default(API_DEFAULTS.throttle.rateLimit),
            burstLimit: z.int().positive().default(API_DEFAULTS.throttle.burstLimit),
          })
          .prefault({}),
      })
      .prefault({}),
    alarms: z
      .object({
        failedRequests: z.number().positive().default(ALARM_DEFAULTS.failedRequests),
        rateLimited429s: z.number().positive().default(ALARM_DEFAULTS.rateLimited429s),
        limiterWaitMsP90: z.number().positive().default(ALARM_DEFAULTS.limiterWaitMsP90),
        intakeFailures: z.number().positive().default(ALARM_DEFAULTS.intakeFailures),
        /** E-mail addresses subscribed to the alarm topic. */
        notifyEmails: z.array(z.email()).default([]),
      })
      .prefault({}),
    logRetentionDays: z
      .number()
      .refine((d) => (LOG_RETENTION_VALUES as readonly number[]).includes(d), {
        message: `logRetentionDays must be one of ${LOG_RETENTION_VALUES.join(', ')}`,
      })
      .default(LOG_RETENTION_DAYS),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  })
  .superRefine((c, ctx) => {
    if ((c.stack.account === undefined) !== (c.stack.region === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['stack'],
        message: 'give both account and region, or neither (environment-agnostic)',
      });
    checkWorkerTimings(c.worker, ctx);
    const names = new Set<string>();
    c.tenants.forEach((t, i) => {
      if (names.has(t.name))
        ctx.addIssue({
          code: 'custom',
          path: ['tenants', i, 'name'],
          message: `duplicate tenant "${t.name}"`,
        });
      names.add(t.name);
    });
    for (const tenant of Object.keys(c.guardrails.tenants)) {
      if (!names.has(tenant))
        ctx.addIssue({
          code: 'custom',
          path: ['guardrails', 'tenants', tenant],
          message: `unknown tenant "${tenant}"`,
        });
    }
    for (const tenant of Object.keys(c.rateLimits.tenants)) {
      if (!names.has(tenant))
        ctx.addIssue({
          code: 'custom',
          path: ['rateLimits', 'tenants', tenant],
          message: `unknown tenant "${tenant}"`,
        });
    }
    c.notify.callbacks.forEach((cb, i) => {
      const source = c.sources.find((src) => src.name === cb.source);
      if (source?.kind !== 'itsm')
        ctx.addIssue({
          code: 'custom',
          path: ['notify', 'callbacks', i, 'source'],
          message: source
            ? `"${cb.source}" is a source of kind ${source.kind}; only itsm sources get ticket callbacks`
            : `unknown source "${cb.source}"`,
        });
    });
    if (c.rateLimits.timeScale !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['rateLimits', 'timeScale'],
        message: 'timeScale speeds up every window for benchmarks and tests; a deployment must use 1',
      });
    const scheduled = new Set<string>();
    c.snapshotSchedules.forEach((s, i) => {
      if (!names.has(s.tenant))
        ctx.addIssue({
          code: 'custom',
          path: ['snapshotSchedules', i, 'tenant'],
          message: `unknown tenant "${s.tenant}"`,
        });
      if (scheduled.has(s.tenant))
        ctx.addIssue({
          code: 'custom',
          path: ['snapshotSchedules', i, 'tenant'],
          message: `tenant "${s.tenant}" already has a schedule`,
        });
      scheduled.add(s.tenant);
      // The events function resolves a schedule's source like this (shared/intake/source-resolution.ts).
      const scheduleSources = c.sources.filter((src) => src.kind === 'schedule').map((src) => src.name);
      if (s.source !== undefined ? !scheduleSources.includes(s.source) : scheduleSources.length !== 1)
        ctx.addIssue({
          code: 'custom',
          path: ['snapshotSchedules', i, 'source'],
          message:
            s.source !== undefined
              ? `"${s.source}" is not a source of kind schedule`
              : `needs exactly one source of kind schedule, or name one here (found ${scheduleSources.length})`,
        });
    });
  });
export type ZcopsConfig = z.infer<typeof ZcopsConfigSchema>;

/** The Zscaler client's default cap on total back-off per call (`RetryPolicy.maxTotalWaitMs`). */
const ZSCALER_BACKOFF_CAP_SECONDS = 10;

/**
 * Timings that must agree with the worker's timeout: a run's lease must outlive the invocation (or a
 * second worker could take over a request still running), and the queue must hide a message for at
 * least six invocations (AWS guidance for Lambda event sources) so a slow batch is not delivered twice.
 */
function checkWorkerTimings(
  w: {
    timeoutSeconds: number;
    leaseSeconds: number;
    visibilityTimeoutSeconds?: number | undefined;
    zscalerTimeoutSeconds: number;
    zscalerMaxAttempts: number;
    maxSleepMs: number;
  },
  ctx: z.RefinementCtx,
): void {
  // One Zscaler call at worst: every attempt timing out, the client's back-off cap, a limiter sleep.
  const worstCallSeconds =
    w.zscalerTimeoutSeconds * w.zscalerMaxAttempts + ZSCALER_BACKOFF_CAP_SECONDS + w.maxSleepMs / 1000;
  if (worstCallSeconds >= w.timeoutSeconds)
    ctx.addIssue({
      code: 'custom',
      path: ['worker', 'zscalerTimeoutSeconds'],
      message: `zscalerTimeoutSeconds × zscalerMaxAttempts + ${ZSCALER_BACKOFF_CAP_SECONDS} s of back-off + maxSleepMs (${worstCallSeconds} s) must be less than timeoutSeconds (${w.timeoutSeconds}): a call that outlives the invocation leaves its outcome unknown`,
    });
  if (w.leaseSeconds < w.timeoutSeconds)
    ctx.addIssue({
      code: 'custom',
      path: ['worker', 'leaseSeconds'],
      message: `leaseSeconds (${w.leaseSeconds}) must be at least timeoutSeconds (${w.timeoutSeconds}): a lease ending before the invocation lets another worker run the same request`,
    });
  const minVisibility = w.timeoutSeconds * QUEUE_DEFAULTS.visibilityTimeoutFactor;
  if (w.visibilityTimeoutSeconds !== undefined && w.visibilityTimeoutSeconds < minVisibility)
    ctx.addIssue({
      code: 'custom',
      path: ['worker', 'visibilityTimeoutSeconds'],
      message: `visibilityTimeoutSeconds (${w.visibilityTimeoutSeconds}) must be at least ${QUEUE_DEFAULTS.visibilityTimeoutFactor} × timeoutSeconds (${minVisibility})`,
    });
}

/** Formats zod issues as `path: message`, with array indexes as `[n]`, e.g. `tenants[0].secretName: ...`. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
      .join('');
    return `${path || '(root)'}: ${issue.message}`;
  });
}

/**
 * Parses and validates an already-read configuration object. Throws `InfraConfigError` naming each
 * field. The runtime part is also checked with the intake's own schema, so a configuration that
 * synthesises is one the functions accept (e.g. sources naming unknown tenants fail here, not in Lambda).
 */
export function parseConfig(raw: unknown, source = 'configuration'): ZcopsConfig {
  const result = ZcopsConfigSchema.safeParse(raw);
  if (!result.success) throw new InfraConfigError(source, formatIssues(result.error));
  const runtime = runtimeConfig(result.data);
  const intake = IntakeConfigSchema.safeParse(runtime);
  if (!intake.success) throw new InfraConfigError(source, formatIssues(intake.error));
  const worker = WorkerConfigSchema.safeParse(runtime);
  if (!worker.success) throw new InfraConfigError(source, formatIssues(worker.error));
  return result.data;
}

/** Prefix of CDK context keys that override single settings: `config.worker.maxConcurrency`. */
export const CONTEXT_OVERRIDE_PREFIX = 'config.';

/**
 * Context values arrive as strings from `-c k=v`. Arrays, objects, booleans and short numbers are
 * parsed as JSON; digit strings of 11+ characters (account ids) stay strings.
 */
export function contextValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const json =
    /^[[{"]/.test(value) || /^(true|false|null)$/.test(value) || /^-?\d{1,10}(\.\d+)?$/.test(value);
  if (!json) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Sets `path` (dotted) in a plain object, creating objects on the way. Refuses prototype keys. */
function setPath(target: Record<string, unknown>, dotted: string, value: unknown, source: string): void {
  const keys = dotted.split('.');
  if (keys.some((k) => k === '' || k === '__proto__' || k === 'constructor' || k === 'prototype'))
    throw new InfraConfigError(source, [`${dotted}: not a valid setting path`]);
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

export interface LoadConfigOptions {
  /** Directory holding `zcops.config.json` / `zcops.config.example.json`. */
  projectRoot: string;
  /** Reads a CDK context value (`app.node.tryGetContext`). */
  context: (key: string) => unknown;
  /** All context keys, to find `config.*` overrides (`Object.keys(app.node.getAllContext())`). */
  contextKeys: readonly string[];
}

export interface LoadedConfig {
  config: ZcopsConfig;
  /** The file the configuration came from. */
  source: string;
  /** Context keys applied on top of the file. */
  overrides: string[];
}

/** The configuration file CDK synth uses: context `configFile`, else `zcops.config.json`, else the example. */
export function resolveConfigFile(projectRoot: string, configFile: unknown): string {
  if (typeof configFile === 'string' && configFile !== '')
    return isAbsolute(configFile) ? configFile : join(projectRoot, configFile);
  const own = join(projectRoot, 'zcops.config.json');
  return existsSync(own) ? own : join(projectRoot, 'zcops.config.example.json');
}

/** Reads, overrides and validates the configuration. Throws `InfraConfigError` with every problem. */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const source = resolveConfigFile(options.projectRoot, options.context('configFile'));
  if (!existsSync(source))
    throw new InfraConfigError(source, ['file not found (set context configFile or create it)']);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(source, 'utf8'));
  } catch (err) {
    throw new InfraConfigError(source, [`not valid JSON: ${(err as Error).message}`]);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InfraConfigError(source, ['(root): must be a JSON object']);
  const overrides = options.contextKeys.filter((k) => k.startsWith(CONTEXT_OVERRIDE_PREFIX)).sort();
  for (const key of overrides) {
    setPath(
      raw as Record<string, unknown>,
      key.slice(CONTEXT_OVERRIDE_PREFIX.length),
      contextValue(options.context(key)),
      source,
    );
  }
  const label = overrides.length > 0 ? `${source} with context ${overrides.join(', ')}` : source;
  return { config: parseConfig(raw, label), source, overrides };
}

/** Lambda allows 4 KB of environment in total; the configuration may take this much of it. */
export const MAX_RUNTIME_CONFIG_BYTES = 3072;

/**
 * The part of the configuration the functions need at run time (tenants, sources and their
 * policies, intake settings, ASG names, the worker's settings, guardrails and rate limits, and the
 * ticket callbacks when any are configured); deployment-only settings stay out. It is what `loadIntakeConfig` (shared/intake/config.ts) and
 * `loadWorkerConfig` (shared/wiring/worker-config.ts) read from `ZCOPS_CONFIG`.
 *
 * @example
 * runtimeConfig(config).worker.maxReceiveCount === config.worker.maxReceiveCount; // the queue's redrive limit
 */
export function runtimeConfig(config: ZcopsConfig) {
  return {
    tenants: config.tenants,
    sources: config.sources,
    intake: config.intake,
    autoscaling: config.autoscaling,
    worker: Object.fromEntries(WORKER_RUNTIME_KEYS.map((k) => [k, config.worker[k]])) as {
      [K in WorkerRuntimeKey]: ZcopsConfig['worker'][K];
    },
    guardrails: config.guardrails,
    rateLimits: config.rateLimits,
    // Absent without callbacks: the worker's default is the same, and the bytes stay free.
    ...(config.notify.callbacks.length > 0 ? { notify: config.notify } : {}),
  };
}

/** Secret names the worker reads ticket callbacks' credentials from. */
export function callbackSecretNames(config: ZcopsConfig): string[] {
  return [...new Set(config.notify.callbacks.map((c) => c.secretName))];
}

/** Secret names a source's credentials live in (shorthand `secretName`, or `auth`'s HMAC and bearer secrets). */
export function sourceSecretNames(config: ZcopsConfig): string[] {
  const names = config.sources.flatMap((s) => [
    s.secretName,
    s.auth?.hmacSecretName,
    s.auth?.bearerSecretName,
  ]);
  return [...new Set(names.filter((n): n is string => n !== undefined))];
}

/** ASG names the lifecycle rule covers: `autoscaling.asgNames` plus every autoscaling source's `asgNames`. */
export function lifecycleAsgNames(config: ZcopsConfig): string[] {
  return [...new Set([...config.autoscaling.asgNames, ...config.sources.flatMap((s) => s.asgNames ?? [])])];
}

/** `runtimeConfig` as compact JSON for `ZCOPS_CONFIG`; throws when it would not fit Lambda's environment. */
export function runtimeConfigJson(config: ZcopsConfig): string {
  const json = JSON.stringify(runtimeConfig(config));
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_RUNTIME_CONFIG_BYTES)
    throw new InfraConfigError('ZCOPS_CONFIG', [
      `the runtime configuration is ${bytes} bytes, over ${MAX_RUNTIME_CONFIG_BYTES} (Lambda environments hold 4 KB in total)`,
    ]);
  return json;
}
