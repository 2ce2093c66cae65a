/**
 * `npm run bench:pipeline`: the pipeline's own cost on the local stack, each figure next to a
 * baseline measured in the same run on this machine:
 * - intake: `POST /v1/requests` (authenticate, validate, authorise, dedupe, record, audit, enqueue)
 *   throughput and p50/p99 latency, against the same local HTTP server answering `GET /local/health`
 *   (no intake at all);
 * - worker: time per job apart from Zscaler's own (handler time minus the Zscaler calls' latency),
 *   against a job that needs no Zscaler work (a message of a request already settled), and the
 *   DynamoDB and SQS requests per job, counted by loopback proxies in front of dynalite and fauxqs.
 * The simulator's rate limits are off and the limiter's windows scaled down (×1000), so no job waits
 * for a permit: the figures are zcops' own overhead. Prints a table, writes
 * bench/results/pipeline.json, and ends with one JSON line
 * `{"bench":"pipeline","intakePerSec":…,"intakeP50Ms":…,"intakeP99Ms":…,"workerOverheadMsPerJob":…,"ddbPerJob":…,"sqsPerJob":…,"ddbPerIntake":…,"ddbPerDelete":…,"sqsPerDelete":…}`
 * (intake's DynamoDB requests are counted at dynalite itself).
 *
 * Options (environment): PIPELINE_REQUESTS (default 400), PIPELINE_CONCURRENCY (default 16).
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

/** A loopback proxy that counts the requests it forwards (DynamoDB: by X-Amz-Target). */
async function countingProxy(
  target: string,
): Promise<{ url: string; count: () => number; close(): Promise<void> }> {
  const to = new URL(target);
  let n = 0;
  const server: Server = createServer((req, res) => {
    n++;
    const out = httpRequest(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => n,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
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
  const ids = Array.from({ length: N }, (_, i) => {
    const c = sim.state.addConnector({ groupId: group.id, name: `bench-${i}` });
    sim.state.setConnectorStatus(c.id, 'DISCONNECTED', Date.now() - 20 * DAY_MS);
    return c.id;
  });
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
  const requestIds: string[] = [];
  // Intake's DynamoDB calls, counted at dynalite itself (the worker's poller is stopped, so intake is
  // the only one talking to it now).
  const intakeDdb0 = stack.dynalite.requests();
  const intake = await timed(CONCURRENCY, ids, async (id) => {
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
    requestIds.push(body.requestId);
  });

  const intakeDdb = stack.dynalite.requests() - intakeDdb0;
  progress(`intake: ${round(intake.perSec, 1)} POST /v1/requests per s`);
  // ---- worker: DynamoDB and SQS through counting proxies ----
  const ddbProxy = await countingProxy(stack.profile.endpoints.dynamodb!);
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
  const deps = workerDeps(
    {
      config: stack.config,
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
    { services: { lifecycle: new MemoryLifecycleCompleter() }, workerMetrics: zscaler },
  );
  const worker = createWorkerHandler(deps);
  let handlerMs = 0;
  let invocations = 0;
  const mapping = () =>
    new SqsEventSourceMapping({
      sqs: aws.sqs,
      queueUrl: stack.resources.queues.jobsUrl,
      queueArn: stack.resources.queues.jobsArn,
      region: stack.profile.region,
      // One record per invocation: the handler's time is one job's time.
      batchSize: 1,
      maxConcurrency: 1,
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
  const allFinal = async () => {
    for (const id of requestIds) {
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
    /** Per connector deletion (one `appConnector.delete` job): the worker's DynamoDB and SQS requests. */
    ddbPerDelete: round(job.ddb / job.invocations, 2),
    sqsPerDelete: round(job.sqs / job.invocations, 2),
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
