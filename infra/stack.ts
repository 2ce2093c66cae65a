import {
  Annotations,
  ArnFormat,
  CfnOutput,
  Duration,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { TableDefinition } from '../shared/storage/table-definition.ts';
import { FUNCTION_ENV } from '../shared/wiring/environment.ts';
import {
  callbackSecretNames,
  lifecycleAsgNames,
  runtimeConfigJson,
  sourceSecretNames,
  type ZcopsConfig,
} from './config.ts';
import { Alarms } from './constructs/alarms.ts';
import { Api } from './constructs/api.ts';
import { Dashboard } from './constructs/dashboard.ts';
import { DeliveryDlq } from './constructs/delivery-dlq.ts';
import { EventsFailureQueue } from './constructs/events-failure-queue.ts';
import { JobsQueue } from './constructs/jobs-queue.ts';
import { LifecycleRule } from './constructs/lifecycle-rule.ts';
import { SnapshotSchedules } from './constructs/snapshot-schedules.ts';
import { SnapshotsBucket } from './constructs/snapshots-bucket.ts';
import { Tables } from './constructs/tables.ts';
import { ZcopsFunction } from './constructs/zcops-function.ts';
import { FUNCTION_TIMEOUTS, type FunctionName, QUEUE_DEFAULTS } from './defaults.ts';
import { TABLE_DEFINITIONS } from './table-definitions.ts';

/**
 * The whole zcops deployment in one stack: tables, jobs queue + DLQ, the three functions with
 * least-privilege grants, the HTTP API, the lifecycle rule, the snapshot schedules, the snapshots
 * bucket, tenant secrets by reference, alarms and a dashboard.
 *
 * @example
 * const app = new App();
 * new ZcopsStack(app, 'Zcops', { config, projectRoot: process.cwd(), entries: { webhook: 'functions/webhook/handler.ts' } });
 */
export interface ZcopsStackProps extends StackProps {
  config: ZcopsConfig;
  /** Directory holding package.json / package-lock.json and the function entries. */
  projectRoot: string;
  /**
   * Entry file per function (relative to `projectRoot`). A function without an entry is left out
   * with a warning (and so is what depends on it: the API without the webhook, the rule and
   * schedules without the events function, the event source mapping without the worker).
   */
  entries: Partial<Record<FunctionName, string>>;
  /** Table key layouts (default: the data-access modules' definitions). */
  tables?: { requests: TableDefinition; audit: TableDefinition; ratelimit: TableDefinition };
}

/** Environment variable names the functions read (the wiring's own names: shared/wiring/environment.ts). */
export const ENV = FUNCTION_ENV;

export class ZcopsStack extends Stack {
  readonly tables: Tables;
  readonly jobs: JobsQueue;
  readonly deliveryDlq: DeliveryDlq;
  readonly eventsFailures?: EventsFailureQueue;
  readonly snapshots: SnapshotsBucket;
  readonly functions: Partial<Record<FunctionName, ZcopsFunction>> = {};
  readonly api?: Api;
  readonly lifecycleRule?: LifecycleRule;
  readonly snapshotSchedules?: SnapshotSchedules;
  readonly alarms: Alarms;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ZcopsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logRetention = config.logRetentionDays as RetentionDays;

    this.tables = new Tables(this, 'Tables', props.tables ?? TABLE_DEFINITIONS);
    this.jobs = new JobsQueue(this, 'Jobs', {
      consumerTimeout: Duration.seconds(config.worker.timeoutSeconds),
      // The same value the worker reads (ZCOPS_CONFIG worker.maxReceiveCount) to mark a request
      // DEAD_LETTERED on the receive after which SQS moves its message to the DLQ.
      maxReceiveCount: config.worker.maxReceiveCount,
      ...(config.worker.visibilityTimeoutSeconds !== undefined
        ? { visibilityTimeout: Duration.seconds(config.worker.visibilityTimeoutSeconds) }
        : {}),
    });
    this.deliveryDlq = new DeliveryDlq(this, 'DeliveryDlq');
    this.snapshots = new SnapshotsBucket(this, 'Snapshots', {
      accessLogRetentionDays: config.logRetentionDays,
    });

    const configJson = runtimeConfigJson(config);
    const common = { projectRoot: props.projectRoot, logRetention, logLevel: config.logLevel };
    const make = (
      name: FunctionName,
      id: string,
      timeout: Duration,
      environment: Record<string, string>,
      memorySizeMb?: number,
    ) => {
      const entry = props.entries[name];
      if (entry === undefined) {
        Annotations.of(this).addWarningV2(
          `zcops:missing-${name}`,
          `functions/${name} has no entry yet; the ${name} function and what depends on it are not deployed`,
        );
        return undefined;
      }
      const fn = new ZcopsFunction(this, id, {
        ...common,
        name,
        entry,
        timeout,
        environment,
        ...(memorySizeMb ? { memorySizeMb } : {}),
      });
      this.functions[name] = fn;
      return fn;
    };

    const intakeEnv = {
      [ENV.requestsTable]: this.tables.requests.tableName,
      [ENV.auditTable]: this.tables.audit.tableName,
      [ENV.jobsQueueUrl]: this.jobs.queue.queueUrl,
      [ENV.config]: configJson,
    };

    // Webhook: intake over HTTP. Reads its sources' secrets, records requests, audits, enqueues.
    const webhook = make('webhook', 'Webhook', FUNCTION_TIMEOUTS.webhook, intakeEnv);
    if (webhook) {
      this.grantIntake(webhook.role);
      this.grantSecrets(webhook, sourceSecretNames(config));
      this.api = new Api(this, 'Api', {
        handler: webhook.function,
        throttle: config.api.throttle,
        logRetention,
      });
      new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the intake API' });
    }

    // Events: intake from EventBridge (lifecycle hooks) and Scheduler (snapshots). AWS-internal callers, no secrets.
    const events = make('events', 'Events', FUNCTION_TIMEOUTS.events, intakeEnv);
    if (events) {
      this.grantIntake(events.role);
      this.eventsFailures = new EventsFailureQueue(this, 'EventsFailures', { target: events.function });
      new CfnOutput(this, 'EventsFailureQueueUrl', {
        value: this.eventsFailures.queue.queueUrl,
        description: 'Events the events function failed on (zcops events redrive)',
      });
      const asgNames = lifecycleAsgNames(config);
      if (asgNames.length > 0) {
        this.lifecycleRule = new LifecycleRule(this, 'LifecycleRule', {
          target: events.function,
          asgNames,
          deadLetterQueue: this.deliveryDlq.queue,
        });
        this.lifecycleRule.grantCompleteLifecycleAction(events.role);
        this.lifecycleRule.acknowledgeGroupWildcards(events.role);
      } else {
        Annotations.of(this).addWarningV2(
          'zcops:no-asg-names',
          'no ASG names (autoscaling.asgNames, autoscaling sources): no lifecycle rule is deployed',
        );
      }
      if (config.snapshotSchedules.length > 0) {
        this.snapshotSchedules = new SnapshotSchedules(this, 'SnapshotSchedules', {
          target: events.function,
          schedules: config.snapshotSchedules,
          deadLetterQueue: this.deliveryDlq.queue,
        });
      }
    }

    // Worker: consumes jobs, calls Zscaler through the shared limiter, writes snapshots, completes hooks.
    const worker = make(
      'worker',
      'Worker',
      Duration.seconds(config.worker.timeoutSeconds),
      {
        ...intakeEnv,
        [ENV.ratelimitTable]: this.tables.ratelimit.tableName,
        [ENV.snapshotsBucket]: this.snapshots.bucket.bucketName,
      },
      config.worker.memoryMb,
    );
    if (worker) {
      this.grantWorker(worker.role, config);
      worker.function.addEventSource(
        new SqsEventSource(this.jobs.queue, {
          batchSize: config.worker.batchSize,
          maxBatchingWindow: QUEUE_DEFAULTS.maxBatchingWindow,
          reportBatchItemFailures: true,
          maxConcurrency: config.worker.maxConcurrency,
        }),
      );
    }

    this.alarms = new Alarms(this, 'Alarms', {
      jobsDlq: this.jobs.deadLetterQueue,
      deliveryDlq: this.deliveryDlq.queue,
      ...(this.eventsFailures ? { eventsFailures: this.eventsFailures.queue } : {}),
      thresholds: {
        failedRequests: config.alarms.failedRequests,
        rateLimited429s: config.alarms.rateLimited429s,
        limiterWaitMsP90: config.alarms.limiterWaitMsP90,
        intakeFailures: config.alarms.intakeFailures,
      },
      notifyEmails: config.alarms.notifyEmails,
    });
    this.dashboard = new Dashboard(this, 'Dashboard', {
      alarms: this.alarms,
      jobsQueue: this.jobs.queue,
      jobsDlq: this.jobs.deadLetterQueue,
      functions: Object.fromEntries(Object.entries(this.functions).map(([n, f]) => [n, f.function])),
      ...(this.api ? { api: this.api.httpApi } : {}),
    });

    new CfnOutput(this, 'RequestsTableName', { value: this.tables.requests.tableName });
    new CfnOutput(this, 'AuditTableName', { value: this.tables.audit.tableName });
    new CfnOutput(this, 'RateLimitTableName', { value: this.tables.ratelimit.tableName });
    new CfnOutput(this, 'JobsQueueUrl', { value: this.jobs.queue.queueUrl });
    new CfnOutput(this, 'JobsDlqUrl', { value: this.jobs.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'SnapshotsBucketName', { value: this.snapshots.bucket.bucketName });
  }

  /** Intake (webhook, events): requests read/write, audit append-only, enqueue jobs. */
  private grantIntake(grantee: IRole): void {
    this.tables.grantRequestsReadWrite(grantee);
    this.tables.grantAuditAppend(grantee);
    // Not grantSendMessages(): intake only sends; the queue URL is in its environment (the deployed-shape
    // IAM check found GetQueueAttributes and GetQueueUrl never used).
    grantee.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.jobs.queue.queueArn] }),
    );
  }

  /**
   * The worker's grants, each for a call it makes: requests table Get/Put/Update/Delete/Query
   * (requests, leases, guardrail control items); audit `PutItem`, and `Query` on the table (a
   * redelivered settled request reads its own trail), with the append-only denies; the limiter table (one
   * `UpdateItem` per permit or block, `GetItem` to read a key); `sqs:SendMessage` on the jobs queue
   * only (deferrals; consuming is the event source mapping's grant); snapshot objects under the
   * prefix; the tenants' secrets and the ticket callbacks' secrets (`notify`); and, when a lifecycle rule is deployed, completing the configured
   * groups' hooks plus `ec2:DescribeInstances` (a terminating instance's private IP).
   */
  private grantWorker(role: IRole, config: ZcopsConfig): void {
    this.tables.grantRequestsReadWrite(role);
    this.tables.grantAuditAppend(role, { query: false });
    // A settled request whose message comes back (the worker died between settling and acknowledging)
    // reads its trail for the outcome event it may lack (run-job.ts `recordMissingOutcome`). The
    // deployed-shape chaos run, which kills the worker mid-batch, found this Query denied.
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['dynamodb:Query'], resources: [this.tables.audit.tableArn] }),
    );
    this.tables.grantRateLimit(role);
    // Not grantSendMessages(): the worker needs no GetQueueAttributes/GetQueueUrl, its URL is in the environment.
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.jobs.queue.queueArn] }),
    );
    this.snapshots.grantSnapshotWriter(role);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.snapshots.bucket.node.defaultChild as never)}.Arn>/${this.snapshots.prefix}*]`,
      reason:
        'Snapshot keys are snapshots/<tenant>/<date>/<id>/..., created at run time; access is limited to that prefix.',
    });
    const worker = this.functions.worker;
    if (worker)
      this.grantSecrets(worker, [...config.tenants.map((t) => t.secretName), ...callbackSecretNames(config)]);
    if (this.lifecycleRule) {
      this.lifecycleRule.grantCompleteLifecycleAction(role, { worker: true });
      this.lifecycleRule.acknowledgeGroupWildcards(role);
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only ec2:DescribeInstances is granted on "*": it does not support resource-level permissions.',
      });
    }
  }

  /**
   * `secretsmanager:GetSecretValue` on secrets referenced by name (never created here, so their
   * values never enter the template). Secret ARNs end in a random 6-character suffix, hence `-??????`.
   */
  private grantSecrets(fn: ZcopsFunction, names: readonly string[]): void {
    const unique = [...new Set(names)];
    if (unique.length === 0) return;
    const arns = unique.map((name) =>
      this.formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: `${name}-??????`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: arns }),
    );
    for (const name of unique) {
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${name}-??????]`,
        reason: `Secret ${name} is referenced by name; "-??????" matches only the random suffix Secrets Manager appends to its ARN.`,
      });
    }
  }
}
