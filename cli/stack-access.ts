import type { Logger } from '@aws-lambda-powertools/logger';
import { type AwsClients, awsClients, LOCAL_CREDENTIALS } from '../local/aws-clients.ts';
import { DryRunRequestStore } from '../local/dry-run-store.ts';
import { DynamoAuditLog } from '../shared/audit/dynamo-audit-log.ts';
import type { IntakeConfig, SourcePolicy } from '../shared/config/sources.ts';
import { type WorkerConfig, WorkerConfigSchema } from '../shared/config/worker.ts';
import { systemClock } from '../shared/core/clock.ts';
import { DeletionCap } from '../shared/guardrails/deletion-cap.ts';
import { DynamoControlStore } from '../shared/guardrails/dynamo-control-store.ts';
import { PauseSwitch } from '../shared/guardrails/pause-switch.ts';
import { loadIntakeConfig } from '../shared/intake/config.ts';
import { IntakeConfigError } from '../shared/intake/errors.ts';
import { createLogger } from '../shared/observability/logger.ts';
import { DynamoDbRateLimitStore } from '../shared/ratelimit/dynamodb-store.ts';
import { RateLimiter } from '../shared/ratelimit/limiter.ts';
import { RateLimits } from '../shared/ratelimit/limits.ts';
import { DynamoRequestStore } from '../shared/requests/dynamo-request-store.ts';
import type { RequestStore } from '../shared/requests/request-store.ts';
import { SqsJobQueue } from '../shared/requests/sqs-job-queue.ts';
import { createDocumentClient } from '../shared/storage/dynamo.ts';
import { UsageError } from './errors.ts';
import { type CallerArn, operatorIdentity } from './operator-identity.ts';
import type { TargetProfile } from './profile.ts';

/**
 * The stack's tables, queues and bucket, through the same adapters the functions use. Built from
 * a profile; the CLI talks to AWS (or the local stand-ins) with the caller's own credentials.
 *
 * @example
 * const stack = stackAccess(profile);
 * const record = await stack.store.get(requestId);
 */
export interface StackAccess {
  profile: TargetProfile;
  aws: AwsClients;
  store: RequestStore;
  audit: DynamoAuditLog;
  queue: SqsJobQueue;
  control: DynamoControlStore;
  pause: PauseSwitch;
  cap: DeletionCap;
  limiter: RateLimiter;
  /** The intake part of the configuration (tenants, sources). */
  intake: IntakeConfig;
  /** The worker part (guardrails, rate limits). */
  worker: WorkerConfig;
  logger: Logger;
  /**
   * Who is running the CLI (audit's `requestedBy`/`by`): the caller's ARN from STS for a deployed
   * stack, a self-asserted name locally (`operatorIdentity`). Asked once.
   */
  operator(): Promise<string>;
  /** The source a CLI request comes from: `name`, else the only source of kind cli. */
  cliSource(name?: string): SourcePolicy;
  close(): void;
}

export function stackAccess(
  profile: TargetProfile,
  env: Record<string, string | undefined>,
  callerArn?: CallerArn,
): StackAccess {
  const e = profile.endpoints;
  const aws = awsClients({
    region: profile.region,
    dynamodb: e.dynamodb,
    sqs: e.sqs,
    s3: e.s3,
    autoscaling: e.autoscaling,
  });
  const doc = createDocumentClient({
    region: profile.region,
    ...(e.dynamodb ? { endpoint: e.dynamodb, credentials: LOCAL_CREDENTIALS } : {}),
  });
  let intake: IntakeConfig;
  let worker: WorkerConfig;
  try {
    intake = loadIntakeConfig(profile.config, 'the stack configuration');
    const parsed = WorkerConfigSchema.safeParse(profile.config);
    if (!parsed.success) {
      throw new IntakeConfigError(
        'the stack configuration',
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      );
    }
    worker = parsed.data;
  } catch (err) {
    if (err instanceof IntakeConfigError) throw new UsageError(err.message);
    throw err;
  }
  const dynamoStore = new DynamoRequestStore(doc, profile.tables.requests);
  const control = new DynamoControlStore(doc, profile.tables.requests);
  let operator: Promise<string> | undefined;
  return {
    profile,
    aws,
    store: profile.forceDryRun ? new DryRunRequestStore(dynamoStore) : dynamoStore,
    audit: new DynamoAuditLog(doc, profile.tables.audit),
    queue: new SqsJobQueue(aws.sqs, profile.queues.jobsUrl),
    control,
    pause: new PauseSwitch(control),
    cap: new DeletionCap(control),
    limiter: new RateLimiter({
      store: new DynamoDbRateLimitStore({ client: aws.dynamodb, tableName: profile.tables.ratelimit }),
      limits: RateLimits.from(worker.rateLimits),
      clock: systemClock,
    }),
    intake,
    worker,
    logger: createLogger('zcops-cli', 'ERROR'),
    operator() {
      operator ??= operatorIdentity(profile, env, callerArn);
      return operator;
    },
    cliSource(name) {
      const found = name
        ? intake.sources.find((s) => s.name === name)
        : (() => {
            const cli = intake.sources.filter((s) => s.kind === 'cli');
            return cli.length === 1 ? cli[0] : undefined;
          })();
      if (!found) {
        throw new UsageError(
          name
            ? `no source named "${name}" in the stack configuration`
            : 'the stack configuration needs exactly one source of kind "cli" (or name one with --source)',
        );
      }
      return found;
    },
    close() {
      aws.destroy();
      doc.destroy();
    },
  };
}
