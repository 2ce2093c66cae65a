import { describe, expect, it } from 'vitest';
import { summarizeViolations } from '../../../bench/chaos/checks.ts';
import { deployedChaosTimings } from '../../../bench/chaos/config.ts';
import { startDeployedChaosStack } from '../../../bench/chaos/deployed-chaos-stack.ts';
import { ISSUE_FAULT_RATES } from '../../../bench/chaos/faults.ts';
import { runChaos } from '../../../bench/chaos/run.ts';
import { summarizeUntruths } from '../../../bench/chaos/truthfulness.ts';

/**
 * The reduced chaos run through the deployed shape: the synthesized stack (bundles, template
 * environment, routes, rule pattern, event source mapping, queue and redrive settings) on a
 * deployable configuration, 64 submissions at the issue's fault rates (for the first 3 minutes), the
 * bundled worker's execution environments SIGKILLed mid-invocation during the first 30 s, three poison messages. The same
 * checks as `npm run chaos`, the truthfulness judge, and IAM by use over every AWS call the functions
 * made. No time compression (a deployment takes none): the queue's 102 s visibility timeout (6 × the
 * 17 s worker timeout) bounds how soon a killed batch or a poison message comes back, so the run takes
 * a few minutes; its limits are counts and a generous deadline, never a timing.
 */
describe('chaos (reduced) through the deployed shape', () => {
  it('every check holds, no outcome is untruthful, IAM allows every call', {
    timeout: 1_080_000,
  }, async () => {
    const lines: string[] = [];
    const report = await runChaos({
      requests: 64,
      seed: 13,
      stack: startDeployedChaosStack,
      faults: ISSUE_FAULT_RATES,
      // At real time each injected 429 blocks the read budget for its Retry-After (up to a window), so
      // at 10 % the budget is blocked much of the time: faults stop after 3 minutes and the requests
      // drain, which bounds the run.
      faultsForMs: 180_000,
      meanKillIntervalMs: 8_000,
      killForMs: 30_000,
      timeLimitMs: 900_000,
      log: (l) => {
        lines.push(l);
        // CHAOS_LOG=1 prints the run's progress as it goes.
        if (process.env.CHAOS_LOG) console.error(l);
      },
    });
    const context = lines.slice(-40).join('\n');
    expect(report.timings).toEqual(deployedChaosTimings());
    expect(summarizeViolations(report.violations, 20), context).toEqual([]);
    expect(summarizeUntruths(report.truthfulness.untruthful, 20), context).toEqual([]);
    // The IAM check ran over the run's calls (it reports a violation when none was recorded).
    expect(
      lines.some((l) => /IAM by use: \d{3,} AWS calls checked, 0 denied/.test(l)),
      context,
    ).toBe(true);
    const judged = report.truthfulness.checked;
    expect(Object.values(judged).reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
    expect(judged['appConnector.delete'] ?? 0).toBeGreaterThan(0);
    expect(judged['appConnectorGroup.create'] ?? 0).toBeGreaterThan(0);
    expect(judged['appConnector.teardown'] ?? 0).toBeGreaterThan(0);
    expect(report.truthfulness.unchecked).toEqual({});
    expect(report.accepted).toBeGreaterThan(50);
    // The run did what it claims: faults injected, the bundled worker killed mid-batch, poison dead-lettered.
    expect(report.calls.faults.tooManyRequests ?? 0).toBeGreaterThan(0);
    expect(report.killer.killedMidBatch, context).toBeGreaterThan(0);
    expect(report.dlq).toBe(3);
    expect(report.final.SUCCEEDED ?? 0).toBeGreaterThan(0);
    expect(report.final.REJECTED ?? 0).toBeGreaterThan(0);
  });
});
