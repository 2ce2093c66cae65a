import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_PROFILE_PATH, type TargetProfile } from '../cli/profile.ts';
import { createHandler as createEventsHandler } from '../functions/events/handler.ts';
import { createHandler as createWebhookHandler } from '../functions/webhook/handler.ts';
import { createHandler as createWorkerHandler } from '../functions/worker/handler.ts';
import type { ZcopsConfig } from '../infra/config.ts';
import type { AuditLog } from '../shared/audit/audit-log.ts';
import type { LifecycleCompleter } from '../shared/intake/lifecycle-completer.ts';
import { createMetrics } from '../shared/observability/metrics.ts';
import { type AwsClients, awsClients } from '../shared/wiring/aws-clients.ts';
import type { IntakeEnvironment } from '../shared/wiring/intake-deps.ts';
import type { WorkerDeps } from '../shared/worker/deps.ts';
import { closeAll } from '../shared/zscaler/factory.ts';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../simulator/index.ts';
import { type TerminateEventInput, terminateLifecycleEvent } from './aws-events.ts';
import { type BatchReport, SqsEventSourceMapping } from './event-source-mapping.ts';
import { functionEnvironment, intakeDeps, runtimeConfigObject, workerDeps } from './function-deps.ts';
import { type RunningHttpServer, startLocalHttpServer, type TerminatingInstance } from './http-server.ts';
import { ItsmStandInAuditLog, standInCallbacks } from './itsm-callbacks.ts';
import {
  defaultLocalConfig,
  LOCAL_ASG_GROUP_ID,
  LOCAL_ASG_NAME,
  LOCAL_TENANT,
  onSimulator,
} from './local-config.ts';
import { PrintingLifecycleCompleter } from './printing-completer.ts';
import { ProgressAuditLog } from './progress-log.ts';
import { QuietMetrics } from './quiet-metrics.ts';
import { ensureLocalResources, type LocalResources } from './resources.ts';
import { LocalScheduler } from './scheduler.ts';
import { type LocalSecrets, realTenantSecrets, simulatorTenantSecrets, sourceSecrets } from './secrets.ts';
import { type AwsControlPlane, startAwsControlPlane } from './services/aws-control-plane.ts';
import { type RunningDynalite, startDynalite } from './services/dynalite.ts';
import { type RunningFauxqs, startFauxqsServer } from './services/fauxqs.ts';
import { type ItsmStandIns, startItsmStandIns } from './services/itsm-stand-ins.ts';

export interface LocalStackOptions {
  /** Where the profile, secrets and (with `persist`) data live. Default `<cwd>/.zcops`. */
  stateDir?: string;
  /** The local HTTP server's port (default 8787; 0 = any free port). */
  port?: number;
  host?: string;
  /** The zcops configuration (default: `defaultLocalConfig`, one tenant on the simulator). */
  config?: ZcopsConfig;
  /**
   * Real tenants' credentials (`--tenant-file` text or `ZCOPS_TENANT_CREDENTIALS`): no simulator,
   * the configuration's tenants are used as they are.
   */
  tenantCredentials?: { text: string; origin: string };
  /** With real tenants: make writes (default false: every request is a dry run). */
  live?: boolean;
  /** Keep tables, queues and objects in `<stateDir>/data` between runs. */
  persist?: boolean;
  /** Fire snapshot schedules every this many ms instead of their expressions (`--schedule-every`). */
  scheduleEveryMs?: number;
  /** Run the snapshot schedules at all (default true). */
  schedules?: boolean;
  /** Simulator options (seed, port, time scale, faults). */
  simulator?: SimulatorOptions;
  /** The jobs queue's visibility timeout (default: 6 × the worker's timeout, as deployed). */
  visibilityTimeoutSeconds?: number;
  /** Long-poll wait of the event source mapping (default 2 s: Ctrl-C stays snappy). */
  pollWaitSeconds?: number;
  /** Told of each schedule firing and what the events function answered. */
  onScheduleFired?: (tenant: string, result: unknown) => void;
  /** Readable progress lines (audit events, HTTP requests, batches). Default: none. */
  print?: (line: string) => void;
  /** Level of the functions' own JSON logs (Powertools). Default WARN. */
  logLevel?: string;
  /** Write `<stateDir>/local.json` for the CLI (default true). */
  writeProfile?: boolean;
  /** Lifecycle completion (tests); default the Auto Scaling API at the control-plane stand-in. */
  lifecycle?: LifecycleCompleter;
  /**
   * Auto Scaling / EC2 endpoints to use instead of starting the AWS control-plane stand-in. Without
   * an Auto Scaling endpoint, completions are only recorded and printed.
   */
  controlPlane?: { autoscaling?: string; ec2?: string };
}

/** A running local stack. */
export interface LocalStack {
  /** The local HTTP server (webhook and `/local/*`). */
  url: string;
  config: ZcopsConfig;
  profile: TargetProfile;
  resources: LocalResources;
  /** The Zscaler simulator (absent with real tenants). */
  simulator: RunningSimulator | undefined;
  /** The DynamoDB stand-in (its `requests()` counts every DynamoDB call, for benchmarks). */
  dynalite: RunningDynalite;
  /** True when requests against real tenants are forced to dry-run. */
  forceDryRun: boolean;
  tenantMode: 'simulator' | 'real';
  aws: AwsClients;
  scheduler: LocalScheduler;
  eventSource: SqsEventSourceMapping;
  /** The three functions' handlers, exactly as Lambda runs them. */
  handlers: {
    webhook: ReturnType<typeof createWebhookHandler>;
    events: ReturnType<typeof createEventsHandler>;
    worker: ReturnType<typeof createWorkerHandler>;
  };
  /**
   * The three functions' dependencies, built by the Lambda wiring from `environments` (with the
   * local stack's overrides: clients at the stand-ins, generated secrets, quiet metrics).
   */
  deps: { webhook: IntakeEnvironment; events: IntakeEnvironment; worker: WorkerDeps };
  /** The worker's environment as deployed, with the stand-ins' endpoints (for the record). */
  environment: Record<string, string>;
  /** Each function's environment as deployed, with the stand-ins' endpoints. */
  environments: {
    webhook: Record<string, string>;
    events: Record<string, string>;
    worker: Record<string, string>;
  };
  /** Lifecycle completion in use instead of the Auto Scaling API (given, or no endpoint for it). */
  lifecycle: LifecycleCompleter | undefined;
  /**
   * The AWS control-plane stand-in the functions' Auto Scaling and EC2 clients talk to (absent when
   * `controlPlane` endpoints were given): its `completions` and `calls` show what the worker did.
   */
  controlPlane: AwsControlPlane | undefined;
  /**
   * The ServiceNow / Jira / generic stand-ins the ITSM sources' ticket callbacks go to (absent when
   * the configuration has its own callbacks, or no ITSM source).
   */
  itsm: ItsmStandIns | undefined;
  /**
   * Emits an autoscaling terminate lifecycle event into the events function, after registering the
   * instance (with `privateIp`, else an address derived from its id) and its pending lifecycle
   * action in the control-plane stand-in, as Auto Scaling would have them.
   */
  emitTerminate(
    input: Partial<TerminateEventInput> & { instanceId: string; privateIp?: string },
  ): Promise<unknown>;
  /** Fires a tenant's snapshot schedule now. */
  runSchedule(tenant?: string): Promise<unknown>;
  /** Stops polling (running batches finish), the scheduler, the HTTP server and the stand-ins. */
  stop(): Promise<void>;
}

const REGION = 'us-east-1';

/**
 * Starts the whole local stack in this process: dynalite, fauxqs (SQS and S3), the Zscaler
 * simulator (unless real tenants are configured), the tables, queues and bucket, the webhook
 * function behind a local HTTP server, the worker behind an emulated SQS event source mapping, the
 * events function behind the scheduler and `/local/asg/terminate`. Handlers are the Lambda ones,
 * with dependencies built as in Lambda (same adapters, endpoints at the stand-ins).
 *
 * @example
 * const stack = await startLocalStack({ port: 0, stateDir: tmp, print: console.log });
 * await fetch(`${stack.url}/v1/requests`, { method: 'POST', headers, body });
 * await stack.stop();
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const stateDir = options.stateDir ?? join(process.cwd(), '.zcops');
  mkdirSync(stateDir, { recursive: true });
  const print = options.print ?? (() => {});
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const s of stoppers.reverse()) await s().catch(() => {});
    stoppers.length = 0;
  };
  try {
    const dataDir = options.persist ? join(stateDir, 'data') : undefined;
    if (dataDir) mkdirSync(join(dataDir, 'fauxqs'), { recursive: true });
    const ddb: RunningDynalite = await startDynalite(dataDir ? { path: join(dataDir, 'dynamodb') } : {});
    stoppers.push(() => ddb.stop());
    const fq: RunningFauxqs = await startFauxqsServer(dataDir ? { dataDir: join(dataDir, 'fauxqs') } : {});
    stoppers.push(() => fq.stop());

    const real = options.tenantCredentials !== undefined;
    let simulator: RunningSimulator | undefined;
    let config: ZcopsConfig;
    let tenantSecrets: LocalSecrets;
    if (real) {
      config = options.config ?? defaultLocalConfig('http://127.0.0.1:1');
      tenantSecrets = realTenantSecrets(
        config,
        options.tenantCredentials!.text,
        options.tenantCredentials!.origin,
      );
    } else {
      simulator = await startSimulator({ ...options.simulator });
      stoppers.push(() => simulator!.stop());
      config = options.config
        ? onSimulator(options.config, simulator.url)
        : defaultLocalConfig(simulator.url);
      tenantSecrets = simulatorTenantSecrets(config);
    }
    const forceDryRun = real && options.live !== true;

    // The ITSM side: the sources' ticket callbacks go to loopback stand-ins (unless configured).
    let itsm: ItsmStandIns | undefined;
    let callbackSecrets: LocalSecrets = {};
    if (config.notify.callbacks.length === 0 && config.sources.some((src) => src.kind === 'itsm')) {
      const started = await startItsmStandIns();
      itsm = started;
      stoppers.push(() => started.stop());
      ({ config, secrets: callbackSecrets } = standInCallbacks(config, started));
    }
    const secrets: LocalSecrets = {
      ...sourceSecrets(config, stateDir),
      ...tenantSecrets,
      ...callbackSecrets,
    };

    // Auto Scaling and EC2: the real SDK clients, pointed at the control-plane stand-in.
    let controlPlane: AwsControlPlane | undefined;
    if (!options.controlPlane) {
      const started = await startAwsControlPlane();
      controlPlane = started;
      stoppers.push(() => started.stop());
    }
    const endpoints = {
      region: REGION,
      dynamodb: ddb.endpoint,
      sqs: fq.endpoint,
      s3: fq.endpoint,
      autoscaling: controlPlane ? controlPlane.endpoint : options.controlPlane?.autoscaling,
      ec2: controlPlane ? controlPlane.endpoint : options.controlPlane?.ec2,
    };
    const aws = awsClients(endpoints);
    stoppers.push(async () => aws.destroy());
    const visibility = options.visibilityTimeoutSeconds ?? config.worker.timeoutSeconds * 6;
    const resources = await ensureLocalResources(aws, {
      visibilityTimeoutSeconds: visibility,
      maxReceiveCount: config.worker.maxReceiveCount,
    });

    // Without an Auto Scaling endpoint, completions are recorded and printed (never sent to AWS).
    const lifecycle: LifecycleCompleter | undefined =
      options.lifecycle ?? (endpoints.autoscaling ? undefined : new PrintingLifecycleCompleter(print));
    // EMF metric lines are for CloudWatch; locally they are dropped unless the logs are verbose.
    const quiet = (options.logLevel ?? 'WARN') !== 'INFO' && options.logLevel !== 'DEBUG';
    const wiring = {
      config,
      endpoints,
      aws,
      names: { tables: resources.tables, jobsQueueUrl: resources.queues.jobsUrl, bucket: resources.bucket },
      secrets,
      wrapAudit: (a: AuditLog): AuditLog => {
        const progress = new ProgressAuditLog(a, print);
        return itsm ? new ItsmStandInAuditLog(progress, itsm, config, print) : progress;
      },
      forceDryRun,
      metrics: (service: string) => (quiet ? new QuietMetrics(service) : createMetrics(service)),
      ...(options.logLevel ? { logLevel: options.logLevel } : {}),
      ...(lifecycle ? { lifecycle } : {}),
    };
    const deps = {
      webhook: intakeDeps(wiring, 'webhook'),
      events: intakeDeps(wiring, 'events'),
      worker: workerDeps(wiring),
    };
    const webhook = createWebhookHandler(deps.webhook);
    const events = createEventsHandler(deps.events);
    const worker = createWorkerHandler(deps.worker);

    const eventSource = new SqsEventSourceMapping({
      sqs: aws.sqs,
      queueUrl: resources.queues.jobsUrl,
      queueArn: resources.queues.jobsArn,
      region: REGION,
      handler: worker,
      batchSize: config.worker.batchSize,
      maxConcurrency: config.worker.maxConcurrency,
      visibilityTimeoutSeconds: visibility,
      waitTimeSeconds: options.pollWaitSeconds ?? 2,
      invocationTimeoutMs: config.worker.timeoutSeconds * 1000,
      onBatch: (r: BatchReport) => {
        if (r.failed.length > 0 || r.error) {
          print(
            `worker batch of ${r.size}: ${r.failed.length} left on the queue${r.error ? ` (${r.error})` : ''}; they come back after ${visibility} s`,
          );
        }
      },
      onError: (err) => print(`event source mapping: ${(err as Error).message}`),
    });
    eventSource.start();
    stoppers.push(() => eventSource.stop());

    const scheduleName = (tenant: string) => `zcops-snapshot-${tenant}`;
    const scheduler = new LocalScheduler({
      schedules: options.schedules === false ? [] : config.snapshotSchedules,
      events,
      ...(options.scheduleEveryMs !== undefined ? { everyMs: options.scheduleEveryMs } : {}),
      scheduleName,
      log: print,
      ...(options.onScheduleFired ? { onFired: options.onScheduleFired } : {}),
    });
    scheduler.start();
    stoppers.push(() => scheduler.stop());

    const firstTenant = config.tenants[0]?.name ?? LOCAL_TENANT;
    const asgSource = config.sources.find((s) => s.kind === 'autoscaling');
    // The connector is named after its instance by default. A terminate given the instance's
    // private IP names none: the worker then asks EC2 (the stand-in) for the IP and finds the
    // connector by it, as with a hook whose metadata names only the group.
    const terminateDefaults = {
      asgName: asgSource?.asgNames?.[0] ?? config.autoscaling.asgNames[0] ?? LOCAL_ASG_NAME,
      metadata: {
        tenant: firstTenant,
        groupId: asgSource?.allowedGroups?.[0] ?? LOCAL_ASG_GROUP_ID,
        connectorName: 'aws-{instanceId}',
      },
    };
    const registerTerminating = (t: TerminatingInstance) => {
      if (!controlPlane) return;
      const privateIp = t.privateIp ?? addressOf(t.instanceId);
      controlPlane.addInstance({ instanceId: t.instanceId, privateIp, state: 'shutting-down' });
      controlPlane.addLifecycleAction({
        asgName: t.asgName,
        hookName: t.hookName,
        token: t.token,
        instanceId: t.instanceId,
      });
      print(
        `aws stand-in: ${t.instanceId} (${privateIp}) is terminating in ${t.asgName}, hook ${t.hookName} pending`,
      );
    };
    const http: RunningHttpServer = await startLocalHttpServer({
      webhook,
      events,
      port: options.port ?? 8787,
      ...(options.host ? { host: options.host } : {}),
      terminateDefaults,
      onTerminate: registerTerminating,
      scheduleName,
      log: print,
    });
    stoppers.push(() => http.stop());

    const profile: TargetProfile = {
      v: 1,
      kind: 'local',
      region: REGION,
      endpoints: {
        dynamodb: ddb.endpoint,
        sqs: fq.endpoint,
        s3: fq.endpoint,
        http: http.url,
        ...(simulator ? { simulator: simulator.url } : {}),
      },
      tables: resources.tables,
      queues: { jobsUrl: resources.queues.jobsUrl, dlqUrl: resources.queues.dlqUrl },
      bucket: resources.bucket,
      config: {
        ...runtimeConfigObject(config),
        snapshotSchedules: config.snapshotSchedules,
        worker: config.worker,
      },
      forceDryRun,
      pid: process.pid,
      startedAt: new Date().toISOString(),
    };
    const profilePath = join(stateDir, 'local.json');
    if (options.writeProfile !== false) {
      writeFileSync(profilePath, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
      stoppers.push(async () => rmSync(profilePath, { force: true }));
    }
    // Connection pools of the Zscaler clients are closed last.
    stoppers.unshift(() => closeAll());

    const environments = {
      webhook: functionEnvironment(wiring, 'webhook'),
      events: functionEnvironment(wiring, 'events'),
      worker: functionEnvironment(wiring, 'worker'),
    };
    return {
      dynalite: ddb,
      url: http.url,
      config,
      profile,
      resources,
      simulator,
      forceDryRun,
      tenantMode: real ? 'real' : 'simulator',
      aws,
      scheduler,
      eventSource,
      handlers: { webhook, events, worker },
      deps,
      environment: environments.worker,
      environments,
      lifecycle,
      controlPlane,
      itsm,
      emitTerminate: (input) => {
        const { privateIp, ...event } = input;
        const t: TerminatingInstance = {
          asgName: event.asgName ?? terminateDefaults.asgName,
          hookName: event.hookName ?? 'zcops-teardown',
          instanceId: event.instanceId,
          token: event.token ?? randomUUID(),
          ...(privateIp ? { privateIp } : {}),
        };
        registerTerminating(t);
        return events(
          terminateLifecycleEvent({
            metadata: privateIp
              ? withoutConnectorName(terminateDefaults.metadata)
              : terminateDefaults.metadata,
            ...event,
            asgName: t.asgName,
            hookName: t.hookName,
            token: t.token,
          }),
        );
      },
      runSchedule: (tenant) => scheduler.fire(tenant ?? firstTenant),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** The metadata without its connector name: the connector is then found by the instance's IP. */
function withoutConnectorName(metadata: Record<string, unknown>): Record<string, unknown> {
  const { connectorName: _, ...rest } = metadata;
  return rest;
}

/** A stable private address for an instance given none: 10.x.y.z from its id (never .0 or .255). */
function addressOf(instanceId: string): string {
  const [a = 0, b = 0, c = 0] = createHash('sha256').update(instanceId).digest();
  return `10.${a}.${b}.${(c % 254) + 1}`;
}

export { LOCAL_PROFILE_PATH };
