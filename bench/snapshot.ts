/**
 * `npm run bench:snapshot`: an inventory snapshot of a simulated tenant of 50,000 App Connectors in
 * 2,000 groups, through the shared rate limiter (DynamoDB state on dynalite) into S3 (fauxqs), with
 * ZPA's and ZTW's documented limits time-scaled on both the simulator and the limiter.
 *
 * The simulator, dynalite and fauxqs run in a child process (this file with `--services`), so the
 * peak RSS measured here is the snapshot's own. Two snapshots run: a baseline, then one that diffs
 * against it (the steady state, which also loads the previous index); the second is the one judged.
 *
 * Prints calls made against the minimum possible (every list at its largest page size), the span of
 * the ZPA reads against the rate-limit floor (`floorMs`: the documented rate, the first window not
 * free, see there), the wall time in parts (setup, reads, finish), peak RSS and the load average;
 * writes bench/results/snapshot.{json,svg}; the last line is one JSON object `{"bench":"snapshot",...}`.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { TenantConfig } from '../shared/config/tenant.ts';
import { systemClock } from '../shared/core/clock.ts';
import type { SnapshotCheckpoint } from '../shared/jobs/inventory-snapshot/progress.ts';
import { SnapshotInterruptedError, takeSnapshot } from '../shared/jobs/inventory-snapshot/take-snapshot.ts';
import { createRateLimitHooks } from '../shared/ratelimit/hooks.ts';
import { RateLimits } from '../shared/ratelimit/limits.ts';
import { rateLimitTableDefinition } from '../shared/ratelimit/table.ts';
import { S3ObjectStore } from '../shared/snapshots/s3-object-store.ts';
import type { SnapshotResult } from '../shared/snapshots/snapshot-writer.ts';
import { awsClients } from '../shared/wiring/aws-clients.ts';
import { buildRateLimiter } from '../shared/wiring/rate-limiter.ts';
import { RateLimitedError, RetryLaterError } from '../shared/zscaler/errors.ts';
import { closeAll, createZpaClient, createZtwClient } from '../shared/zscaler/factory.ts';
import { ZPA_MAX_PAGE_SIZE } from '../shared/zscaler/zpa/paging.ts';
import { ZTW_MAX_PAGE_SIZE } from '../shared/zscaler/ztw/client.ts';
import { bucketCounts, percentile, round } from './lib/stats.ts';
import { svgLinePanels } from './lib/svg-plot.ts';
import { formatTable } from './lib/table.ts';

/** ZPA's 10 s windows become 2 s: 20 reads per 2 s allowed. */
const TIME_SCALE = 5;
const TENANT = {
  connectors: 50_000,
  groups: 2_000,
  ecGroups: 20,
  vmsPerGroup: 2,
  pccGroups: 10,
  cloudConnectorGroups: 10,
  seed: 7,
};
/** ZPA GET: 20 per 10 s (documented), time-scaled. */
const ZPA_READ = { limit: 20, windowMs: 10_000 / TIME_SCALE };
const BUCKET = 'bench-snapshots';
const aws = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, 'results');

interface CallInfo {
  at: number;
  api: string;
  status?: number;
  counted: boolean;
}

// ---------------------------------------------------------------- services (child process)

async function services(): Promise<void> {
  const { startSimulator } = await import('../simulator/index.ts');
  const { startFauxqsServer } = await import('../local/services/fauxqs.ts');
  const { startDynalite } = await import('../local/services/dynalite.ts');
  const sim = await startSimulator({ seed: TENANT, timeScale: TIME_SCALE, rateLimits: true });
  const fq = await startFauxqsServer();
  const ddb = await startDynalite();
  // Never outlive the bench (a crashed parent would leave the servers running).
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (m: { op: string }) => {
    if (m.op === 'reset') {
      sim.reset();
      process.send?.({ op: 'reset' });
    } else if (m.op === 'calls') {
      const calls: CallInfo[] = sim.callLog.map((c) => ({
        at: c.at,
        api: c.api,
        ...(c.status === undefined ? {} : { status: c.status }),
        counted: c.counted,
      }));
      process.send?.({ op: 'calls', calls });
    } else if (m.op === 'stop') {
      await sim.stop();
      await fq.stop();
      await ddb.stop();
      process.exit(0);
    }
  });
  process.send?.({ op: 'ready', simUrl: sim.url, s3: fq.endpoint, ddb: ddb.endpoint });
}

class Services {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<string, (m: Record<string, unknown>) => void>();

  constructor() {
    this.#child = fork(fileURLToPath(import.meta.url), ['--services'], {
      // The services are not measured: they get no heap settings of the measured process.
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (m: Record<string, unknown>) => {
      const op = String(m.op);
      this.#waiting.get(op)?.(m);
      this.#waiting.delete(op);
    });
  }

  wait(op: string): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.#waiting.set(op, resolve));
  }

  async call(op: string): Promise<Record<string, unknown>> {
    const answer = this.wait(op);
    this.#child.send({ op });
    return answer;
  }

  stop(): void {
    this.#child.send({ op: 'stop' });
  }
}

// ---------------------------------------------------------------- the measured side

/** Fewest calls possible: every list at its largest page size, ecgroups with their VMs embedded. */
function minimumCalls(): { zpa: number; ztw: number; total: number } {
  const zpa =
    Math.max(1, Math.ceil(TENANT.connectors / ZPA_MAX_PAGE_SIZE)) +
    Math.max(1, Math.ceil(TENANT.groups / ZPA_MAX_PAGE_SIZE)) +
    Math.max(1, Math.ceil(TENANT.cloudConnectorGroups / ZPA_MAX_PAGE_SIZE)) +
    Math.max(1, Math.ceil(TENANT.pccGroups / ZPA_MAX_PAGE_SIZE));
  // A short page ends ZTW paging; a count that fills whole pages needs one more (empty) page.
  const ztw = Math.floor(TENANT.ecGroups / ZTW_MAX_PAGE_SIZE) + 1;
  return { zpa, ztw, total: zpa + ztw };
}

/**
 * The rate-limit floor of the judged run: the least time the documented limit (at most `limit` ZPA
 * GETs in any window) allows between the first and the last of `n` reads when the budget is already
 * in use at the start: one call every `window / limit`, so `(n - 1) × window / limit`. The judged run
 * is the steady state: it follows a snapshot that used the same budget, and a worker never knows that
 * Zscaler's window is fresh (the budget is shared by every worker and caller behind one address), so
 * the first window is not free.
 */
function floorMs(n: number): number {
  return ((n - 1) * ZPA_READ.windowMs) / ZPA_READ.limit;
}

/**
 * The floor of a budget known to be idle at the start: the first `limit` calls at once, then one
 * window per further `limit` (printed for reference; no worker can count on it).
 */
function idleBudgetFloorMs(n: number): number {
  return Math.floor((n - 1) / ZPA_READ.limit) * ZPA_READ.windowMs;
}

/** The same span at the limiter's own schedule: its spacing, with the safety margins (3 % + 50 ms). */
function limiterFloorMs(n: number): number {
  const windows = RateLimits.from({ timeScale: TIME_SCALE }).windowsFor({
    tenant: 'bench',
    api: 'zpa',
    rateClass: 'read',
  });
  if (windows === 'unlimited') return 0;
  return (n - 1) * Math.max(...windows.map((w) => w.intervalMs));
}

async function snapshotOnce(
  label: string,
  urls: { simUrl: string; s3: string; ddb: string },
  snapshotId: string,
  svc: Services,
): Promise<{
  result: SnapshotResult;
  wallMs: number;
  startedAt: number;
  endedAt: number;
  calls: CallInfo[];
  deferrals: number;
}> {
  await svc.call('reset');
  // The worker's clients and limiter, as the wiring makes them, at the stand-ins.
  const clients = awsClients({ region: aws.region, dynamodb: urls.ddb, s3: urls.s3 });
  const table = `bench-snapshot-${label}`;
  await clients.dynamodb.send(new CreateTableCommand(rateLimitTableDefinition(table)));
  // Warm the DynamoDB connection first (a cold first request is slow; the limiter would move its
  // permit, one request more).
  await clients.dynamodb.send(new DescribeTableCommand({ TableName: table }));
  // Production margins, time-scaled like the windows: 3% plus 50 ms (10 ms at this scale).
  const limiter = buildRateLimiter(clients, table, { timeScale: TIME_SCALE }, systemClock);
  const hooks = createRateLimitHooks(limiter, { maxSleepMs: 60_000 });
  const { SIMULATOR_CREDENTIALS } = await import('../simulator/credentials.ts');
  const tenant: TenantConfig = {
    name: 'bench',
    secretName: 'bench',
    zpa: { cloud: 'PRODUCTION', customerId: SIMULATOR_CREDENTIALS.zpa.customerId, baseUrl: urls.simUrl },
    ztw: { cloud: 'zscalertwo.net', baseUrl: `${urls.simUrl}/api/v1` },
  };
  const zpa = createZpaClient({
    tenant,
    credentials: {
      authType: 'legacy',
      clientId: SIMULATOR_CREDENTIALS.zpa.clientId,
      clientSecret: SIMULATOR_CREDENTIALS.zpa.clientSecret,
    },
    hooks,
  });
  const ztw = createZtwClient({
    tenant,
    credentials: { authType: 'legacy', ...SIMULATOR_CREDENTIALS.ztw },
    hooks,
  });
  const store = new S3ObjectStore(clients.s3, BUCKET);
  const started = performance.now();
  // Epoch ms, the clock of the simulator's call log (same machine).
  const startedAt = Date.now();
  const debug = process.env.BENCH_DEBUG === '1';
  // A deferral (the limiter's "not before T", a 429) is what a worker would answer by deferring the
  // job: wait until T, then resume from the checkpoint, as the next run of the request would.
  let resume: SnapshotCheckpoint | undefined;
  let deferrals = 0;
  let result: SnapshotResult | undefined;
  while (!result) {
    try {
      result = await takeSnapshot({
        tenant: 'bench',
        store,
        zpa,
        ztw,
        snapshotId,
        clock: systemClock,
        ...(resume ? { resume } : {}),
        ...(debug
          ? {
              onPage: (kind: string, n: number) => {
                const m = process.memoryUsage();
                const mb = (b: number) => Math.round(b / 1048576);
                console.error(
                  `${Math.round(performance.now() - started)}ms ${kind} ${n} rss=${mb(m.rss)} heap=${mb(m.heapUsed)}/${mb(m.heapTotal)} ext=${mb(m.external)} ab=${mb(m.arrayBuffers)}`,
                );
              },
            }
          : {}),
      });
    } catch (error) {
      if (!(error instanceof SnapshotInterruptedError)) throw error;
      deferrals++;
      resume = error.checkpoint;
      const cause = error.cause;
      const notBefore =
        cause instanceof RetryLaterError
          ? cause.notBefore
          : Date.now() + (cause instanceof RateLimitedError ? cause.retryAfterMs : 1_000);
      console.error(`deferred (${error.message}); resuming at ${new Date(notBefore).toISOString()}`);
      await systemClock.sleep(notBefore - Date.now());
    }
  }
  if (debug) console.error(`finished at ${Math.round(performance.now() - started)}ms`);
  const wallMs = performance.now() - started;
  const endedAt = Date.now();
  await ztw.close();
  clients.destroy();
  const calls = (await svc.call('calls')).calls as CallInfo[];
  return { result, wallMs, startedAt, endedAt, calls, deferrals };
}

async function main(): Promise<void> {
  // Other work on the machine stretches every figure: recorded with them.
  const loadAverage1m = round(loadavg()[0] ?? 0, 2);
  const svc = new Services();
  const urls = (await svc.wait('ready')) as unknown as { simUrl: string; s3: string; ddb: string };
  const s3 = new S3Client({ endpoint: urls.s3, forcePathStyle: true, ...aws });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  s3.destroy();

  // process.memoryUsage.rss() reads the RSS alone; process.memoryUsage() also walks the V8 heap, and
  // every 20 ms that cost the measured process about 3 % of its CPU (a CPU profile showed it).
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 20);

  const runs: {
    label: string;
    wallMs: number;
    startedAt: number;
    endedAt: number;
    result: SnapshotResult;
    calls: CallInfo[];
    deferrals: number;
  }[] = [];
  for (const [label, id] of [
    ['baseline', 'bench-1'],
    ['with-diff', 'bench-2'],
  ] as const) {
    const run = await snapshotOnce(label, urls, id, svc);
    runs.push({ label, ...run });
  }
  clearInterval(sampler);
  await closeAll();
  svc.stop();
  // maxRSS (KiB) is the kernel's own high-water mark of this process.
  const peakRssMb = round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / (1024 * 1024), 1);

  const min = minimumCalls();
  const floor = floorMs(min.zpa);
  const rows = runs.map((r) => {
    const api = r.calls.filter((c) => c.api !== 'auth');
    const zpaTimes = api.filter((c) => c.api === 'zpa').map((c) => c.at);
    const gaps = zpaTimes.slice(1).map((t, i) => t - zpaTimes[i]!);
    const first = zpaTimes[0] ?? r.startedAt;
    const last = zpaTimes.at(-1) ?? r.endedAt;
    return {
      label: r.label,
      connectors: r.result.manifest.counts.appConnectors ?? 0,
      calls: api.length,
      counted: r.result.manifest.calls.total,
      throttled: api.filter((c) => c.status === 429).length,
      minCalls: min.total,
      wallMs: Math.round(r.wallMs),
      // The wall in three parts: before the first ZPA read (sign-in, the previous index, opening the
      // uploads), the reads themselves (what the floor bounds), after the last read (its answer, the
      // last pages written, the index, summary and manifest uploaded).
      setupMs: first - r.startedAt,
      scheduleMs: last - first,
      finishMs: r.endedAt - last,
      floorMs: floor,
      gapP50: round(percentile(gaps, 50), 1),
      gapP99: round(percentile(gaps, 99), 1),
      zpaTimes,
      diff: r.result.diffCounts.appConnectors,
      deferrals: r.deferrals,
    };
  });
  console.log(
    `snapshot of ${TENANT.connectors} App Connectors in ${TENANT.groups} groups, ${TENANT.ecGroups} ecgroups; time scale ${TIME_SCALE} (ZPA GET ${ZPA_READ.limit} per ${ZPA_READ.windowMs} ms)`,
  );
  console.log(
    formatTable(
      [
        'run',
        'connectors',
        'calls',
        'minCalls',
        'calls/min',
        '429s',
        'wallMs',
        'setupMs',
        'readsMs',
        'finishMs',
        'floorMs',
        'reads/floor',
        'wall/floor',
        'gap p50',
        'gap p99',
        'deferrals',
      ],
      rows.map((r) => [
        r.label,
        r.connectors,
        r.calls,
        r.minCalls,
        round(r.calls / r.minCalls, 3),
        r.throttled,
        r.wallMs,
        r.setupMs,
        r.scheduleMs,
        r.finishMs,
        r.floorMs,
        round(r.scheduleMs / r.floorMs, 3),
        round(r.wallMs / r.floorMs, 3),
        r.gapP50,
        r.gapP99,
        r.deferrals,
      ]),
    ),
  );
  console.log(
    `peak RSS of the snapshot process: ${peakRssMb} MB; load average (1 min) at the start: ${loadAverage1m}`,
  );
  const judged = rows[1]!;
  const targets = {
    calls: judged.calls === judged.minCalls,
    // The floor bounds the span of the reads; the wall adds sign-in, setup and the final uploads.
    reads: judged.scheduleMs <= 1.1 * judged.floorMs,
    rss: peakRssMb < 256,
  };
  console.log(
    `targets: calls = min ${targets.calls ? 'met' : 'MISSED'}; reads ≤ 1.1 × floor ${targets.reads ? 'met' : 'MISSED'}; peak RSS < 256 MB ${targets.rss ? 'met' : 'MISSED'}`,
  );
  const idle = idleBudgetFloorMs(min.zpa);
  const limiter = limiterFloorMs(min.zpa);
  console.log(
    `floor ${floor} ms = ${min.zpa - 1} intervals of ${ZPA_READ.windowMs / ZPA_READ.limit} ms (the documented rate, budget in use at the start); with an idle budget (first ${ZPA_READ.limit} at once): ${idle} ms; the limiter's own schedule (its 3 % + 50 ms margins): ${limiter} ms (${round(limiter / floor, 3)} × floor)`,
  );

  const line = {
    bench: 'snapshot',
    connectors: judged.connectors,
    calls: judged.calls,
    minCalls: judged.minCalls,
    wallMs: judged.wallMs,
    readsMs: judged.scheduleMs,
    floorMs: judged.floorMs,
    peakRssMb,
    deferrals: judged.deferrals,
    loadAverage1m,
  };
  await mkdir(resultsDir, { recursive: true });
  await writeFile(
    join(resultsDir, 'snapshot.json'),
    `${JSON.stringify(
      {
        ...line,
        timeScale: TIME_SCALE,
        nodeFlags: MEASURED_NODE_FLAGS,
        tenant: TENANT,
        minCallsByApi: min,
        idleBudgetFloorMs: idle,
        limiterFloorMs: limiter,
        targets,
        runs: rows.map(({ zpaTimes: _t, ...r }) => r),
        at: new Date().toISOString(),
      },
      null,
      2,
    )}\n`,
  );
  const panels = rows.map((r) => {
    const start = r.zpaTimes[0] ?? 0;
    const end = r.zpaTimes.at(-1) ?? start;
    const bucket = ZPA_READ.windowMs / 2;
    const perSecond = (n: number) => (n * 1000) / bucket;
    return {
      title: r.label,
      series: [
        {
          name: 'ZPA GET/s',
          points: bucketCounts(r.zpaTimes, start, end + bucket, bucket).map(
            ([t, n]) => [t / 1000, perSecond(n)] as [number, number],
          ),
        },
        {
          name: 'documented limit',
          dashed: true,
          points: [
            [0, (ZPA_READ.limit * 1000) / ZPA_READ.windowMs],
            [(end - start + bucket) / 1000, (ZPA_READ.limit * 1000) / ZPA_READ.windowMs],
          ] as [number, number][],
        },
      ],
    };
  });
  await writeFile(
    join(resultsDir, 'snapshot.svg'),
    svgLinePanels({ title: 'Snapshot: ZPA list calls per second', xLabel: 's', yLabel: 'calls/s', panels }),
  );
  console.log(JSON.stringify(line));
}

/**
 * The measured process runs with a capped V8 heap, as the worker's Lambda should (NODE_OPTIONS): a
 * snapshot whose live memory grew with the tenant would crash under it, so passing is evidence of
 * bounded memory, and RSS then reflects live memory rather than how lazily V8 collects garbage.
 */
export const MEASURED_NODE_FLAGS = ['--max-old-space-size=80', '--max-semi-space-size=4'];

if (process.argv.includes('--services')) await services();
else if (process.argv.includes('--measure')) await main();
else {
  const child = fork(fileURLToPath(import.meta.url), ['--measure'], {
    execArgv: MEASURED_NODE_FLAGS,
    stdio: 'inherit',
  });
  child.on('exit', (code) => process.exit(code ?? 1));
}
