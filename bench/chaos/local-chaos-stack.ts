import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulatorTenantSecrets, sourceSecrets } from '../../local/secrets.ts';
import { startLocalStack } from '../../local/stack.ts';
import { chaosConfig, chaosTimings } from './config.ts';
import { NO_FAULTS } from './faults.ts';
import type { ChaosStack, ChaosStackSetup } from './stack.ts';
import { WorkerKiller } from './worker-killer.ts';

/**
 * The local stack as a chaos run drives it: the handlers wired in process, the simulator and every
 * timing compressed by `scale` (`chaosTimings`), the queue's visibility shortened so redeliveries come
 * back within the run. The worker runs in a child process (`worker-process.ts`) that `WorkerKiller`
 * SIGKILLs mid-batch; the stack's own poller stays off. Lifecycle completions are recorded in a file
 * the worker process appends to.
 *
 * @example
 * const stack = await startLocalChaosStack({ seed: 7, scale: 20, meanKillIntervalMs: 5000, log: console.log });
 */
export async function startLocalChaosStack(setup: ChaosStackSetup): Promise<ChaosStack> {
  const timings = chaosTimings(setup.scale, setup.timings);
  const stateDir = mkdtempSync(join(tmpdir(), 'zcops-chaos-'));
  try {
    const s = await startLocalStack({
      stateDir,
      port: 0,
      writeProfile: false,
      schedules: false,
      config: chaosConfig('http://127.0.0.1:1', timings),
      simulator: { seed: 'docs', timeScale: timings.scale, faults: NO_FAULTS },
      visibilityTimeoutSeconds: timings.visibilitySeconds,
      pollWaitSeconds: 1,
      logLevel: 'CRITICAL',
    });
    // The worker runs in a child process the run can kill; the stack's own poller stays off.
    await s.eventSource.stop();
    // A long poll the stopped poller left open at fauxqs would take the first message: let it lapse.
    await new Promise((r) => setTimeout(r, 1_500));

    const completionsFile = join(stateDir, 'lifecycle-completions.jsonl');
    writeFileSync(completionsFile, '');
    const worker = new WorkerKiller({
      input: {
        config: s.config,
        endpoints: {
          region: s.profile.region,
          dynamodb: s.profile.endpoints.dynamodb,
          sqs: s.profile.endpoints.sqs,
          s3: s.profile.endpoints.s3,
        },
        names: {
          tables: s.resources.tables,
          jobsQueueUrl: s.resources.queues.jobsUrl,
          jobsArn: s.resources.queues.jobsArn,
          bucket: s.resources.bucket,
        },
        secrets: { ...sourceSecrets(s.config, stateDir), ...simulatorTenantSecrets(s.config) },
        timings,
        completionsFile,
      },
      meanKillIntervalMs: setup.meanKillIntervalMs,
      seed: setup.seed,
      log: setup.log,
    });
    const tokens = new Map<string, string>();
    return {
      shape: 'local',
      config: s.config,
      timings,
      simulator: s.simulator!,
      region: s.profile.region,
      endpoints: { dynamodb: s.profile.endpoints.dynamodb! },
      tables: s.resources.tables,
      queues: { jobsUrl: s.resources.queues.jobsUrl, dlqUrl: s.resources.queues.dlqUrl },
      bucket: s.resources.bucket,
      sqs: s.aws.sqs,
      s3: s.aws.s3,
      url: s.url,
      token(source) {
        let t = tokens.get(source);
        if (t === undefined) {
          t = readFileSync(join(stateDir, `${source}.token`), 'utf8').trim();
          tokens.set(source, t);
        }
        return t;
      },
      terminate: async (instanceId) =>
        (await s.emitTerminate({ instanceId })) as { outcome?: string; requestId?: string },
      worker,
      async completedLifecycles() {
        return new Set(
          readFileSync(completionsFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => (JSON.parse(l) as { instanceId: string }).instanceId),
        );
      },
      async stop() {
        await worker.stop().catch(() => {});
        await s.stop().catch(() => {});
        rmSync(stateDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }
}
