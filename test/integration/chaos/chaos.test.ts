import { describe, expect, it } from 'vitest';
import { summarizeViolations } from '../../../bench/chaos/checks.ts';
import { ISSUE_FAULT_RATES } from '../../../bench/chaos/faults.ts';
import { runChaos } from '../../../bench/chaos/run.ts';
import { summarizeUntruths } from '../../../bench/chaos/truthfulness.ts';

/**
 * The reduced chaos run of `npm test`: ~100 submissions against the local stack at the issue's fault
 * rates, the worker process SIGKILLed mid-batch during the first 20 s, three poison messages. Every
 * check must hold and every settled outcome must tell the truth (the full run is `npm run chaos`). Timings are the deployment's divided by 20,
 * with a shorter run lease and receive limit so crash recovery and the DLQ fit in the test's time.
 */
describe('chaos (reduced): faults, worker kills, duplicates, poison messages', () => {
  it('every check holds and no outcome is untruthful', { timeout: 120_000 }, async () => {
    const lines: string[] = [];
    const report = await runChaos({
      requests: 100,
      seed: 7,
      scale: 20,
      timings: { leaseSeconds: 10, maxReceiveCount: 3 },
      faults: ISSUE_FAULT_RATES,
      meanKillIntervalMs: 5_000,
      killForMs: 20_000,
      timeLimitMs: 90_000,
      log: (l) => lines.push(l),
    });
    expect(summarizeViolations(report.violations, 20)).toEqual([]);
    expect(summarizeUntruths(report.truthfulness.untruthful, 20)).toEqual([]);
    // The check judged the run's requests (deletions, creations, snapshots, VM deletions among them).
    const judged = report.truthfulness.checked;
    expect(Object.values(judged).reduce((a, b) => a + b, 0)).toBeGreaterThan(80);
    expect(judged['appConnector.delete'] ?? 0).toBeGreaterThan(0);
    expect(judged['appConnectorGroup.create'] ?? 0).toBeGreaterThan(0);
    expect(report.truthfulness.unchecked).toEqual({});
    expect(report.accepted).toBeGreaterThan(80);
    // The run did what it claims: faults were injected, a worker was killed mid-batch, the DLQ holds the poison.
    expect(report.calls.faults.tooManyRequests ?? 0).toBeGreaterThan(0);
    expect(report.killer.killedMidBatch).toBeGreaterThan(0);
    expect(report.dlq).toBe(3);
    expect(report.final.SUCCEEDED ?? 0).toBeGreaterThan(0);
    expect(report.final.REJECTED ?? 0).toBeGreaterThan(0);
  });
});
