import { formatTable } from '../lib/table.ts';
import { summarizeViolations } from './checks.ts';
import type { ChaosReport } from './run.ts';

const FINAL_COLUMNS = ['SUCCEEDED', 'FAILED', 'REJECTED', 'DEAD_LETTERED'] as const;

/**
 * The outcome table of a chaos run: one row per submission kind (how many were sent, the final
 * states their requests came to, anything not final), then the totals.
 *
 * @example
 * console.log(formatChaosTable(report));
 */
export function formatChaosTable(report: ChaosReport): string {
  const kinds = Object.keys(report.byKind).sort();
  const other = (k: Record<string, number>) =>
    Object.entries(k)
      .filter(([s]) => s !== 'submitted' && !(FINAL_COLUMNS as readonly string[]).includes(s))
      .reduce((n, [, v]) => n + v, 0);
  const rows = kinds.map((kind) => {
    const k = report.byKind[kind]!;
    return [kind, k.submitted, ...FINAL_COLUMNS.map((s) => k[s] ?? 0), other(k)];
  });
  const total = (i: number) => rows.reduce((n, r) => n + Number(r[i]), 0);
  rows.push(['all submissions', total(1), total(2), total(3), total(4), total(5), total(6)]);
  return formatTable(['submission', 'sent', ...FINAL_COLUMNS, 'not final'], rows);
}

/** The run's figures besides the outcome table (calls, faults, kills, deferrals, checks). */
export function formatChaosFacts(report: ChaosReport): string {
  const faults = Object.entries(report.calls.faults)
    .sort(([, a], [, b]) => b - a)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const rows: [string, string | number][] = [
    ['distinct requests accepted', report.accepted],
    [
      'final states (requests)',
      Object.entries(report.final)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    [
      'why not SUCCEEDED',
      Object.entries(report.reasons)
        .sort(([, a], [, b]) => b - a)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'n/a',
    ],
    ['Zscaler calls served', report.calls.total],
    ['faults injected', faults || 'none'],
    ['worker processes started', report.killer.spawned],
    ['SIGKILLs mid-batch', report.killer.killedMidBatch],
    ['invocations timed out', report.killer.timeouts],
    ['worker batches', report.killer.batches],
    ['runs (attempts) / deferrals', `${report.attempts} / ${report.deferrals}`],
    ['DLQ messages at the end', report.dlq],
    [
      'time scale',
      `×${report.timings.scale} (worker timeout ${report.timings.timeoutSeconds} s, lease ${report.timings.leaseSeconds} s, visibility ${report.timings.visibilitySeconds} s)`,
    ],
    ['duration', `${Math.round(report.durationMs / 1000)} s`],
    ['checks', report.violations.length === 0 ? 'all hold' : `${report.violations.length} violation(s)`],
  ];
  const lines = [formatTable(['figure', 'value'], rows)];
  if (report.violations.length > 0) lines.push('', ...summarizeViolations(report.violations, 10));
  return lines.join('\n');
}

/** The last line of `npm run chaos`. */
export function chaosJson(report: ChaosReport): string {
  return JSON.stringify({
    bench: 'chaos',
    requests: report.requests,
    final: report.final,
    violations: summarizeViolations(report.violations),
  });
}
