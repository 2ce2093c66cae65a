import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { terminateLifecycleEvent } from '../../local/aws-events.ts';
import { startDeployedStack } from '../../local/deployed/deployed-stack.ts';
import { checkIam } from '../../local/deployed/iam-check.ts';
import { LOCAL_ASG_GROUP_ID, LOCAL_ASG_NAME, LOCAL_TENANT } from '../../local/local-config.ts';
import type { Violation } from './checks.ts';
import { deployedChaosConfig, deployedChaosTimings } from './config.ts';
import { NO_FAULTS } from './faults.ts';
import { FunctionPoolKiller } from './function-pool-killer.ts';
import type { ChaosStack, ChaosStackSetup } from './stack.ts';

const PROJECT_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
/** The harness's own access key: its calls are recorded but belong to no function's role. */
const HARNESS = { accessKeyId: 'zcops-chaos-harness', secretAccessKey: 'x' };

/**
 * The deployed shape as a chaos run drives it (`local/deployed`): the chaos configuration as a
 * deployment takes it (`deployedChaosConfig`: no time compression, short deployable timings), each
 * function's bundled asset in its own execution environments with the template's environment, only
 * the HTTP API's routes, terminate events through the EventBridge rule's pattern and the events
 * function's asynchronous invocation, the worker fed by the event source mapping's settings. Kills
 * land on the worker's execution environments mid-invocation (`FunctionPoolKiller`). Lifecycle
 * completions are what the Auto Scaling stand-in recorded. Its extra check is IAM by use: every AWS
 * call a function made (or Lambda made for it) must be allowed by that function's role.
 *
 * @example
 * const report = await runChaos({ requests: 64, stack: startDeployedChaosStack, faults: ISSUE_FAULT_RATES });
 */
export async function startDeployedChaosStack(setup: ChaosStackSetup): Promise<ChaosStack> {
  const timings = deployedChaosTimings();
  const workDir = mkdtempSync(join(tmpdir(), 'zcops-chaos-deployed-'));
  try {
    const d = await startDeployedStack({
      projectRoot: PROJECT_ROOT,
      workDir,
      config: (url) => deployedChaosConfig(url, timings),
      simulator: { seed: 'docs', timeScale: 1, faults: NO_FAULTS },
      ...(process.env.ZCOPS_DEPLOYED_LOGS
        ? { onLog: (id: string, line: string) => setup.log(`${id} ${line}`) }
        : {}),
    });
    const profile = d.cliProfile();
    const clients = { region: profile.region, credentials: HARNESS };
    const sqs = new SQSClient({ ...clients, endpoint: d.endpoints.sqs });
    const s3 = new S3Client({ ...clients, endpoint: d.endpoints.s3, forcePathStyle: true });
    const worker = new FunctionPoolKiller({
      pool: d.functions[d.functionId('worker')]!,
      meanKillIntervalMs: setup.meanKillIntervalMs,
      seed: setup.seed,
      log: setup.log,
    });
    const tokens = new Map<string, string>();
    return {
      shape: 'deployed',
      config: d.config,
      timings,
      simulator: d.simulator,
      region: profile.region,
      endpoints: { dynamodb: d.endpoints.dynamodb },
      tables: { requests: profile.tables.requests, audit: profile.tables.audit },
      queues: { jobsUrl: profile.queues.jobsUrl, dlqUrl: profile.queues.dlqUrl! },
      bucket: profile.bucket!,
      sqs,
      s3,
      url: d.url,
      token(source) {
        let t = tokens.get(source);
        if (t === undefined) {
          t = readFileSync(join(workDir, `${source}.token`), 'utf8').trim();
          tokens.set(source, t);
        }
        return t;
      },
      async terminate(instanceId) {
        // Auto Scaling knows the instance and its pending hook; the hook's metadata names the connector.
        const connector = [...d.simulator.state.connectors.values()].find(
          (c) => c.name === `aws-${instanceId}`,
        );
        const token = crypto.randomUUID();
        d.controlPlane.addInstance({
          instanceId,
          privateIp: connector?.privateIp ?? '10.255.0.1',
          state: 'shutting-down',
        });
        d.controlPlane.addLifecycleAction({
          asgName: LOCAL_ASG_NAME,
          hookName: 'zcops-teardown',
          token,
          instanceId,
        });
        const { invocations } = await d.putEvent(
          terminateLifecycleEvent({
            asgName: LOCAL_ASG_NAME,
            instanceId,
            hookName: 'zcops-teardown',
            token,
            metadata: {
              tenant: LOCAL_TENANT,
              groupId: LOCAL_ASG_GROUP_ID,
              connectorName: 'aws-{instanceId}',
            },
          }),
        );
        const invocation = invocations[0];
        if (!invocation) return { outcome: 'no rule matched' };
        await invocation.done;
        return (invocation.result ?? { outcome: invocation.error ?? 'failed' }) as {
          outcome?: string;
          requestId?: string;
        };
      },
      worker,
      async completedLifecycles() {
        return new Set(d.controlPlane.completions.map((c) => c.instanceId));
      },
      extraChecks(): Violation[] {
        const report = checkIam(d.stack, d.names, d.accessKeys, d.calls);
        setup.log(
          `[chaos] IAM by use: ${report.verdicts.length} AWS calls checked, ${report.denied.length} denied`,
        );
        const violations: Violation[] = report.denied.map((v) => ({
          check: 'iam',
          detail: `${v.functionId} ${v.call.action} on ${v.call.resources.join(', ')}: ${v.decision}`,
        }));
        if (report.verdicts.length === 0)
          violations.push({ check: 'iam', detail: 'no AWS call of any function was recorded' });
        return violations;
      },
      async stop() {
        await worker.stop().catch(() => {});
        sqs.destroy();
        s3.destroy();
        await d.stop().catch(() => {});
        rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(workDir, { recursive: true, force: true });
    throw err;
  }
}
