import type { Logger } from '@aws-lambda-powertools/logger';
import { DryRunRequestStore } from '../local/dry-run-store.ts';
import type { AuditLog } from '../shared/audit/audit-log.ts';
import type { IntakeConfig, SourcePolicy } from '../shared/config/sources.ts';
import type { WorkerConfig } from '../shared/config/worker.ts';
import { DeletionCap } from '../shared/guardrails/deletion-cap.ts';
import type { DynamoControlStore } from '../shared/guardrails/dynamo-control-store.ts';
import { PauseSwitch } from '../shared/guardrails/pause-switch.ts';
import { IntakeConfigError } from '../shared/intake/errors.ts';
import type { RateLimiter } from '../shared/ratelimit/limiter.ts';
import type { JobQueue } from '../shared/requests/job-queue.ts';
import type { RequestStore } from '../shared/requests/request-store.ts';
import { type AwsClients, awsClients } from '../shared/wiring/aws-clients.ts';
import { WorkerConfigError } from '../shared/wiring/errors.ts';
import { type OperatorDeps, operatorDeps } from '../shared/wiring/operator-deps.ts';
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
  audit: AuditLog;
  queue: JobQueue;
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
  let deps: OperatorDeps;
  try {
    // The functions' wiring, from the profile instead of a function's environment.
    deps = operatorDeps(
      {
        tables: profile.tables,
        jobsQueueUrl: profile.queues.jobsUrl,
        config: profile.config,
        configOrigin: 'the stack configuration',
        serviceName: 'zcops-cli',
        logLevel: 'ERROR',
      },
      aws,
      profile.forceDryRun ? { wrapStore: (s) => new DryRunRequestStore(s) } : {},
    );
  } catch (err) {
    aws.destroy();
    if (err instanceof IntakeConfigError || err instanceof WorkerConfigError)
      throw new UsageError(`the stack configuration is invalid: ${err.problems.join('; ')}`);
    throw err;
  }
  const { intake } = deps;
  let operator: Promise<string> | undefined;
  return {
    profile,
    aws,
    store: deps.store,
    audit: deps.audit,
    queue: deps.queue,
    control: deps.control,
    pause: new PauseSwitch(deps.control),
    cap: new DeletionCap(deps.control),
    limiter: deps.limiter,
    intake,
    worker: deps.worker,
    logger: deps.logger,
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
    },
  };
}
