import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import { TargetError, UsageError } from './errors.ts';

/**
 * Where a zcops stack lives: AWS endpoints (absent: the real AWS endpoints of `region`), the
 * tables, queues and bucket, and the runtime configuration (`ZCOPS_CONFIG`'s JSON). The local stack
 * writes one to `.zcops/local.json`; for a deployed stack it comes from `cdk deploy --outputs-file`
 * (`--profile-file`) plus the configuration file, or from the functions' environment variables.
 *
 * @example
 * const profile = resolveProfile({ cwd: process.cwd(), env: process.env });
 */
export const TargetProfileSchema = z.object({
  v: z.literal(1),
  kind: z.enum(['local', 'deployed']),
  region: z.string().min(1),
  /** Endpoint overrides (the local stack's loopback servers). */
  endpoints: z
    .object({
      dynamodb: z.string().optional(),
      sqs: z.string().optional(),
      s3: z.string().optional(),
      /** The intake's HTTP API (the local server or API Gateway). */
      http: z.string().optional(),
      /** The Zscaler simulator, when the local stack runs one. */
      simulator: z.string().optional(),
      /** Auto Scaling (completing a rejected lifecycle hook on `events redrive`), when not AWS itself. */
      autoscaling: z.string().optional(),
    })
    .default({}),
  tables: z.object({ requests: z.string().min(1), audit: z.string().min(1), ratelimit: z.string().min(1) }),
  queues: z.object({
    jobsUrl: z.string().min(1),
    dlqUrl: z.string().min(1).optional(),
    /** The events function's on-failure destination (`zcops events redrive`). */
    eventsFailuresUrl: z.string().min(1).optional(),
  }),
  bucket: z.string().min(1).optional(),
  /** The runtime configuration (tenants, sources, worker, guardrails, rateLimits). */
  config: z.record(z.string(), z.unknown()),
  /** Local stack against a real tenant: every request is a dry run unless started with `--live`. */
  forceDryRun: z.boolean().default(false),
  /** Process id of the local stack (to tell a stale file from a running stack). */
  pid: z.int().optional(),
  startedAt: z.string().optional(),
});
export type TargetProfile = z.output<typeof TargetProfileSchema>;

/** Where the local stack writes its profile, relative to the project root. */
export const LOCAL_PROFILE_PATH = join('.zcops', 'local.json');

export interface ResolveOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** `--profile-file`: a profile, or the outputs JSON of `cdk deploy --outputs-file`. */
  profileFile?: string;
  /** `--config`: the zcops configuration (needed with an outputs file or environment variables). */
  configFile?: string;
}

/**
 * The stack the CLI talks to: `--profile-file` (a profile, or CloudFormation outputs with
 * `--config`), else `ZCOPS_PROFILE_FILE`, else the functions' environment variables
 * (`REQUESTS_TABLE`, `AUDIT_TABLE`, `RATELIMIT_TABLE`, `JOBS_QUEUE_URL`, `JOBS_DLQ_URL`, `EVENTS_FAILURE_QUEUE_URL`,
 * `SNAPSHOTS_BUCKET`, `ZCOPS_CONFIG` or `ZCOPS_CONFIG_FILE`), else the running local stack's
 * `.zcops/local.json`.
 */
export function resolveProfile(options: ResolveOptions): TargetProfile {
  const file = options.profileFile ?? options.env.ZCOPS_PROFILE_FILE;
  if (file) return profileFromFile(resolvePath(options.cwd, file), options);
  if (options.env.REQUESTS_TABLE && options.env.JOBS_QUEUE_URL) return profileFromEnv(options);
  const local = findUp(options.cwd, LOCAL_PROFILE_PATH);
  if (!local) {
    throw new TargetError(
      `no stack to talk to: start the local stack (npm start) or give --profile-file (see zcops --help)`,
    );
  }
  const profile = parseProfile(readJson(local, 'local stack profile'), local);
  if (profile.pid !== undefined && !alive(profile.pid)) {
    throw new TargetError(
      `the local stack that wrote ${LOCAL_PROFILE_PATH} is not running; start it with npm start`,
    );
  }
  return profile;
}

function profileFromFile(path: string, options: ResolveOptions): TargetProfile {
  const raw = readJson(path, 'profile file');
  if (raw && typeof raw === 'object' && (raw as Record<string, unknown>).v === 1)
    return parseProfile(raw, path);
  // `cdk deploy --outputs-file`: { "<StackName>": { "RequestsTableName": ..., ... } }
  const stacks = Object.values((raw ?? {}) as Record<string, unknown>).filter(
    (v): v is Record<string, string> => !!v && typeof v === 'object' && 'RequestsTableName' in v,
  );
  if (stacks.length !== 1 || !stacks[0]) {
    throw new UsageError(
      `${path}: expected a zcops profile (v: 1) or the outputs of exactly one zcops stack (cdk deploy --outputs-file)`,
    );
  }
  const o = stacks[0];
  const need = (k: string): string => {
    const v = o[k];
    if (typeof v !== 'string' || v === '') throw new UsageError(`${path}: output ${k} is missing`);
    return v;
  };
  return parseProfile(
    {
      v: 1,
      kind: 'deployed',
      region: regionOf(options.env, o.JobsQueueUrl),
      endpoints: o.ApiUrl ? { http: o.ApiUrl } : {},
      tables: {
        requests: need('RequestsTableName'),
        audit: need('AuditTableName'),
        ratelimit: need('RateLimitTableName'),
      },
      queues: {
        jobsUrl: need('JobsQueueUrl'),
        ...(o.JobsDlqUrl ? { dlqUrl: o.JobsDlqUrl } : {}),
        ...(o.EventsFailureQueueUrl ? { eventsFailuresUrl: o.EventsFailureQueueUrl } : {}),
      },
      ...(o.SnapshotsBucketName ? { bucket: o.SnapshotsBucketName } : {}),
      config: configFrom(options),
    },
    path,
  );
}

function profileFromEnv(options: ResolveOptions): TargetProfile {
  const env = options.env;
  return parseProfile(
    {
      v: 1,
      kind: 'deployed',
      region: regionOf(env, env.JOBS_QUEUE_URL),
      endpoints: env.ZCOPS_API_URL ? { http: env.ZCOPS_API_URL } : {},
      tables: {
        requests: env.REQUESTS_TABLE,
        audit: env.AUDIT_TABLE ?? 'zcops-audit',
        ratelimit: env.RATELIMIT_TABLE ?? 'zcops-ratelimit',
      },
      queues: {
        jobsUrl: env.JOBS_QUEUE_URL,
        ...(env.JOBS_DLQ_URL ? { dlqUrl: env.JOBS_DLQ_URL } : {}),
        ...(env.EVENTS_FAILURE_QUEUE_URL ? { eventsFailuresUrl: env.EVENTS_FAILURE_QUEUE_URL } : {}),
      },
      ...(env.SNAPSHOTS_BUCKET ? { bucket: env.SNAPSHOTS_BUCKET } : {}),
      config: configFrom(options),
    },
    'environment',
  );
}

/** The configuration: `--config`, `ZCOPS_CONFIG` (JSON), `ZCOPS_CONFIG_FILE`, `zcops.config.json`. */
function configFrom(options: ResolveOptions): Record<string, unknown> {
  const { env, cwd } = options;
  let raw: unknown;
  if (options.configFile) raw = readJson(resolvePath(cwd, options.configFile), 'configuration');
  else if (env.ZCOPS_CONFIG) {
    try {
      raw = JSON.parse(env.ZCOPS_CONFIG);
    } catch {
      throw new UsageError('ZCOPS_CONFIG is not valid JSON');
    }
  } else if (env.ZCOPS_CONFIG_FILE) raw = readJson(resolvePath(cwd, env.ZCOPS_CONFIG_FILE), 'configuration');
  else if (existsSync(join(cwd, 'zcops.config.json')))
    raw = readJson(join(cwd, 'zcops.config.json'), 'configuration');
  else throw new UsageError('a deployed stack needs its configuration: give --config zcops.config.json');
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new UsageError('the configuration must be a JSON object');
  return raw as Record<string, unknown>;
}

function regionOf(env: Record<string, string | undefined>, queueUrl: string | undefined): string {
  const fromUrl = queueUrl ? /sqs\.([a-z0-9-]+)\.amazonaws/.exec(queueUrl)?.[1] : undefined;
  return env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? fromUrl ?? 'us-east-1';
}

function parseProfile(raw: unknown, origin: string): TargetProfile {
  const parsed = TargetProfileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new UsageError(`${origin} is not a valid profile:\n  ${issues.join('\n  ')}`, { issues });
  }
  return parsed.data;
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${what} ${path}: ${code === 'ENOENT' ? 'file not found' : (err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${what} ${path}: not valid JSON (${(err as Error).message})`);
  }
}

/** `rel` in `dir` or the nearest parent that has it (the CLI may run from a sub-folder). */
function findUp(dir: string, rel: string): string | undefined {
  let current = dir;
  for (;;) {
    const candidate = join(current, rel);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

function resolvePath(cwd: string, p: string): string {
  return p.startsWith('/') ? p : join(cwd, p);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
