import { describe, expect, it } from 'vitest';
import { summarizeViolations } from '../../../bench/chaos/checks.ts';
import { runChaos } from '../../../bench/chaos/run.ts';

/**
 * The outage run: requests are being submitted when the simulator stops answering (every call hangs until the
 * client gives up) for longer than a message's receives would last if each receive failed
 * (maxReceiveCount × visibility timeout), then answers again. Requests defer and complete after the
 * recovery; none is dead-lettered for the outage alone. Timings: the deployment's divided by 40.
 */
describe('outage: the simulator stops answering for a while, then comes back', () => {
  it('requests wait out the outage on the queue (deferred or redelivered) and complete after it; none is dead-lettered', {
    timeout: 120_000,
  }, async () => {
    const lines: string[] = [];
    const report = await runChaos({
      requests: 40,
      kinds: ['group-create', 'pcc-create', 'cleanup', 'duplicate'],
      seed: 11,
      scale: 40,
      timings: { maxReceiveCount: 3 },
      meanKillIntervalMs: 0,
      poison: false,
      // Long enough that a worker failing each receive would exhaust maxReceiveCount (3 × 6 s).
      outage: { atMs: 300, durationMs: 25_000 },
      timeLimitMs: 90_000,
      log: (l) => lines.push(l),
    });
    expect(summarizeViolations(report.violations, 20)).toEqual([]);
    expect(report.final).toEqual({ SUCCEEDED: report.accepted });
    expect(report.calls.faults.outage ?? 0).toBeGreaterThan(0);
    // Runs cut off by the outage (timed out, message redelivered) show as runs beyond one per request
    // and its deferrals; without an outage every extra run is a deferral (measured: 44 runs = 36 + 8).
    expect(report.attempts - report.deferrals).toBeGreaterThan(report.accepted);
  });
});
