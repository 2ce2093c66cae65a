import { readFileSync } from 'node:fs';

/** A function's environment variables (`process.env` in Lambda, a plain record locally and in tests). */
export type Env = Record<string, string | undefined>;

/**
 * The variables the CDK stack gives each function (infra/stack.ts uses these names), besides
 * Powertools' own (`POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_LOG_LEVEL`) and the SDK's.
 */
export const FUNCTION_ENV = {
  requestsTable: 'REQUESTS_TABLE',
  auditTable: 'AUDIT_TABLE',
  ratelimitTable: 'RATELIMIT_TABLE',
  jobsQueueUrl: 'JOBS_QUEUE_URL',
  snapshotsBucket: 'SNAPSHOTS_BUCKET',
  config: 'ZCOPS_CONFIG',
} as const;

/** Builds the function's own typed configuration error (intake and worker keep theirs). */
export type InvalidEnvironment = (origin: string, problems: string[]) => Error;

/**
 * Where a function's state lives and its configuration, as its environment says: what every
 * builder of the wiring starts from. The CLI makes the same from its profile.
 */
export interface DeploymentSettings {
  tables: { requests: string; audit: string; ratelimit?: string | undefined };
  jobsQueueUrl: string;
  /** Absent: snapshots fail with a clear reason (the worker only). */
  snapshotsBucket?: string | undefined;
  /** The parsed JSON of `ZCOPS_CONFIG` (or `ZCOPS_CONFIG_FILE`), validated by each function's schema. */
  config: unknown;
  /** Where the configuration came from, for error messages. */
  configOrigin: string;
  /** `POWERTOOLS_SERVICE_NAME`: the logger's service and the metrics' `service` dimension. */
  serviceName?: string | undefined;
  /** `POWERTOOLS_LOG_LEVEL`. */
  logLevel?: string | undefined;
}

/**
 * Reads and checks a function's environment: `REQUESTS_TABLE`, `AUDIT_TABLE`, `JOBS_QUEUE_URL`
 * (and `RATELIMIT_TABLE` with `ratelimit: true`) are required, `SNAPSHOTS_BUCKET` optional, the
 * configuration from `ZCOPS_CONFIG` (JSON) or the file `ZCOPS_CONFIG_FILE`. Every missing
 * variable is named in one error built by `invalid`.
 *
 * @example
 * const settings = readDeploymentSettings(process.env, { ratelimit: true }, (o, p) => new WorkerConfigError(o, p));
 */
export function readDeploymentSettings(
  env: Env,
  needs: { ratelimit?: boolean },
  invalid: InvalidEnvironment,
): DeploymentSettings {
  const required = [
    FUNCTION_ENV.requestsTable,
    FUNCTION_ENV.auditTable,
    ...(needs.ratelimit ? [FUNCTION_ENV.ratelimitTable] : []),
    FUNCTION_ENV.jobsQueueUrl,
  ];
  const missing = required.filter((name) => !env[name]);
  if (missing.length > 0)
    throw invalid(
      'environment',
      missing.map((name) => `${name}: required`),
    );
  const { raw, origin } = readConfigJson(env, invalid);
  return {
    tables: {
      requests: env[FUNCTION_ENV.requestsTable]!,
      audit: env[FUNCTION_ENV.auditTable]!,
      ...(needs.ratelimit ? { ratelimit: env[FUNCTION_ENV.ratelimitTable]! } : {}),
    },
    jobsQueueUrl: env[FUNCTION_ENV.jobsQueueUrl]!,
    ...(env[FUNCTION_ENV.snapshotsBucket] ? { snapshotsBucket: env[FUNCTION_ENV.snapshotsBucket] } : {}),
    config: raw,
    configOrigin: origin,
    ...(env.POWERTOOLS_SERVICE_NAME ? { serviceName: env.POWERTOOLS_SERVICE_NAME } : {}),
    ...(env.POWERTOOLS_LOG_LEVEL ? { logLevel: env.POWERTOOLS_LOG_LEVEL } : {}),
  };
}

/** The configuration's JSON from `ZCOPS_CONFIG` or the file named by `ZCOPS_CONFIG_FILE`. */
export function readConfigJson(env: Env, invalid: InvalidEnvironment): { raw: unknown; origin: string } {
  const inline = env[FUNCTION_ENV.config];
  const file = env.ZCOPS_CONFIG_FILE;
  const origin = inline ? FUNCTION_ENV.config : (file ?? FUNCTION_ENV.config);
  let text: string;
  if (inline) text = inline;
  else if (file) text = readFileSync(file, 'utf8');
  else throw invalid(origin, ['(root): set ZCOPS_CONFIG or ZCOPS_CONFIG_FILE']);
  try {
    return { raw: JSON.parse(text), origin };
  } catch {
    throw invalid(origin, ['(root): not valid JSON']);
  }
}
