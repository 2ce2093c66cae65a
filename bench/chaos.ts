/**
 * `npm run chaos`: 1,000 submissions (deletions, bulk deletions, group creations, duplicates of the
 * same ticket, teardown events, snapshots, …) against the local stack while the simulator injects
 * faults at the issue's rates (10% 429, 5% 500/503, 2% timeouts, 1% resets, edit locks, expired
 * sessions, ambiguous writes) and the worker process is SIGKILLed mid-batch now and then. Then the
 * checks (bench/chaos/checks.ts) run over the simulator's state and call log, the tables and the DLQ,
 * and the truthfulness check (bench/chaos/truthfulness.ts) compares every settled request's outcome
 * with what the simulator shows. Prints progress, the outcome table, the figures, then as the last
 * line one JSON object `{"bench":"chaos","requests":…,"final":{…},"violations":[…],"untruthful":N,
 * "untruths":[…]}`; writes bench/results/chaos.{json,txt} (the JSON with every untruth in full).
 * Exit code 1 when a check is violated or an outcome is untruthful.
 *
 * Options (environment): CHAOS_REQUESTS (default 1000), CHAOS_SEED (42), CHAOS_SCALE (20),
 * CHAOS_KILL_MS (mean ms between kills, default 6000), CHAOS_WRITE (0: do not write results).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ISSUE_FAULT_RATES } from './chaos/faults.ts';
import { chaosJson, formatChaosFacts, formatChaosTable } from './chaos/report.ts';
import { runChaos } from './chaos/run.ts';

const env = (name: string, fallback: number) => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number(v);
};

const report = await runChaos({
  requests: env('CHAOS_REQUESTS', 1000),
  seed: env('CHAOS_SEED', 42),
  scale: env('CHAOS_SCALE', 20),
  faults: ISSUE_FAULT_RATES,
  meanKillIntervalMs: env('CHAOS_KILL_MS', 6_000),
  timeLimitMs: env('CHAOS_TIME_LIMIT_MS', 15 * 60_000),
  log: (line) => console.error(line),
});
const table = formatChaosTable(report);
const facts = formatChaosFacts(report);
const json = chaosJson(report);
console.log(table);
console.log('');
console.log(facts);
if (process.env.CHAOS_WRITE !== '0') {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'chaos.txt'), `${table}\n\n${facts}\n`);
  await writeFile(
    join(dir, 'chaos.json'),
    `${JSON.stringify({ ...JSON.parse(json), report: { ...report, violations: report.violations } }, null, 2)}\n`,
  );
}
console.log(json);
process.exitCode = report.violations.length === 0 && report.truthfulness.untruthful.length === 0 ? 0 : 1;
