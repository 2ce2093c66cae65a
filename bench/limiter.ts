/**
 * `npm run bench:limiter`: zcops' shared limiter against the SDK approach and no limiter, with many
 * concurrent workers deleting App Connectors from the simulator, which enforces ZPA's documented write
 * limit (10 per 10 s, per organisation) time-scaled. Workers share nothing but DynamoDB (dynalite): each
 * has its own Zscaler client, connection pool, DynamoDB client and limiter; the job list stands in for
 * the queue. Prints a table, writes bench/results/limiter.{json,svg}, and ends with one JSON line.
 */

import { type ChildProcess, fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TenantConfig } from '../shared/config/tenant.ts';
import { systemClock } from '../shared/core/clock.ts';
import { DynamoDbRateLimitStore } from '../shared/ratelimit/dynamodb-store.ts';
import { createRateLimitHooks } from '../shared/ratelimit/hooks.ts';
import { RateLimiter } from '../shared/ratelimit/limiter.ts';
import { RateLimits } from '../shared/ratelimit/limits.ts';
import { rateLimitTableDefinition } from '../shared/ratelimit/table.ts';
import { NotFoundError, RetryLaterError } from '../shared/zscaler/errors.ts';
import { closeAll, createZpaClient } from '../shared/zscaler/factory.ts';
import { type CallHooks, composeHooks } from '../shared/zscaler/hooks.ts';
import { SIMULATOR_CREDENTIALS } from '../simulator/credentials.ts';
import { jitteryLatency, LatentRateLimitStore } from './lib/latent-store.ts';
import { bucketCounts, percentile, round } from './lib/stats.ts';
import { type PlotPanel, svgLinePanels } from './lib/svg-plot.ts';
import { formatTable } from './lib/table.ts';

/** ZPA's 10 s windows become 500 ms: 20 writes per second allowed. */
const TIME_SCALE = 20;
const LIMIT = 10;
const WINDOW_MS = 10_000 / TIME_SCALE;
const ALLOWED_PER_SEC = LIMIT / (WINDOW_MS / 1000);
/** Longest limiter wait a worker sleeps (5 s here is 100 s unscaled); longer waits are deferred. */
const MAX_SLEEP_MS = 5_000;
const BIG_RUN = { workers: 50, deletes: 400 };
const SMALL_RUNS = [
  { workers: 1, deletes: 30 },
  { workers: 10, deletes: 60 },
];
const STRATEGIES = ['zcops', 'sdkStyle', 'noLimiter'] as const;
/**
 * The latency scenario: zcops with every limiter request delayed 0–200 ms (real, not scaled: 0–4 s
 * of production time at this scale), 2% of them stalled 2 s more, split at random between the way to
 * DynamoDB and the way back.
 */
const LATENCY_RUN = { workers: 10, deletes: 200, maxMs: 200, stallMs: 2_000, stallChance: 0.02 };
type Strategy = (typeof STRATEGIES)[number] | 'zcopsSlowStore';

interface RunResult {
  strategy: Strategy;
  /** Permits refused by the limiter (each a deferral in a worker): contention, lateness, budget. */
  giveUps: number;
  /** Limiter requests that took longer than 1 s (the injected stalls). */
  stalls: number;
  workers: number;
  deletes: number;
  completed: number;
  throttled429: number;
  fraction: number;
  ddbPerPermit: number;
  waitP50Ms: number;
  waitP99Ms: number;
  elapsedMs: number;
  /** Seconds since start of every write answered 2xx, and of every 429. */
  okTimes: number[];
  tooManyTimes: number[];
}

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, 'results');

/** The SDKs' approach: a sliding window per process at the full documented limit. */
function slidingWindowHook(limit: number, windowMs: number): CallHooks {
  const sent: number[] = [];
  return {
    async before(call) {
      if (call.rateClass === 'none') return 0;
      let waited = 0;
      for (;;) {
        const now = Date.now();
        while (sent.length > 0 && sent[0]! <= now - windowMs) sent.shift();
        if (sent.length < limit) break;
        const wait = sent[0]! + windowMs - now;
        await systemClock.sleep(wait);
        waited += wait;
      }
      sent.push(Date.now());
      return waited;
    },
  };
}

/** Dynalite and the simulators, in a child process (see limiter-services.ts). */
class Services {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, (m: Record<string, unknown>) => void>();
  private next = 1;
  readonly ddbEndpoint: Promise<string>;

  constructor() {
    this.child = fork(join(here, 'limiter-services.ts'), {
      env: { ...process.env, BENCH_TIME_SCALE: String(TIME_SCALE) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.ddbEndpoint = new Promise((resolve) => this.pending.set(0, (m) => resolve(String(m.ddbEndpoint))));
    this.child.on('message', (m: Record<string, unknown>) => {
      const id = Number(m.id);
      this.pending.get(id)?.(m);
      this.pending.delete(id);
    });
  }

  call(command: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ id, ...command });
    });
  }
}

async function run(
  strategy: Strategy,
  workers: number,
  deletes: number,
  services: Services,
  tableNo: number,
): Promise<RunResult> {
  const ddbEndpoint = await services.ddbEndpoint;
  const sim = (await services.call({ op: 'sim', connectors: deletes })) as { url: string; ids: string[] };
  const tableName = `bench-limiter-${tableNo}`;
  const ddbCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  if (strategy === 'zcops' || strategy === 'zcopsSlowStore') {
    const admin = new DynamoDBClient({
      endpoint: ddbEndpoint,
      region: 'us-east-1',
      credentials: ddbCredentials,
    });
    await admin.send(new CreateTableCommand(rateLimitTableDefinition(tableName)));
    admin.destroy();
  }
  const tenant: TenantConfig = {
    name: 'bench',
    zpa: { cloud: 'PRODUCTION', customerId: SIMULATOR_CREDENTIALS.zpa.customerId, baseUrl: sim.url },
    secretName: 'bench',
  };
  const credentials = {
    authType: 'legacy' as const,
    clientId: SIMULATOR_CREDENTIALS.zpa.clientId,
    clientSecret: SIMULATOR_CREDENTIALS.zpa.clientSecret,
  };
  const queue = [...sim.ids];
  // Windows are time-scaled; this machine's jitter (event loop, loopback, load) is not: keep the
  // absolute margin at its production 50 ms of real time rather than 50 / TIME_SCALE.
  const limits = RateLimits.from({ timeScale: TIME_SCALE, minMarginMs: 50 * TIME_SCALE });
  const okTimes: number[] = [];
  const tooManyTimes: number[] = [];
  const jobWaits: number[] = [];
  const stores: DynamoDbRateLimitStore[] = [];
  const slowStores: LatentRateLimitStore[] = [];
  let giveUps = 0;
  const ddbClients: DynamoDBClient[] = [];
  let permits = 0;
  let completed = 0;
  let lastDone = 0;

  let startedAt = 0;
  const warm: Promise<void>[] = [];
  let go!: () => void;
  const ready = new Promise<void>((resolve) => {
    go = resolve;
  });
  const worker = async () => {
    let httpMs = 0;
    let warming = true;
    const observe: CallHooks = {
      after(r) {
        if (r.call.rateClass === 'none' || warming) return;
        httpMs += r.latencyMs;
        const t = (Date.now() - startedAt) / 1000;
        if (r.status === 429) tooManyTimes.push(t);
        else if (r.ok) okTimes.push(t);
      },
    };
    let hooks: CallHooks;
    let store: DynamoDbRateLimitStore | undefined;
    if (strategy === 'zcops' || strategy === 'zcopsSlowStore') {
      const client = new DynamoDBClient({
        endpoint: ddbEndpoint,
        region: 'us-east-1',
        credentials: ddbCredentials,
      });
      ddbClients.push(client);
      store = new DynamoDbRateLimitStore({ client, tableName });
      stores.push(store);
      const slow =
        strategy === 'zcopsSlowStore'
          ? new LatentRateLimitStore(store, systemClock, jitteryLatency(Math.random, LATENCY_RUN))
          : undefined;
      if (slow) slowStores.push(slow);
      const limiter = new RateLimiter({ store: slow ?? store, limits });
      const limiterHooks = createRateLimitHooks(limiter, { maxSleepMs: MAX_SLEEP_MS });
      hooks = composeHooks(
        {
          async before(call) {
            if (warming) return 0;
            const waited = await limiterHooks.before!(call);
            if (call.rateClass !== 'none') permits++;
            return waited;
          },
          after: limiterHooks.after!,
        },
        observe,
      );
    } else if (strategy === 'sdkStyle') {
      hooks = composeHooks(slidingWindowHook(LIMIT, WINDOW_MS), observe);
    } else {
      hooks = observe;
    }
    // The other strategies' only defence is retrying 429s, honouring Retry-After.
    const retry =
      strategy !== 'sdkStyle' && strategy !== 'noLimiter'
        ? { maxTotalWaitMs: MAX_SLEEP_MS }
        : { maxAttempts: 1_000, maxTotalWaitMs: 600_000 };
    const zpa = createZpaClient({ tenant, credentials, hooks, retry, http: { connectionsPerOrigin: 1 } });
    // Warm up like a Lambda past its first invocation: token, HTTP connection, DynamoDB client.
    // Nothing here touches a budget or is counted.
    const warmup = (async () => {
      await zpa.appConnectors.get(sim.ids[0]!).catch(() => undefined);
      if (store) {
        await store.read('warmup/zpa/write');
        store.requests = 0;
      }
    })();
    warm.push(warmup);
    await warmup;
    await ready;
    warming = false;
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const t0 = Date.now();
      httpMs = 0;
      for (let tries = 0; ; tries++) {
        try {
          await zpa.appConnectors.delete(id);
          break;
        } catch (err) {
          if (err instanceof NotFoundError) break;
          if (err instanceof RetryLaterError) {
            giveUps++;
            await systemClock.sleep(err.notBefore - Date.now());
            continue;
          }
          if (tries > 20) throw err;
          await systemClock.sleep(50);
        }
      }
      completed++;
      lastDone = Date.now();
      jobWaits.push(Math.max(0, lastDone - t0 - httpMs));
    }
  };
  const running = Array.from({ length: workers }, worker);
  while (warm.length < workers) await systemClock.sleep(5);
  await Promise.all(warm);
  startedAt = Date.now();
  go();
  await Promise.all(running);
  const elapsedMs = lastDone - startedAt;
  for (const c of ddbClients) c.destroy();
  await services.call({ op: 'stopSim', url: sim.url });
  const ddbRequests = stores.reduce((n, s) => n + s.requests, 0);
  return {
    strategy,
    giveUps,
    stalls: slowStores.reduce((n, x) => n + x.stalls, 0),
    workers,
    deletes,
    completed,
    throttled429: tooManyTimes.length,
    fraction: round(completed / (elapsedMs / 1000) / ALLOWED_PER_SEC, 3),
    ddbPerPermit: permits === 0 ? 0 : round(ddbRequests / permits, 3),
    waitP50Ms: Math.round(percentile(jobWaits, 50)),
    waitP99Ms: Math.round(percentile(jobWaits, 99)),
    elapsedMs,
    okTimes,
    tooManyTimes,
  };
}

async function main(): Promise<void> {
  const benchStart = Date.now();
  const services = new Services();
  const rows: RunResult[] = [];
  let table = 0;
  try {
    for (const size of [...SMALL_RUNS, BIG_RUN]) {
      for (const strategy of STRATEGIES) {
        const r = await run(strategy, size.workers, size.deletes, services, table++);
        rows.push(r);
        process.stderr.write(`  ${strategy} x${size.workers}: ${r.completed} in ${r.elapsedMs} ms\n`);
      }
    }
    const slow = await run('zcopsSlowStore', LATENCY_RUN.workers, LATENCY_RUN.deletes, services, table++);
    rows.push(slow);
    process.stderr.write(`  zcopsSlowStore x${slow.workers}: ${slow.completed} in ${slow.elapsedMs} ms\n`);
  } finally {
    await closeAll();
    await services.call({ op: 'exit' });
  }

  console.log(
    `Limiter benchmark: ZPA writes ${LIMIT}/${WINDOW_MS} ms (10/10 s at time scale ${TIME_SCALE}), ` +
      `${ALLOWED_PER_SEC}/s allowed; waits in scaled ms\n`,
  );
  console.log(
    formatTable(
      [
        'workers',
        'strategy',
        'deletes',
        '429s',
        'give-ups',
        'fraction',
        'ddb/permit',
        'wait p50',
        'wait p99',
        'elapsed ms',
      ],
      rows.map((r) => [
        r.workers,
        r.strategy,
        r.completed,
        r.throttled429,
        r.giveUps,
        r.fraction,
        r.ddbPerPermit,
        r.waitP50Ms,
        r.waitP99Ms,
        r.elapsedMs,
      ]),
    ),
  );

  console.log(
    `\nzcopsSlowStore: every limiter request takes 0–${LATENCY_RUN.maxMs} ms (real), ` +
      `${LATENCY_RUN.stallChance * 100}% stall ${LATENCY_RUN.stallMs} ms more; give-ups are permits refused (deferrals).`,
  );
  const big = rows.filter((r) => r.workers === BIG_RUN.workers && r.strategy !== 'zcopsSlowStore');
  const pick = (r: RunResult) => ({
    completed: r.completed,
    throttled429: r.throttled429,
    fraction: r.fraction,
    ddbPerPermit: r.ddbPerPermit,
    waitP50Ms: r.waitP50Ms,
    waitP99Ms: r.waitP99Ms,
  });
  const results = Object.fromEntries(big.map((r) => [r.strategy, pick(r)]));
  const slowRow = rows.find((r) => r.strategy === 'zcopsSlowStore')!;
  // fraction: deletes completed per second over the documented allowance (1 = the floor's pace).
  const latency = {
    giveUps: slowRow.giveUps,
    throttled429: slowRow.throttled429,
    fraction: slowRow.fraction,
    workers: slowRow.workers,
    deletes: slowRow.completed,
    stalls: slowRow.stalls,
    ddbPerPermit: slowRow.ddbPerPermit,
  };
  const summary = { bench: 'limiter', workers: BIG_RUN.workers, results, latency };

  const end = Math.max(...big.map((r) => r.elapsedMs)) / 1000;
  const bucket = 0.25;
  const perSec = (times: number[]) =>
    bucketCounts(times, 0, end, bucket).map(([x, c]) => [x, c / bucket] as [number, number]);
  const panels: PlotPanel[] = big.map((r) => ({
    title: `${r.strategy}: ${r.throttled429} × 429, ${r.fraction} of allowed`,
    series: [
      { name: 'deletes/s (2xx)', points: perSec(r.okTimes), color: '#2ca02c' },
      { name: '429s/s', points: perSec(r.tooManyTimes), color: '#d62728' },
      {
        name: `allowed ${ALLOWED_PER_SEC}/s`,
        points: [
          [0, ALLOWED_PER_SEC],
          [end, ALLOWED_PER_SEC],
        ],
        color: '#888',
        dashed: true,
      },
    ],
  }));
  const svg = svgLinePanels({
    title: `${BIG_RUN.workers} workers deleting ${BIG_RUN.deletes} connectors, ZPA write limit (time-scaled ${TIME_SCALE}×)`,
    xLabel: 'seconds',
    yLabel: 'per second',
    panels,
  });
  await mkdir(resultsDir, { recursive: true });
  await writeFile(join(resultsDir, 'limiter.svg'), svg);
  await writeFile(
    join(resultsDir, 'limiter.json'),
    `${JSON.stringify(
      {
        ...summary,
        timeScale: TIME_SCALE,
        allowedPerSec: ALLOWED_PER_SEC,
        maxSleepMs: MAX_SLEEP_MS,
        latencyScenario: LATENCY_RUN,
        runMs: Date.now() - benchStart,
        rows: rows.map((r) => ({
          strategy: r.strategy,
          workers: r.workers,
          giveUps: r.giveUps,
          elapsedMs: r.elapsedMs,
          ...pick(r),
        })),
      },
      null,
      2,
    )}\n`,
  );
  console.log(
    `\nplot: bench/results/limiter.svg, data: bench/results/limiter.json (${Date.now() - benchStart} ms)`,
  );
  console.log(JSON.stringify(summary));
}

await main();
