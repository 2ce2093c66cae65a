import { randomUUID } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandler } from '../../../functions/worker/handler.ts';
import { MemoryAuditLog } from '../../../shared/audit/memory-audit-log.ts';
import { WorkerConfigSchema } from '../../../shared/config/worker.ts';
import { MemoryControlStore } from '../../../shared/guardrails/memory-control-store.ts';
import type { Job } from '../../../shared/jobs/job.ts';
import type { JobRegistry } from '../../../shared/jobs/registry.ts';
import { WORKER_METRIC_NAMES, WORKER_SERVICE_NAME } from '../../../shared/observability/metric-names.ts';
import type { MetricsSink } from '../../../shared/observability/metrics-sink.ts';
import { createMetricsSink } from '../../../shared/observability/powertools-metrics-sink.ts';
import { RateLimiter } from '../../../shared/ratelimit/limiter.ts';
import { RateLimits } from '../../../shared/ratelimit/limits.ts';
import { MemoryRateLimitStore } from '../../../shared/ratelimit/memory-store.ts';
import { serializeJobMessage } from '../../../shared/requests/job-message.ts';
import { MemoryJobQueue } from '../../../shared/requests/memory-job-queue.ts';
import { MemoryRequestStore } from '../../../shared/requests/memory-request-store.ts';
import { type CanonicalRequestInput, CanonicalRequestSchema } from '../../../shared/requests/request.ts';
import type { RequestRecord } from '../../../shared/requests/request-record.ts';
import { targetOf } from '../../../shared/requests/target.ts';
import { MemorySecretSource } from '../../../shared/secrets/memory-secret-source.ts';
import type { WorkerDeps } from '../../../shared/worker/deps.ts';
import { WorkerMetrics } from '../../../shared/worker/worker-metrics.ts';
import type { ZscalerCallResult } from '../../../shared/zscaler/hooks.ts';
import { manualClock } from '../../fixtures/manual-clock.ts';
import { quietLogger } from '../../fixtures/quiet-logger.ts';
import { SERVICENOW_SOURCE } from './memory-worker.ts';

// The worker handler end to end over in-memory stores, with Zscaler answered by undici's MockAgent
// (no network), and the EMF records Powertools writes to stdout captured and parsed.

const ORIGIN = 'http://zpa.test';
const ROOT = '/mgmtconfig/v1/admin/customers/123';
const CONNECTOR = '217246660303024871';
const SECRET = 'zcops/tenants/acme';

interface Emf {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  service: string;
  [metric: string]: unknown;
}

const silent = quietLogger();

let agent: MockAgent;
let stdout: string[];
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  stdout = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await agent.close();
});

/** Every EMF record written to stdout since the test began. */
const emfRecords = (): Emf[] =>
  stdout
    .join('')
    .split('\n')
    .filter((line) => line.includes('"CloudWatchMetrics"'))
    .map((line) => JSON.parse(line) as Emf);

/** A metric's values in one record (a single value or Powertools' value list). */
const values = (record: Emf, name: string): number[] => {
  const v = record[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? (v as number[]) : [v as number];
};

function setup(options: { jobs?: JobRegistry } = {}) {
  const c = manualClock(1_750_000_000_000);
  const store = new MemoryRequestStore(c);
  const queue = new MemoryJobQueue();
  const limiter = new RateLimiter({ store: new MemoryRateLimitStore(), limits: RateLimits.from(), clock: c });
  const config = WorkerConfigSchema.parse({
    tenants: [{ name: 'acme', secretName: SECRET, zpa: { customerId: '123', baseUrl: ORIGIN } }],
    sources: [SERVICENOW_SOURCE],
    // One by one: the batches below delete twice in a row, which would otherwise be coalesced.
    worker: { deletionWindowMs: 0 },
  });
  const deps: WorkerDeps = {
    config,
    store,
    audit: new MemoryAuditLog(c),
    queue,
    control: new MemoryControlStore(),
    limiter,
    secrets: new MemorySecretSource({
      [SECRET]: { zpa: { authType: 'legacy', clientId: 'client-id', clientSecret: 'client-secret' } },
    }),
    clock: c,
    logger: silent,
    client: { http: { dispatcher: agent }, retry: { maxAttempts: 1 } },
    metrics: new WorkerMetrics(createMetricsSink(WORKER_SERVICE_NAME)),
    ...(options.jobs ? { jobs: options.jobs } : {}),
  };
  const handler = createHandler(deps);

  /** Records a QUEUED delete request (as intake would) and answers its SQS record. */
  const submit = async (receiveCount = 1) => {
    const input: CanonicalRequestInput = {
      action: 'appConnector.delete',
      tenant: 'acme',
      reason: 'decommission',
      source: { kind: 'itsm', name: 'servicenow', ref: 'CHG0001' },
      connector: { id: CONNECTOR },
    } as CanonicalRequestInput;
    const request = CanonicalRequestSchema.parse(input);
    const at = new Date(c.now()).toISOString();
    const record: RequestRecord = {
      requestId: randomUUID(),
      state: 'QUEUED',
      tenant: request.tenant,
      action: request.action,
      target: targetOf(request),
      ticket: 'CHG0001',
      sourceName: 'servicenow',
      sourceKind: 'itsm',
      request,
      attempts: 0,
      deferrals: 0,
      createdAt: at,
      updatedAt: at,
    };
    await store.create(record);
    const body = serializeJobMessage({
      v: 1,
      requestId: record.requestId,
      tenant: 'acme',
      action: request.action,
      enqueuedAt: at,
      deferrals: 0,
    });
    return { record, sqsRecord: { body, receiveCount, messageId: `m-${record.requestId}` } };
  };
  return { deps, store, queue, limiter, handler, submit };
}

function sqsEvent(records: { body: string; receiveCount: number; messageId: string }[]): SQSEvent {
  return {
    Records: records.map((r) => ({
      messageId: r.messageId,
      receiptHandle: `rh-${r.messageId}`,
      body: r.body,
      attributes: {
        ApproximateReceiveCount: String(r.receiveCount),
        SentTimestamp: '1750000000000',
        SenderId: 'AIDA',
        ApproximateFirstReceiveTimestamp: '1750000000000',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:jobs',
      awsRegion: 'eu-west-1',
    })),
  };
}

const zpa = () => agent.get(ORIGIN);
const signin = () =>
  zpa()
    .intercept({ path: '/signin', method: 'POST' })
    .reply(200, { token_type: 'Bearer', access_token: 'tok-1', expires_in: '3600' });
const getConnector = () => zpa().intercept({ path: `${ROOT}/connector/${CONNECTOR}`, method: 'GET' });

describe('worker metrics (EMF on stdout, one record per invocation)', () => {
  it('a request that ends FAILED: RequestsFailed 1, the limiter wait of each rate-limited call, the job duration', async () => {
    const t = setup();
    // Spend the tenant's ZPA read slot so the job's GET waits for the next one (pure spacing).
    const first = await t.limiter.acquire(
      { tenant: 'acme', api: 'zpa', rateClass: 'read' },
      { maxWaitMs: 0 },
    );
    expect(first.ok).toBe(true);
    signin();
    getConnector().reply(400, { id: 'invalid.input', reason: 'the connector id is not valid' });
    const { record, sqsRecord } = await t.submit();

    const response = await t.handler(sqsEvent([sqsRecord]));

    expect(response.batchItemFailures).toEqual([]);
    expect((await t.store.get(record.requestId))?.state).toBe('FAILED');
    const records = emfRecords();
    expect(records).toHaveLength(1);
    const emf = records[0]!;
    expect(emf.service).toBe(WORKER_SERVICE_NAME);
    expect(emf._aws.CloudWatchMetrics).toHaveLength(1);
    const directive = emf._aws.CloudWatchMetrics[0]!;
    expect(directive.Namespace).toBe('zcops');
    expect(directive.Dimensions).toEqual([['service']]);
    expect(Object.fromEntries(directive.Metrics.map((m) => [m.Name, m.Unit]))).toEqual({
      [WORKER_METRIC_NAMES.requestsFailed]: 'Count',
      [WORKER_METRIC_NAMES.limiterWaitMs]: 'Milliseconds',
      [WORKER_METRIC_NAMES.jobDurationMs]: 'Milliseconds',
    });
    expect(values(emf, WORKER_METRIC_NAMES.requestsFailed)).toEqual([1]);
    // One rate-limited call (the GET; sign-in is not limited), which waited for its slot.
    const waits = values(emf, WORKER_METRIC_NAMES.limiterWaitMs);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(values(emf, WORKER_METRIC_NAMES.jobDurationMs)).toHaveLength(1);
    expect(emf[WORKER_METRIC_NAMES.zscalerRateLimited]).toBeUndefined();
    expect(emf[WORKER_METRIC_NAMES.requestsSucceeded]).toBeUndefined();
  });

  it('a 429 from Zscaler: ZscalerRateLimited 1 and the job deferred, nothing failed', async () => {
    const t = setup();
    signin();
    getConnector().reply(
      429,
      { id: 'rate.limited', reason: 'too many requests' },
      { headers: { 'retry-after': '13s' } },
    );
    const { record, sqsRecord } = await t.submit();

    const response = await t.handler(sqsEvent([sqsRecord]));

    expect(response.batchItemFailures).toEqual([]);
    expect((await t.store.get(record.requestId))?.state).toBe('DEFERRED');
    expect(t.queue.messages).toHaveLength(1);
    const [emf] = emfRecords();
    expect(emf).toBeDefined();
    expect(values(emf!, WORKER_METRIC_NAMES.zscalerRateLimited)).toEqual([1]);
    expect(values(emf!, WORKER_METRIC_NAMES.requestsDeferred)).toEqual([1]);
    expect(values(emf!, WORKER_METRIC_NAMES.limiterWaitMs)).toEqual([0]);
    expect(emf![WORKER_METRIC_NAMES.requestsFailed]).toBeUndefined();
    expect(emf!._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name).sort()).toEqual(
      [
        WORKER_METRIC_NAMES.zscalerRateLimited,
        WORKER_METRIC_NAMES.limiterWaitMs,
        WORKER_METRIC_NAMES.requestsDeferred,
        WORKER_METRIC_NAMES.jobDurationMs,
      ].sort(),
    );
  });

  it('a record that cannot be processed on its last receive: DEAD_LETTERED counts as failed, and it is reported', async () => {
    const crashing: Job<'appConnector.delete'> = {
      action: 'appConnector.delete',
      plan: async () => {
        throw new TypeError('cannot read properties of undefined');
      },
      execute: async () => ({ status: 'succeeded', result: {} }),
    };
    const t = setup({ jobs: { 'appConnector.delete': crashing } });
    const last = t.deps.config.worker.maxReceiveCount;
    const { record, sqsRecord } = await t.submit(last);

    const response = await t.handler(sqsEvent([sqsRecord]));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: sqsRecord.messageId }]);
    expect((await t.store.get(record.requestId))?.state).toBe('DEAD_LETTERED');
    const [emf] = emfRecords();
    expect(values(emf!, WORKER_METRIC_NAMES.requestsFailed)).toEqual([1]);
    expect(values(emf!, WORKER_METRIC_NAMES.jobDurationMs)).toHaveLength(1);
  });

  it('flushes per invocation: a second batch gets its own record, nothing carried over; an idle batch writes none', async () => {
    const t = setup();
    // Each run builds its own client, so each signs in.
    for (let i = 0; i < 2; i++) {
      signin();
      getConnector().reply(404, { id: 'resource.not.found', reason: 'gone' });
    }
    const a = await t.submit();
    await t.handler(sqsEvent([a.sqsRecord]));
    const b = await t.submit();
    await t.handler(sqsEvent([b.sqsRecord]));
    await t.handler(sqsEvent([]));

    const records = emfRecords();
    expect(records).toHaveLength(2);
    for (const emf of records) {
      expect(values(emf, WORKER_METRIC_NAMES.requestsSucceeded)).toEqual([1]);
      expect(values(emf, WORKER_METRIC_NAMES.jobDurationMs)).toHaveLength(1);
    }
    expect(stdout.join('')).not.toMatch(/No application metrics/);
  });

  it('never writes a credential or token into a metric record', async () => {
    const t = setup();
    signin();
    getConnector().reply(400, { id: 'invalid.input', reason: 'bad' });
    const { sqsRecord } = await t.submit();
    await t.handler(sqsEvent([sqsRecord]));
    const text = stdout.join('');
    expect(text).not.toContain('client-secret');
    expect(text).not.toContain('tok-1');
  });
});

describe('WorkerMetrics (what each event counts as)', () => {
  const recording = () => {
    const seen: string[] = [];
    const sink: MetricsSink = {
      count: (name, value = 1) => seen.push(`${name}+${value}`),
      milliseconds: (name, ms) => seen.push(`${name}=${ms}`),
      flush: () => seen.push('flush'),
    };
    return { seen, metrics: new WorkerMetrics(sink) };
  };
  const result = (over: Partial<ZscalerCallResult>): ZscalerCallResult => ({
    call: {
      tenant: 'acme',
      api: 'zpa',
      method: 'GET',
      path: '/connector/1',
      operation: 'appConnector.get',
      rateClass: 'read',
      idempotent: true,
      attempt: 1,
    },
    ok: true,
    status: 200,
    latencyMs: 12,
    limiterWaitMs: 40,
    ...over,
  });

  it('maps settled states, deferrals and calls to their metrics', async () => {
    const { seen, metrics } = recording();
    for (const state of ['SUCCEEDED', 'FAILED', 'DEAD_LETTERED', 'REJECTED', 'HELD', 'RUNNING'] as const)
      metrics.settled(state);
    metrics.deferred();
    const hooks = metrics.callHooks();
    await hooks.after?.(result({}));
    await hooks.after?.(result({ ok: false, status: 429, limiterWaitMs: 0 }));
    await hooks.after?.(result({ call: { ...result({}).call, rateClass: 'none' }, limiterWaitMs: 0 }));
    metrics.flush();
    expect(seen).toEqual([
      'RequestsSucceeded+1',
      'RequestsFailed+1',
      'RequestsFailed+1',
      'RequestsRejected+1',
      'RequestsHeld+1',
      'RequestsDeferred+1',
      'LimiterWaitMs=40',
      'LimiterWaitMs=0',
      'ZscalerRateLimited+1',
      'flush',
    ]);
  });

  it('never throws into the run loop when the sink fails', async () => {
    const broken: MetricsSink = {
      count: () => {
        throw new RangeError('too many metrics');
      },
      milliseconds: () => {
        throw new RangeError('too many metrics');
      },
      flush: () => {
        throw new Error('stdout closed');
      },
    };
    const metrics = new WorkerMetrics(broken);
    expect(() => metrics.settled('FAILED')).not.toThrow();
    expect(() => metrics.jobDuration(5)).not.toThrow();
    await expect(
      Promise.resolve(metrics.callHooks().after?.(result({ status: 429 }))),
    ).resolves.toBeUndefined();
    expect(() => metrics.flush()).not.toThrow();
  });
});
