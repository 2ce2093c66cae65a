/**
 * `npm run bench:teardown`: an Auto Scaling scale-in of one App Connector group through the local
 * stack. N instances (default 200) terminate at once; each terminate lifecycle event goes through the
 * events function (as EventBridge delivers it), and the worker completes the lifecycle action and
 * deletes the instance's connector, through the DynamoDB rate limiter, against the simulator
 * enforcing ZPA's documented limits (GET 20 per 10 s; POST+PUT+DELETE 10 per 10 s). The same run is
 * made twice, side by side: zcops as configured (deletions coalesced: shared listings and bulk
 * deletes, `worker.deletionWindowMs`) and one by one (`deletionWindowMs: 0`: a search, a DELETE and a
 * confirming GET per connector). Real time in both (no time compression: the window, SQS delays and
 * the pipeline's own cost are what they would be).
 *
 * Checks the outcomes are the truth: every request SUCCEEDED, every connector gone from the
 * simulator, every lifecycle action completed, no 429 and no window of the limits overrun in the call
 * log. Prints a table, writes bench/results/teardown.txt, and ends with one JSON line
 * `{"bench":"teardown","instances":N,"zcops":{"zscalerCalls":…,"zscalerWrites":…,"wallMs":…,"succeeded":…},"oneByOne":{…},"floorMs":…,"throttled429":…}`
 * where `floorMs` is the least time the documented limits allow for the calls the one-by-one run
 * made (each budget's calls at its documented rate, the budgets side by side).
 * Targets: at least 10x fewer Zscaler writes and at least 5x less wall time than one by one.
 *
 * Everything runs in this process (as `bench:vm-scale-in`); no child process is started.
 * Options (environment): TEARDOWN_INSTANCES (default 200), TEARDOWN_ONLY (`zcops` or `oneByOne`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_CREDENTIALS } from '../local/aws-clients.ts';
import { defaultLocalConfig, LOCAL_ASG_GROUP_ID } from '../local/local-config.ts';
import { startLocalStack } from '../local/stack.ts';
import { DynamoRequestStore } from '../shared/requests/dynamo-request-store.ts';
import { isFinal } from '../shared/requests/state-machine.ts';
import { createDocumentClient } from '../shared/storage/dynamo.ts';
import { findRateViolations } from '../simulator/index.ts';
import { DEFAULT_RATE_LIMITS } from '../simulator/ratelimit.ts';
import { round } from './lib/stats.ts';
import { formatTable } from './lib/table.ts';

const N = Number(process.env.TEARDOWN_INSTANCES ?? '200');
const ONLY = process.env.TEARDOWN_ONLY;
const EMIT_CONCURRENCY = 20;
const TIME_LIMIT_MS = 900_000;
const DAY_MS = 86_400_000;

interface RunFigures {
  zscalerCalls: number;
  zscalerWrites: number;
  wallMs: number;
  succeeded: number;
  reads: number;
  gone: number;
  lifecyclesCompleted: number;
  throttled429: number;
  violations: number;
  states: Record<string, number>;
  /** Worker runs per request (its attempts: every run after a deferral counts). */
  runsPerRequest: number;
}

/** The earliest schedule of `n` calls under windows of at most `limit` calls per `windowMs` each. */
function earliestLast(n: number, windows: readonly { limit: number; windowMs: number }[]): number {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    let at = 0;
    for (const w of windows) {
      const j = i - w.limit; // the call `limit` before this one must have left the window
      if (j >= 0) at = Math.max(at, (t[j] ?? 0) + w.windowMs);
    }
    t.push(at);
  }
  return t.at(-1) ?? 0;
}

const progress = (line: string) => console.error(`[teardown] ${line}`);

async function run(mode: 'zcops' | 'oneByOne'): Promise<RunFigures> {
  const stateDir = mkdtempSync(join(tmpdir(), `zcops-teardown-${mode}-`));
  const base = defaultLocalConfig('http://127.0.0.1:1');
  const stack = await startLocalStack({
    stateDir,
    port: 0,
    writeProfile: false,
    schedules: false,
    config: {
      ...base,
      // The same for both runs: 200 deletions within the hour are what the scale-in is.
      guardrails: { ...base.guardrails, deletionsPerHour: 10 * N },
      worker: { ...base.worker, ...(mode === 'oneByOne' ? { deletionWindowMs: 0 } : {}) },
    },
    simulator: { seed: 'docs', rateLimits: true },
    pollWaitSeconds: 1,
    logLevel: process.env.TEARDOWN_DEBUG ? 'ERROR' : 'CRITICAL',
  });
  try {
    const sim = stack.simulator!;
    const controlPlane = stack.controlPlane!;
    const instanceIds = Array.from({ length: N }, (_, i) => `i-0${(0x5ca1e000 + i).toString(16)}bench`);
    const connectors = instanceIds.map((instanceId) => {
      // The instance is terminating: its connector lost its control channel.
      const c = sim.state.addConnector({
        groupId: LOCAL_ASG_GROUP_ID,
        name: `aws-${instanceId}`,
        controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
      });
      sim.state.setConnectorStatus(c.id, 'ZPN_STATUS_DISCONNECTED', Date.now() - DAY_MS);
      return c;
    });
    sim.reset();
    const store = new DynamoRequestStore(
      createDocumentClient({
        region: stack.profile.region,
        endpoint: stack.profile.endpoints.dynamodb!,
        credentials: LOCAL_CREDENTIALS,
      }),
      stack.resources.tables.requests,
    );
    const window = mode === 'oneByOne' ? 0 : stack.config.worker.deletionWindowMs;
    progress(`${mode}: stack up (deletionWindowMs ${window}); ${N} instances terminate`);
    const started = performance.now();
    const requestIds: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: EMIT_CONCURRENCY }, async () => {
        while (next < instanceIds.length) {
          const instanceId = instanceIds[next++]!;
          const out = (await stack.emitTerminate({ instanceId })) as { outcome?: string; requestId?: string };
          if (!out.requestId || out.outcome === 'rejected') {
            throw new Error(`the events function answered ${JSON.stringify(out)}`);
          }
          requestIds.push(out.requestId);
        }
      }),
    );
    progress(
      `${mode}: ${requestIds.length} requests accepted in ${Math.round(performance.now() - started)} ms`,
    );
    const limit = Date.now() + TIME_LIMIT_MS;
    let lastLog = 0;
    for (;;) {
      const records = await Promise.all(requestIds.map((id) => store.get(id)));
      const open = records.filter((r) => !r || !isFinal(r.state)).length;
      if (open === 0) break;
      if (Date.now() > limit)
        throw new Error(`${mode}: ${open} requests not settled after ${TIME_LIMIT_MS} ms`);
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        progress(`${mode}: ${open} open after ${Math.round(performance.now() - started)} ms`);
        if (process.env.TEARDOWN_DEBUG) {
          for (const r of records.filter((x) => x && !isFinal(x.state)).slice(0, 5))
            progress(`  ${r!.requestId} ${r!.state} ${r!.stateReason} ${JSON.stringify(r!.result)}`);
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const wallMs = Math.round(performance.now() - started);
    const records = await Promise.all(requestIds.map((id) => store.get(id)));
    const states: Record<string, number> = {};
    for (const r of records) states[r!.state] = (states[r!.state] ?? 0) + 1;
    const calls = sim.callLog.filter((e) => e.api !== 'auth');
    const wanted = new Set(instanceIds);
    const completed = new Set(
      controlPlane.completions
        .filter((c) => c.result === 'CONTINUE' && wanted.has(c.instanceId))
        .map((c) => c.instanceId),
    );
    const figures: RunFigures = {
      zscalerCalls: calls.length,
      zscalerWrites: calls.filter((e) => e.method !== 'GET').length,
      wallMs,
      succeeded: states.SUCCEEDED ?? 0,
      reads: calls.filter((e) => e.method === 'GET').length,
      gone: connectors.filter((c) => !sim.state.connectors.has(c.id)).length,
      lifecyclesCompleted: completed.size,
      throttled429: sim.callLog.filter((e) => e.status === 429).length,
      violations: findRateViolations(sim.callLog, sim.effectiveLimits()).length,
      states,
      runsPerRequest: round(records.reduce((n, r) => n + (r?.attempts ?? 0), 0) / records.length, 2),
    };
    progress(`${mode}: settled in ${wallMs} ms ${JSON.stringify(states)}`);
    return figures;
  } finally {
    await stack.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const empty: RunFigures = {
  zscalerCalls: 0,
  zscalerWrites: 0,
  wallMs: 0,
  succeeded: 0,
  reads: 0,
  gone: 0,
  lifecyclesCompleted: 0,
  throttled429: 0,
  violations: 0,
  states: {},
  runsPerRequest: 0,
};
const zcops = ONLY === 'oneByOne' ? empty : await run('zcops');
const oneByOne = ONLY === 'zcops' ? empty : await run('oneByOne');

// The least time ZPA's documented limits allow for the one-by-one run's calls: its reads at 20 per
// 10 s and its writes at 10 per 10 s, the two budgets running side by side.
const floorMs = Math.max(
  earliestLast(oneByOne.reads, DEFAULT_RATE_LIMITS.zpa.read),
  earliestLast(oneByOne.zscalerWrites, DEFAULT_RATE_LIMITS.zpa.write),
);
const row = (name: string, f: RunFigures) => [
  name,
  f.zscalerCalls,
  f.zscalerWrites,
  f.reads,
  round(f.wallMs / 1000, 1),
  f.succeeded,
  f.gone,
  f.lifecyclesCompleted,
  f.throttled429,
  f.violations,
];
const table = formatTable(
  [
    `scale-in of ${N} instances`,
    'Zscaler calls',
    'writes',
    'reads',
    'wall s',
    'SUCCEEDED',
    'gone',
    'lifecycles',
    '429s',
    'violations',
  ],
  [
    row('zcops (deletions coalesced)', zcops),
    row('one by one (deletionWindowMs 0)', oneByOne),
    [
      'floor of the one-by-one calls at the documented limits',
      '-',
      '-',
      '-',
      round(floorMs / 1000, 1),
      '-',
      '-',
      '-',
      '-',
      '-',
    ],
  ],
);
const writesRatio = zcops.zscalerWrites > 0 ? oneByOne.zscalerWrites / zcops.zscalerWrites : 0;
const wallRatio = zcops.wallMs > 0 ? oneByOne.wallMs / zcops.wallMs : 0;
const facts =
  `${round(writesRatio, 1)}x fewer Zscaler writes (target 10x), ${round(wallRatio, 1)}x less wall time (target 5x); ` +
  `one by one took ${round(oneByOne.wallMs / floorMs, 2)}x its floor. ` +
  `Worker runs per request: ${zcops.runsPerRequest} coalesced, ${oneByOne.runsPerRequest} one by one. ` +
  `Wall time: from the first terminate event to the last request settled (intake, lifecycle completion, lookup, deletion, read back). ` +
  `Local stack: worker maxConcurrency 2 x batchSize 10, limiter in dynalite, simulator enforcing GET 20/10 s and writes 10/10 s; ` +
  `machine load average ${round(loadavg()[0] ?? 0, 1)}.`;
const result = {
  bench: 'teardown',
  instances: N,
  zcops: {
    zscalerCalls: zcops.zscalerCalls,
    zscalerWrites: zcops.zscalerWrites,
    wallMs: zcops.wallMs,
    succeeded: zcops.succeeded,
  },
  oneByOne: {
    zscalerCalls: oneByOne.zscalerCalls,
    zscalerWrites: oneByOne.zscalerWrites,
    wallMs: oneByOne.wallMs,
    succeeded: oneByOne.succeeded,
  },
  floorMs,
  throttled429: zcops.throttled429 + oneByOne.throttled429,
};
console.log(table);
console.log(`\n${facts}`);
if (!ONLY) {
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'teardown.txt');
  await mkdir(dirname(out), { recursive: true });
  await writeFile(
    out,
    `${table}\n\n${facts}\nstates: zcops ${JSON.stringify(zcops.states)}, one by one ${JSON.stringify(oneByOne.states)}\n` +
      `${JSON.stringify(result)}\n(${new Date().toISOString()})\n`,
  );
}
console.log(JSON.stringify(result));
// An outcome that is not the truth fails the run; the figures are for the reader to judge.
const truthful = (f: RunFigures) => f.succeeded === N && f.gone === N && f.lifecyclesCompleted === N;
if ((ONLY !== 'oneByOne' && !truthful(zcops)) || (ONLY !== 'zcops' && !truthful(oneByOne)))
  process.exitCode = 1;
