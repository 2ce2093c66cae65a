import { formatTable } from '../lib/table.ts';
import { summarizeViolations } from './checks.ts';
import { retriedErrorKindsMissing } from './faults.ts';
import type { ChaosReport } from './run.ts';
import { summarizeUntruths, untruthfulCount } from './truthfulness.ts';

const FINAL_COLUMNS = ['SUCCEEDED', 'FAILED', 'REJECTED', 'DEAD_LETTERED'] as const;

/**
 * The outcome table of a chaos run: one row per submission kind (how many were sent, the final
 * states their requests came to, anything not final, how many of them told an untruth), then the
 * totals. The total of `untruthful` is the run's count of untruthful outcomes: it also counts
 * landed writes no request names, which belong to no row.
 *
 * @example
 * console.log(formatChaosTable(report));
 */
export function formatChaosTable(report: ChaosReport): string {
  const kinds = Object.keys(report.byKind).sort();
  const other = (k: Record<string, number>) =>
    Object.entries(k)
      .filter(
        ([s]) => s !== 'submitted' && s !== 'untruthful' && !(FINAL_COLUMNS as readonly string[]).includes(s),
      )
      .reduce((n, [, v]) => n + v, 0);
  const rows = kinds.map((kind) => {
    const k = report.byKind[kind]!;
    return [kind, k.submitted, ...FINAL_COLUMNS.map((s) => k[s] ?? 0), other(k), k.untruthful ?? 0];
  });
  const total = (i: number) => rows.reduce((n, r) => n + Number(r[i]), 0);
  rows.push([
    'all submissions',
    total(1),
    total(2),
    total(3),
    total(4),
    total(5),
    total(6),
    untruthfulCount(report.truthfulness),
  ]);
  return formatTable(['submission', 'sent', ...FINAL_COLUMNS, 'not final', 'untruthful'], rows);
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
    ...(retriedErrorKindsMissing().length > 0
      ? [
          [
            'retried-error faults not injected (the simulator lacks them)',
            retriedErrorKindsMissing().join(', '),
          ] as [string, string],
        ]
      : []),
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
    [
      'truthfulness (settled requests compared)',
      `${untruthfulCount(report.truthfulness)} untruthful of ${Object.values(report.truthfulness.checked).reduce((a, b) => a + b, 0)}${uncheckedNote(report)}`,
    ],
  ];
  const lines = [formatTable(['figure', 'value'], rows)];
  if (report.violations.length > 0) lines.push('', ...summarizeViolations(report.violations, 10));
  if (report.truthfulness.untruthful.length > 0) {
    lines.push('', 'untruthful:', ...summarizeUntruths(report.truthfulness.untruthful, 20));
  }
  return lines.join('\n');
}

function uncheckedNote(report: ChaosReport): string {
  const entries = Object.entries(report.truthfulness.unchecked);
  return entries.length === 0 ? '' : ` (not judged: ${entries.map(([a, n]) => `${a} ${n}`).join(', ')})`;
}

/** The last line of `npm run chaos`. */
export function chaosJson(report: ChaosReport): string {
  return JSON.stringify({
    bench: 'chaos',
    requests: report.requests,
    final: report.final,
    violations: summarizeViolations(report.violations),
    untruthful: untruthfulCount(report.truthfulness),
    untruths: summarizeUntruths(report.truthfulness.untruthful),
  });
}
