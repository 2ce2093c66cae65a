/**
 * `npm run bench:pipeline`: the pipeline's own cost on the local stack, each figure next to a
 * baseline measured in the same run on this machine:
 * - intake: `POST /v1/requests` (authenticate, validate, authorise, dedupe, record, audit, enqueue)
 *   throughput and p50/p99 latency, against the same local HTTP server answering `GET /local/health`
 *   (no intake at all);
 * - worker: time per job apart from Zscaler's own (handler time minus the Zscaler calls' latency),
 *   one job per invocation, against a job that needs no Zscaler work (a message of a request already
 *   settled);
 * - cost per deletion as deployed: a burst of N deletions through the worker with the configured
 *   batch size, concurrency and coalescing window, then the same with coalescing off; the DynamoDB
 *   and SQS requests per deletion, by operation and table, counted by loopback proxies in front of
 *   dynalite and fauxqs.
 * The simulator's rate limits are off and the limiter's windows scaled down (×1000), so no job waits
 * for a permit: the figures are zcops' own overhead. Prints a table, writes
 * bench/results/pipeline.json, and ends with one JSON line
 * `{"bench":"pipeline","intakePerSec":…,"intakeP50Ms":…,"intakeP99Ms":…,"workerOverheadMsPerJob":…,"ddbPerJob":…,"sqsPerJob":…,"ddbPerIntake":…,"ddbPerDelete":…,"sqsPerDelete":…}`
 * (intake's DynamoDB requests are counted at dynalite itself).
 *
 * Options (environment): PIPELINE_REQUESTS (default 400), PIPELINE_CONCURRENCY (default 16);
 * PIPELINE_TRACE=1 prints every counted DynamoDB request (operation, table, key) to stderr;
 * PIPELINE_DEBUG=1 prints progress while waiting.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createHandler as createWorkerHandler } from '../functions/worker/handler.ts';
import { SqsEventSourceMapping } from '../local/event-source-mapping.ts';
import { workerDeps } from '../local/function-deps.ts';
import { defaultLocalConfig, LOCAL_TENANT } from '../local/local-config.ts';
import { simulatorTenantSecrets, sourceSecrets } from '../local/secrets.ts';
import { startLocalStack } from '../local/stack.ts';
import { MemoryLifecycleCompleter } from '../shared/intake/lifecycle-completer.ts';
import type { MetricsSink } from '../shared/observability/metrics-sink.ts';
import { isFinal } from '../shared/requests/state-machine.ts';
import { awsClients } from '../shared/wiring/aws-clients.ts';
import { WorkerMetrics } from '../shared/worker/worker-metrics.ts';
import type { CallHooks } from '../shared/zscaler/hooks.ts';
import { percentile, round } from './lib/stats.ts';
import { formatTable } from './lib/table.ts';

const N = Number(process.env.PIPELINE_REQUESTS ?? '400');
const CONCURRENCY = Number(process.env.PIPELINE_CONCURRENCY ?? '16');
const DAY_MS = 86_400_000;

/**
 * A loopback proxy that counts the requests it forwards, in total and by what `classify` names them
 * (DynamoDB: operation and table, SQS: operation), so the table can show where the requests go.
 */
async function countingProxy(
  target: string,
  tables: Record<string, string> = {},
): Promise<{ url: string; count: () => number; by: () => Map<string, number>; close(): Promise<void> }> {
  const to = new URL(target);
  let n = 0;
  const by = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    n++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const what = classify(req.headers, Buffer.concat(chunks), tables);
      by.set(what, (by.get(what) ?? 0) + 1);
      const out = httpRequest(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      out.on('error', () => res.destroy());
      out.end(Buffer.concat(chunks));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => n,
    by: () => new Map(by),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `GetItem requests`, `SendMessage`: the operation (JSON protocols' X-Amz-Target) and the table. */
function classify(
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  tables: Record<string, string>,
): string {
  const target = String(headers['x-amz-target'] ?? '');
  const op = target.split('.').pop() || 'unknown';
  let table = '';
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { TableName?: string; RequestItems?: object };
    const names = parsed.TableName ? [parsed.TableName] : Object.keys(parsed.RequestItems ?? {});
    table = names.length > 0 ? ` ${names.map((n) => tables[n] ?? n).join('+')}` : '';
    if (process.env.PIPELINE_TRACE && names.length > 0) {
      const p = parsed as {
        Key?: { pk?: { S?: string } };
        Item?: { pk?: { S?: string }; requestId?: { S?: string }; type?: { S?: string } };
      };
      console.error(
        `[trace] ${op}${table} ${p.Key?.pk?.S ?? p.Item?.pk?.S ?? `${p.Item?.requestId?.S ?? ''} ${p.Item?.type?.S ?? ''}`}`,
      );
    }
  } catch {}
  return `${op}${table}`;
}

function inline(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

/** `{before, after}` counts per key, divided by `per`, largest first. */
function perKey(
  before: Map<string, number>,
  after: Map<string, number>,
  per: number,
): Record<string, number> {
  const out: [string, number][] = [];
  for (const [k, v] of after) {
    const d = v - (before.get(k) ?? 0);
    if (d > 0) out.push([k, round(d / per, 2)]);
  }
  return Object.fromEntries(out.sort((a, b) => b[1] - a[1]));
}

/** Records only what the bench needs: the Zscaler calls' latency. */
class ZscalerTime extends WorkerMetrics {
  totalMs = 0;
  calls = 0;
  constructor() {
    const none: MetricsSink = { count() {}, milliseconds() {}, flush() {} };
    super(none);
  }
  override callHooks(): CallHooks {
    return {
      after: (r) => {
        this.totalMs += r.latencyMs;
        this.calls++;
      },
    };
  }
}

async function timed<T>(concurrency: number, items: readonly T[], run: (item: T) => Promise<void>) {
  const latencies: number[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        const t0 = performance.now();
        await run(item);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    perSec: items.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

const stateDir = mkdtempSync(join(tmpdir(), 'zcops-pipeline-'));
const base = defaultLocalConfig('http://127.0.0.1:1');
const stack = await startLocalStack({
  stateDir,
  port: 0,
  writeProfile: false,
  schedules: false,
  // No permit waits and no deletion cap (HELD): the figures are the pipeline's own work.
  config: {
    ...base,
    rateLimits: { ...base.rateLimits, timeScale: 1000 },
    guardrails: { ...base.guardrails, deletionsPerHour: 1_000_000 },
  },
  simulator: { seed: 'docs', rateLimits: false },
  pollWaitSeconds: 1,
  logLevel: 'CRITICAL',
});
const proxies: Awaited<ReturnType<typeof countingProxy>>[] = [];
try {
  // The worker is measured on its own below; the stack's poller stays off during intake.
  await stack.eventSource.stop();
  // A long poll the stopped poller left open at fauxqs would take the first message: let it lapse.
  await new Promise((r) => setTimeout(r, 1_500));
  const sim = stack.simulator!;
  const group = [...sim.state.appConnectorGroups.values()][0]!;
  let made = 0;
  /** N disconnected connectors of one group, idle long enough for deletion. */
  const connectors = () =>
    Array.from({ length: N }, () => {
      const c = sim.state.addConnector({ groupId: group.id, name: `bench-${made++}` });
      sim.state.setConnectorStatus(c.id, 'DISCONNECTED', Date.now() - 20 * DAY_MS);
      return c.id;
    });
  const ids = connectors();
  const token = readFileSync(join(stateDir, 'api.token'), 'utf8').trim();
  const headers = {
    authorization: `Bearer ${token}`,
    'x-zcops-source': 'api',
    'content-type': 'application/json',
  };

  const progress = (line: string) => console.error(`[pipeline] ${line}`);
  progress(`stack up; ${N} requests, ${CONCURRENCY} concurrent`);
  // ---- intake vs the bare HTTP server ----
  const health = await timed(CONCURRENCY, ids, async () => {
    const r = await fetch(`${stack.url}/local/health`);
    await r.arrayBuffer();
  });
  progress(`baseline: ${round(health.perSec, 1)} GET /local/health per s`);
  const submitDelete = async (id: string, into: string[]) => {
    const r = await fetch(`${stack.url}/v1/requests`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        action: 'appConnector.delete',
        tenant: LOCAL_TENANT,
        reason: 'bench',
        connector: { id },
      }),
    });
    const body = (await r.json()) as { requestId?: string };
    if (r.status !== 202 || !body.requestId) throw new Error(`intake answered ${r.status}`);
    into.push(body.requestId);
  };
  const requestIds: string[] = [];
  // Intake's DynamoDB calls, counted at dynalite itself (the worker's poller is stopped, so intake is
  // the only one talking to it now).
  const intakeDdb0 = stack.dynalite.requests();
  const intakeBy0 = stack.dynalite.byOperation();
  const intake = await timed(CONCURRENCY, ids, (id) => submitDelete(id, requestIds));

  const intakeDdb = stack.dynalite.requests() - intakeDdb0;
  const intakeBy = perKey(intakeBy0, stack.dynalite.byOperation(), N);
  progress(`intake: ${round(intake.perSec, 1)} POST /v1/requests per s`);
  // ---- worker: DynamoDB and SQS through counting proxies ----
  const tableLabels = Object.fromEntries(
    Object.entries(stack.resources.tables).map(([label, name]) => [name, label]),
  );
  const ddbProxy = await countingProxy(stack.profile.endpoints.dynamodb!, tableLabels);
  const sqsProxy = await countingProxy(stack.profile.endpoints.sqs!);
  proxies.push(ddbProxy, sqsProxy);
  const endpoints = {
    region: stack.profile.region,
    dynamodb: ddbProxy.url,
    sqs: sqsProxy.url,
    s3: sqsProxy.url,
  };
  const aws = awsClients(endpoints);
  const zscaler = new ZscalerTime();
  /** The worker as deployed, but for the coalescing window (0: one deletion at a time). */
  const depsFor = (deletionWindowMs: number, timeScale: number, workerMetrics?: WorkerMetrics) =>
    workerDeps(
      {
        config: {
          ...stack.config,
          rateLimits: { ...stack.config.rateLimits, timeScale },
          worker: { ...stack.config.worker, deletionWindowMs },
        },
        endpoints,
        aws,
        names: {
          tables: stack.resources.tables,
          jobsQueueUrl: stack.resources.queues.jobsUrl,
          bucket: stack.resources.bucket,
        },
        secrets: { ...sourceSecrets(stack.config, stateDir), ...simulatorTenantSecrets(stack.config) },
        logLevel: 'CRITICAL',
      },
      {
        services: { lifecycle: new MemoryLifecycleCompleter() },
        ...(workerMetrics ? { workerMetrics } : {}),
      },
    );
  // The timing run: one deletion at a time, so an invocation is one job.
  let worker = createWorkerHandler(depsFor(0, 1000, zscaler));
  let handlerMs = 0;
  let invocations = 0;
  // One record per invocation by default: the handler's time is one job's time.
  const mapping = (batch = { batchSize: 1, maxConcurrency: 1 }) =>
    new SqsEventSourceMapping({
      sqs: aws.sqs,
      queueUrl: stack.resources.queues.jobsUrl,
      queueArn: stack.resources.queues.jobsArn,
      region: stack.profile.region,
      ...batch,
      waitTimeSeconds: 1,
      onError: (err) => progress(`event source mapping: ${(err as Error).message}`),
      onBatch: (r) => {
        if (r.error || r.failed.length > 0) progress(`batch failed: ${r.error ?? r.failed.join(',')}`);
      },
      handler: async (event) => {
        const t0 = performance.now();
        try {
          return await worker(event);
        } finally {
          handlerMs += performance.now() - t0;
          invocations++;
        }
      },
    });
  const until = async (what: string, done: () => Promise<boolean>) => {
    const limit = Date.now() + 300_000;
    while (!(await done())) {
      if (Date.now() > limit) throw new Error(`${what}: not done after 300 s (${invocations} invocations)`);
      if (process.env.PIPELINE_DEBUG) progress(`${what}: ${invocations} invocations`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  // Progress is read directly from dynalite (the stack's own wiring), not through the counting proxy.
  const { store } = stack.deps.worker;
  const allFinal = async (of = requestIds) => {
    for (const id of of) {
      const r = await store.get(id);
      if (!r || !isFinal(r.state)) return false;
    }
    return true;
  };

  const ddb0 = ddbProxy.count();
  const sqs0 = sqsProxy.count();
  const workStart = performance.now();
  let esm = mapping();
  esm.start();
  await until('jobs', async () => invocations >= N && (await allFinal()));
  progress(`worker: ${invocations} jobs in ${Math.round(performance.now() - workStart)} ms`);
  await esm.stop();
  const jobWallMs = performance.now() - workStart;
  const job = {
    handlerMs,
    zscalerMs: zscaler.totalMs,
    calls: zscaler.calls,
    ddb: ddbProxy.count() - ddb0,
    sqs: sqsProxy.count() - sqs0,
    invocations,
    wallMs: jobWallMs,
  };

  // ---- baseline: a job with no Zscaler work (the message of a request already settled) ----
  // The stopped mapping's last long poll may still be open at fauxqs: let it lapse first.
  await new Promise((r) => setTimeout(r, 1_500));
  handlerMs = 0;
  invocations = 0;
  const ddb1 = ddbProxy.count();
  const sqs1 = sqsProxy.count();
  for (const id of requestIds) {
    await aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.resources.queues.jobsUrl,
        MessageBody: JSON.stringify({
          v: 1,
          requestId: id,
          tenant: LOCAL_TENANT,
          action: 'appConnector.delete',
          enqueuedAt: new Date().toISOString(),
          deferrals: 0,
        }),
      }),
    );
  }
  const sends = requestIds.length;
  // A stopped mapping does not restart (its long polls are aborted for good): a new one.
  esm = mapping();
  esm.start();
  await until('baseline jobs', async () => invocations >= N);
  await esm.stop();
  const idle = {
    handlerMs,
    ddb: ddbProxy.count() - ddb1,
    sqs: sqsProxy.count() - sqs1 - sends,
    invocations,
  };

  // ---- cost per deletion as deployed: the configured batch size and concurrency, a burst of N ----
  /** N fresh deletions through intake, then the worker as deployed; requests counted per deletion. */
  const costRun = async (label: string, deletionWindowMs: number) => {
    await new Promise((r) => setTimeout(r, 1_500));
    const burst: string[] = [];
    await timed(CONCURRENCY, connectors(), (id) => submitDelete(id, burst));
    // Windows of 1 s for Zscaler's 10 s ones: many jobs at once meet the limiter as deployed, whose
    // 30 ms minimum margin a ×1000 window (10 ms) could never leave.
    worker = createWorkerHandler(depsFor(deletionWindowMs, 10));
    invocations = 0;
    const d0 = ddbProxy.count();
    const q0 = sqsProxy.count();
    const dBy0 = ddbProxy.by();
    const qBy0 = sqsProxy.by();
    const t0 = performance.now();
    const run = mapping({
      batchSize: stack.config.worker.batchSize,
      maxConcurrency: stack.config.worker.maxConcurrency,
    });
    run.start();
    await until(label, () => allFinal(burst)).catch(async (err) => {
      const states = new Map<string, number>();
      for (const id of burst) {
        const r = await store.get(id);
        const k = `${r?.state} ${r?.stateReason ?? ''}`.slice(0, 120);
        states.set(k, (states.get(k) ?? 0) + 1);
      }
      progress(`${label}: ${JSON.stringify([...states])}`);
      throw err;
    });
    await run.stop();
    const settled = (await Promise.all(burst.map((id) => store.get(id)))).filter(
      (r) => r?.state === 'SUCCEEDED',
    ).length;
    progress(
      `${label}: ${N} deletions in ${Math.round(performance.now() - t0)} ms, ${invocations} invocations`,
    );
    return {
      ddb: round((ddbProxy.count() - d0) / N, 2),
      sqs: round((sqsProxy.count() - q0) / N, 2),
      invocations: round(invocations / N, 3),
      succeeded: settled,
      ddbBy: perKey(dBy0, ddbProxy.by(), N),
      sqsBy: perKey(qBy0, sqsProxy.by(), N),
    };
  };
  const coalesced = await costRun('cost, coalesced', stack.config.worker.deletionWindowMs);
  const oneByOne = await costRun('cost, one by one', 0);
  aws.destroy();

  const succeeded = (await Promise.all(requestIds.map((id) => store.get(id)))).filter(
    (r) => r?.state === 'SUCCEEDED',
  ).length;
  const overhead = (job.handlerMs - job.zscalerMs) / job.invocations;
  const result = {
    bench: 'pipeline',
    intakePerSec: round(intake.perSec, 1),
    intakeP50Ms: round(intake.p50, 2),
    intakeP99Ms: round(intake.p99, 2),
    workerOverheadMsPerJob: round(overhead, 2),
    ddbPerJob: round(job.ddb / job.invocations, 2),
    sqsPerJob: round(job.sqs / job.invocations, 2),
    /** DynamoDB requests per accepted `POST /v1/requests` (dedupe, record, audit, state). */
    ddbPerIntake: round(intakeDdb / N, 2),
    /**
     * Per connector deletion (`appConnector.delete`, a burst of N through the worker as deployed:
     * batch size, concurrency, coalescing window): the worker's DynamoDB and SQS requests.
     */
    ddbPerDelete: coalesced.ddb,
    sqsPerDelete: coalesced.sqs,
    /** The same burst with coalescing off (`deletionWindowMs` 0). */
    oneByOne: { ddbPerDelete: oneByOne.ddb, sqsPerDelete: oneByOne.sqs },
  };
  const rows: (string | number)[][] = [
    [
      'intake: POST /v1/requests',
      result.intakePerSec,
      result.intakeP50Ms,
      result.intakeP99Ms,
      '-',
      result.ddbPerIntake,
      '-',
    ],
    [
      'baseline: GET /local/health (same server, no intake)',
      round(health.perSec, 1),
      round(health.p50, 2),
      round(health.p99, 2),
      '-',
      '-',
      '-',
    ],
    [
      'worker: appConnector.delete (overhead = handler − Zscaler)',
      round((job.invocations / job.wallMs) * 1000, 1),
      round(job.handlerMs / job.invocations, 2),
      '-',
      result.workerOverheadMsPerJob,
      result.ddbPerJob,
      result.sqsPerJob,
    ],
    [
      'baseline: worker job with no Zscaler work (request already settled)',
      '-',
      round(idle.handlerMs / idle.invocations, 2),
      '-',
      round(idle.handlerMs / idle.invocations, 2),
      round(idle.ddb / idle.invocations, 2),
      round(idle.sqs / idle.invocations, 2),
    ],
  ];
  console.log(
    formatTable(
      ['what', 'per s', 'p50 / mean ms', 'p99 ms', 'overhead ms/job', 'DynamoDB/job', 'SQS/job'],
      rows,
    ),
  );
  console.log(
    `\nPer accepted intake request, DynamoDB by operation: ${inline(intakeBy)}` +
      `\nPer deletion (burst of ${N}, batch size ${stack.config.worker.batchSize}, concurrency ${stack.config.worker.maxConcurrency}):` +
      `\n  coalesced (window ${stack.config.worker.deletionWindowMs} ms), ${coalesced.invocations} invocations, ${coalesced.succeeded}/${N} SUCCEEDED` +
      `\n    DynamoDB ${coalesced.ddb}: ${inline(coalesced.ddbBy)}\n    SQS ${coalesced.sqs}: ${inline(coalesced.sqsBy)}` +
      `\n  one by one, ${oneByOne.invocations} invocations, ${oneByOne.succeeded}/${N} SUCCEEDED` +
      `\n    DynamoDB ${oneByOne.ddb}: ${inline(oneByOne.ddbBy)}\n    SQS ${oneByOne.sqs}: ${inline(oneByOne.sqsBy)}`,
  );
  console.log(
    `\n${N} requests, ${CONCURRENCY} concurrent submissions; worker: batch size 1, one poller; ${job.calls} Zscaler calls (${round(job.zscalerMs / job.invocations, 2)} ms per job); ${succeeded}/${N} SUCCEEDED.` +
      '\nWorker figures count DynamoDB and SQS requests at loopback proxies (rate limiter, requests, audit and control items; receive and delete).',
  );
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'pipeline.json'),
    `${JSON.stringify(
      {
        ...result,
        requests: N,
        concurrency: CONCURRENCY,
        baseline: {
          healthPerSec: round(health.perSec, 1),
          healthP50Ms: round(health.p50, 2),
          healthP99Ms: round(health.p99, 2),
          idleJobMs: round(idle.handlerMs / idle.invocations, 2),
          idleDdbPerJob: round(idle.ddb / idle.invocations, 2),
          idleSqsPerJob: round(idle.sqs / idle.invocations, 2),
        },
        perDelete: {
          batchSize: stack.config.worker.batchSize,
          maxConcurrency: stack.config.worker.maxConcurrency,
          deletionWindowMs: stack.config.worker.deletionWindowMs,
          coalesced,
          oneByOne,
        },
        intakeDdbByOperation: intakeBy,
        worker: {
          handlerMsPerJob: round(job.handlerMs / job.invocations, 2),
          zscalerMsPerJob: round(job.zscalerMs / job.invocations, 2),
          zscalerCallsPerJob: round(job.calls / job.invocations, 2),
          succeeded,
        },
      },
      null,
      2,
    )}\n`,
  );
  console.log(JSON.stringify(result));
} finally {
  for (const p of proxies) await p.close();
  await stack.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
