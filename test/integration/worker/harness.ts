import { randomUUID } from 'node:crypto';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { QuietMetrics } from '../../../local/quiet-metrics.ts';
import { type RunningDynalite, startDynalite } from '../../../local/services/dynalite.ts';
import type { AuditLog } from '../../../shared/audit/audit-log.ts';
import type { AuditEvent } from '../../../shared/audit/events.ts';
import { AUDIT_TABLE } from '../../../shared/audit/table.ts';
import type { TenantConfig } from '../../../shared/config/tenant.ts';
import type { WorkerConfig } from '../../../shared/config/worker.ts';
import type { Clock } from '../../../shared/core/clock.ts';
import type { ControlStore } from '../../../shared/guardrails/control-store.ts';
import type { JobLogger } from '../../../shared/jobs/job.ts';
import { rateLimitTableDefinition } from '../../../shared/ratelimit/table.ts';
import type { JobQueue } from '../../../shared/requests/job-queue.ts';
import { MemoryJobQueue } from '../../../shared/requests/memory-job-queue.ts';
import { type CanonicalRequestInput, CanonicalRequestSchema } from '../../../shared/requests/request.ts';
import { newRequestRecord, type RequestRecord } from '../../../shared/requests/request-record.ts';
import type { RequestStore } from '../../../shared/requests/request-store.ts';
import { REQUESTS_TABLE } from '../../../shared/requests/table.ts';
import { targetOf } from '../../../shared/requests/target.ts';
import { MemorySecretSource } from '../../../shared/secrets/memory-secret-source.ts';
import { ensureTable } from '../../../shared/storage/dynamo.ts';
import { awsClients } from '../../../shared/wiring/aws-clients.ts';
import { workerFromEnv } from '../../../shared/wiring/worker-deps.ts';
import type { WorkerDeps } from '../../../shared/worker/deps.ts';
import { type RunResult, runJobMessage } from '../../../shared/worker/run-job.ts';
import { closeAll } from '../../../shared/zscaler/factory.ts';
import {
  type GenerateOptions,
  type RunningSimulator,
  SIMULATOR_CREDENTIALS,
  startSimulator,
} from '../../../simulator/index.ts';

export const TENANT = 'sim';
export const CREDENTIALS_SECRET = 'zcops/tenants/sim';

// The clock shared by the simulator, the limiter and the worker: time moves when a test says so.
import { manualClock } from '../../fixtures/manual-clock.ts';
import { quietLogger } from '../../fixtures/quiet-logger.ts';

export function simTenant(url: string, auth: 'legacy' | 'oneapi' = 'legacy'): TenantConfig {
  return {
    name: TENANT,
    secretName: CREDENTIALS_SECRET,
    zpa: {
      cloud: 'PRODUCTION',
      customerId: SIMULATOR_CREDENTIALS.zpa.customerId,
      baseUrl: auth === 'legacy' ? url : `${url}/zpa`,
    },
    ztw: { cloud: 'zscalertwo.net', baseUrl: auth === 'legacy' ? `${url}/api/v1` : `${url}/ztw/api/v1` },
  };
}

function simCredentials(url: string, auth: 'legacy' | 'oneapi') {
  const { clientId, clientSecret, vanityDomain } = SIMULATOR_CREDENTIALS.zpa;
  if (auth === 'legacy') {
    return {
      zpa: { authType: 'legacy', clientId, clientSecret },
      ztw: { authType: 'legacy', ...SIMULATOR_CREDENTIALS.ztw },
    };
  }
  const oneapi = {
    authType: 'oneapi',
    clientId,
    clientSecret,
    vanityDomain,
    tokenUrl: `${url}/oauth2/v1/token`,
    audience: 'https://api.zscaler.com',
  };
  return { zpa: oneapi, ztw: oneapi };
}

/** Sources of the test config: an ITSM source that may force, an autoscaling one that may not. */
export const SOURCES = [
  {
    name: 'servicenow',
    kind: 'itsm',
    secretName: 'zcops/sources/servicenow',
    allowedActions: [
      'appConnector.delete',
      'appConnector.bulkDelete',
      'appConnector.cleanup',
      'ecVm.delete',
      'appConnectorGroup.create',
      'pccGroup.create',
    ],
    allowedTenants: ['*'],
    mayForce: true,
  },
  {
    name: 'asg',
    kind: 'autoscaling',
    allowedActions: ['appConnector.delete'],
    allowedTenants: ['*'],
  },
];

export const silentLogger: JobLogger & { lines: string[] } = quietLogger();

export interface Harness {
  sim: RunningSimulator;
  ddb: RunningDynalite;
  clock: Clock & { advance(ms: number): void };
  deps: WorkerDeps;
  queue: MemoryJobQueue;
  store: RequestStore;
  audit: AuditLog;
  control: ControlStore;
  config: WorkerConfig;
  /** Records a QUEUED request (as intake would) and puts its job on the queue. */
  submit(
    request: CanonicalRequestInput,
    options?: { state?: RequestRecord['state'] },
  ): Promise<RequestRecord>;
  /** Delivers the queued message due first, moving the clock to its due time if it is later. */
  deliverNext(receiveCount?: number): Promise<RunResult | Error>;
  /** Takes the message due first without running it (tests deliver it themselves, maybe twice). */
  takeNext(): { body: string; dueAt: number };
  /** Delivers every queued message, advancing the clock to each one's delay, until none is left. */
  drain(options?: { max?: number }): Promise<(RunResult | Error)[]>;
  trail(requestId: string): Promise<AuditEvent[]>;
  /** Zscaler writes the simulator served (method + path). */
  writes(): string[];
  stop(): Promise<void>;
}

let tableSeq = 0;

/** Starts the simulator and dynalite over loopback and builds real worker deps against them. */
export async function startHarness(
  options: {
    seed?: GenerateOptions;
    config?: Record<string, unknown>;
    simRateLimits?: boolean;
    /** A real queue (fauxqs) instead of the in-memory one; then use `poll`-style delivery, not `drain`. */
    queue?: JobQueue;
    /** How the tenant authenticates (default legacy: ZPA /signin, ZTW session). */
    auth?: 'legacy' | 'oneapi';
  } = {},
): Promise<Harness> {
  const clock = manualClock();
  const sim = await startSimulator({
    seed: options.seed ?? {
      connectors: 0,
      groups: 2,
      ecGroups: 2,
      vmsPerGroup: 3,
      pccGroups: 1,
      cloudConnectorGroups: 0,
    },
    rateLimits: options.simRateLimits ?? false,
    clock,
  });
  const ddb = await startDynalite();
  // S3, EC2 and Auto Scaling point at a closed loopback port: a test that needs them sets
  // `deps.services`, any other use fails at once instead of reaching AWS.
  const closed = 'http://127.0.0.1:9';
  const aws = awsClients(
    {
      region: 'us-east-1',
      dynamodb: ddb.endpoint,
      sqs: closed,
      s3: closed,
      autoscaling: closed,
      ec2: closed,
    },
    { maxAttempts: 1 },
  );
  const suffix = `${process.pid}-${tableSeq++}`;
  const names = { requests: `req-${suffix}`, audit: `audit-${suffix}`, rl: `rl-${suffix}` };
  await ensureTable(aws.dynamodb, REQUESTS_TABLE, names.requests);
  await ensureTable(aws.dynamodb, AUDIT_TABLE, names.audit);
  await aws.dynamodb.send(new CreateTableCommand(rateLimitTableDefinition(names.rl)));
  const queue = new MemoryJobQueue();
  // The worker as Lambda wires it, from the environment it would get, with the test's seams.
  const deps = workerFromEnv(
    {
      REQUESTS_TABLE: names.requests,
      AUDIT_TABLE: names.audit,
      RATELIMIT_TABLE: names.rl,
      JOBS_QUEUE_URL: 'memory://jobs',
      ZCOPS_CONFIG: JSON.stringify({
        tenants: [simTenant(sim.url, options.auth)],
        sources: SOURCES,
        ...options.config,
        // One by one unless a test turns coalescing on (tests submit several deletions at the same instant).
        worker: { deletionWindowMs: 0, ...(options.config?.worker as object) },
      }),
    },
    {
      aws,
      clock,
      queue: options.queue ?? queue,
      secrets: new MemorySecretSource({
        [CREDENTIALS_SECRET]: simCredentials(sim.url, options.auth ?? 'legacy'),
      }),
      metrics: (service) => new QuietMetrics(service),
      logger: silentLogger,
      client: { retry: { maxAttempts: 1 } },
    },
  );
  const { config, store, audit, control } = deps;

  const delivered = new Set<string>();
  const dueAt = new Map<string, number>();
  const send = queue.send.bind(queue);
  queue.send = async (message, opts = {}) => {
    const out = await send(message, opts);
    dueAt.set(out.messageId, clock.now() + (opts.delaySeconds ?? 0) * 1000);
    return out;
  };
  const takeNext = () => {
    const pending = queue.messages.filter((x) => !delivered.has(x.messageId));
    if (pending.length === 0) throw new Error('no message to deliver');
    pending.sort((a, b) => (dueAt.get(a.messageId) ?? 0) - (dueAt.get(b.messageId) ?? 0));
    const m = pending[0]!;
    delivered.add(m.messageId);
    const due = dueAt.get(m.messageId) ?? 0;
    if (due > clock.now()) clock.advance(due - clock.now());
    return { body: m.body, dueAt: due };
  };
  const h: Harness = {
    sim,
    ddb,
    clock,
    deps,
    queue,
    store,
    audit,
    control,
    config,
    async submit(input, opts = {}) {
      const request = CanonicalRequestSchema.parse(input);
      const at = new Date(clock.now()).toISOString();
      const record = newRequestRecord({
        requestId: randomUUID(),
        state: opts.state ?? 'QUEUED',
        request,
        target: targetOf(request),
        ticket: request.source.ref,
        sourceName: request.source.name,
        sourceKind: request.source.kind,
        at,
      });
      await store.create(record);
      await deps.queue.send({
        v: 1,
        requestId: record.requestId,
        tenant: record.tenant,
        action: record.action,
        enqueuedAt: at,
        deferrals: 0,
      });
      return record;
    },
    takeNext,
    async deliverNext(receiveCount = 1) {
      const m = takeNext();
      try {
        return await runJobMessage(deps, { body: m.body, receiveCount });
      } catch (err) {
        return err as Error;
      }
    },
    async drain(opts = {}) {
      const out: (RunResult | Error)[] = [];
      for (let i = 0; i < (opts.max ?? 50); i++) {
        if (!queue.messages.some((x) => !delivered.has(x.messageId))) break;
        out.push(await h.deliverNext());
      }
      return out;
    },
    trail: (requestId) => audit.byRequest(requestId),
    writes: () =>
      sim.callLog.filter((e) => e.api !== 'auth' && e.method !== 'GET').map((e) => `${e.method} ${e.path}`),
    async stop() {
      await closeAll();
      aws.destroy();
      await sim.stop();
      await ddb.stop();
    },
  };
  return h;
}

/** A canonical request from the ITSM source, with defaults filled in. */
export function itsm(fields: Record<string, unknown>, ref = 'CHG0001'): CanonicalRequestInput {
  return {
    tenant: TENANT,
    reason: 'test',
    source: { kind: 'itsm', name: 'servicenow', ref },
    ...fields,
  } as CanonicalRequestInput;
}

/** A Job message body as SQS delivers it, for handler tests. */
export function sqsEvent(records: { body: string; receiveCount?: number; messageId?: string }[]): SQSEvent {
  return {
    Records: records.map((r, i) => ({
      messageId: r.messageId ?? `m-${i}`,
      receiptHandle: `rh-${i}`,
      body: r.body,
      attributes: {
        ApproximateReceiveCount: String(r.receiveCount ?? 1),
        SentTimestamp: '0',
        SenderId: 'test',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:jobs',
      awsRegion: 'us-east-1',
    })),
  };
}
