/**
 * `npm run bench:coldstart`: bundles each function exactly as the CDK app does (the options come
 * from infra/bundling.ts, which ZcopsFunction uses too), reports each bundle's size, then times
 * loading it (`import()` of the bundle up to its `handler` export) in a fresh `node` process,
 * several times, and takes the median. An empty ESM module loaded the same way in the same run is
 * the baseline. Functions without an entry yet are reported as missing. Prints a table, writes
 * bench/results/coldstart.json, and ends with one JSON line:
 * `{"bench":"coldstart","functions":{"<name>":{"bytes":…,"loadMs":…},…},"baseline":{…}}`.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { esbuildBuildOptions } from '../infra/bundling.ts';
import { parseConfig, runtimeConfigJson } from '../infra/config.ts';
import { FUNCTION_ENTRIES, type FunctionName } from '../infra/defaults.ts';
import { percentile, round } from './lib/stats.ts';
import { formatTable } from './lib/table.ts';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGET = { bytes: 1024 * 1024, loadMs: 150 } as const;
// Inside the project so that `@aws-sdk/*`, left out of the bundles as on Lambda, resolves from
// node_modules the way the runtime provides it.
const WORK = join(ROOT, 'node_modules', '.cache', 'zcops-coldstart');
const run = promisify(execFile);

/** Runs in the child: time from before `import()` to a loaded module with a `handler` function. */
const CHILD = `
const t0 = performance.now();
try {
  const m = await import(process.argv[1]);
  if (typeof m.handler !== 'function') throw new Error('the bundle exports no handler function');
  process.stdout.write(JSON.stringify({ ms: performance.now() - t0 }));
} catch (err) {
  process.stdout.write(JSON.stringify({ error: String(err && err.message ? err.message : err) }));
}`;

/**
 * What a deployed function finds in its environment at init (values are placeholders: loading
 * must not call AWS, and no credentials are given).
 */
function lambdaLikeEnv(): NodeJS.ProcessEnv {
  const example = parseConfig(JSON.parse(readFileSync(join(ROOT, 'zcops.config.example.json'), 'utf8')));
  return {
    PATH: process.env.PATH,
    NODE_OPTIONS: '--enable-source-maps',
    AWS_REGION: 'eu-west-1',
    AWS_LAMBDA_FUNCTION_NAME: 'zcops-coldstart-bench',
    POWERTOOLS_METRICS_NAMESPACE: 'zcops',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    REQUESTS_TABLE: 'zcops-requests',
    AUDIT_TABLE: 'zcops-audit',
    RATELIMIT_TABLE: 'zcops-ratelimit',
    JOBS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/zcops-jobs',
    SNAPSHOTS_BUCKET: 'zcops-snapshots',
    ZCOPS_CONFIG: runtimeConfigJson(example),
  };
}

interface LoadTiming {
  loadMs: number;
  minMs: number;
  maxMs: number;
  /** Median wall time of the whole `node` process (start-up + load + exit). */
  processMs: number;
}

async function timeLoads(file: string, env: NodeJS.ProcessEnv): Promise<LoadTiming | { error: string }> {
  const loads: number[] = [];
  const processes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', CHILD, pathToFileURL(file).href],
      {
        env,
        cwd: dirname(file),
      },
    );
    processes.push(performance.now() - t0);
    const out = JSON.parse(stdout) as { ms?: number; error?: string };
    if (out.error !== undefined) return { error: out.error };
    loads.push(out.ms!);
  }
  return {
    loadMs: round(percentile(loads, 50), 1),
    minMs: round(Math.min(...loads), 1),
    maxMs: round(Math.max(...loads), 1),
    processMs: round(percentile(processes, 50), 1),
  };
}

type FunctionResult =
  | {
      bytes: number;
      mapBytes: number;
      loadMs: number;
      minMs: number;
      maxMs: number;
      processMs: number;
      withinTarget: boolean;
    }
  | { missing: true; entry: string }
  | { bytes?: number; error: string };

async function main(): Promise<number> {
  await rm(WORK, { recursive: true, force: true });
  await mkdir(WORK, { recursive: true });
  const env = lambdaLikeEnv();

  const baselineFile = join(WORK, 'baseline', 'index.mjs');
  await mkdir(dirname(baselineFile), { recursive: true });
  await writeFile(baselineFile, 'export const handler = async () => {};\n');
  const baseline = await timeLoads(baselineFile, env);
  if ('error' in baseline) throw new Error(`baseline failed to load: ${baseline.error}`);

  const functions: Partial<Record<FunctionName, FunctionResult>> = {};
  for (const [name, entry] of Object.entries(FUNCTION_ENTRIES) as [FunctionName, string][]) {
    if (!existsSync(join(ROOT, entry))) {
      functions[name] = { missing: true, entry };
      continue;
    }
    const outfile = join(WORK, name, 'index.mjs');
    try {
      await build({ ...esbuildBuildOptions(join(ROOT, entry), outfile), absWorkingDir: ROOT });
    } catch (err) {
      functions[name] = { error: `bundling failed: ${(err as Error).message.split('\n')[0]}` };
      continue;
    }
    const bytes = (await stat(outfile)).size;
    const mapBytes = (await stat(`${outfile}.map`)).size;
    const timing = await timeLoads(outfile, env);
    functions[name] =
      'error' in timing
        ? { bytes, error: `load failed: ${timing.error}` }
        : { bytes, mapBytes, ...timing, withinTarget: bytes < TARGET.bytes && timing.loadMs < TARGET.loadMs };
  }

  const rows = [
    [
      'baseline (empty ESM module)',
      '-',
      '-',
      baseline.loadMs,
      baseline.minMs,
      baseline.maxMs,
      baseline.processMs,
      '-',
    ],
    ...Object.entries(functions).map(([name, r]) => {
      if ('missing' in r) return [name, 'missing', '-', '-', '-', '-', '-', `no ${r.entry} yet`];
      if ('error' in r) return [name, r.bytes ?? '-', '-', '-', '-', '-', '-', r.error];
      return [
        name,
        r.bytes,
        round(r.bytes / 1024, 1),
        r.loadMs,
        r.minMs,
        r.maxMs,
        r.processMs,
        `${r.withinTarget ? 'ok' : 'MISSED'} (+${round(r.loadMs - baseline.loadMs, 1)} ms vs baseline)`,
      ];
    }),
  ];
  console.log(
    `cold start: bundle size and load time in a fresh node ${process.version} process (median of ${RUNS})`,
  );
  console.log(`target: every bundle < ${TARGET.bytes / 1024} KiB and loading in < ${TARGET.loadMs} ms\n`);
  console.log(
    formatTable(
      ['function', 'bytes', 'KiB', 'loadMs', 'min', 'max', 'processMs', 'target'],
      rows as (string | number)[][],
    ),
  );

  const summary = {
    bench: 'coldstart',
    functions: Object.fromEntries(
      Object.entries(functions).map(([name, r]) => [
        name,
        'missing' in r
          ? { missing: true }
          : 'error' in r
            ? { error: r.error }
            : { bytes: r.bytes, loadMs: r.loadMs },
      ]),
    ),
    baseline: { loadMs: baseline.loadMs, processMs: baseline.processMs },
    runs: RUNS,
    node: process.version,
    target: TARGET,
  };
  await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(
    join(ROOT, 'bench', 'results', 'coldstart.json'),
    `${JSON.stringify({ ...summary, details: functions, measuredAt: new Date().toISOString() }, null, 2)}\n`,
  );
  console.log(`\nwrote bench/results/coldstart.json`);
  console.log(JSON.stringify(summary));
  return Object.values(functions).some((r) => 'error' in r) ? 1 : 0;
}

process.exitCode = await main();
