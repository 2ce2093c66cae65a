/**
 * Child process of a chaos run: the worker function behind its own emulated SQS event source
 * mapping, wired exactly as the local stack wires it (`local/function-deps.ts`), pointed at the
 * parent's dynalite, fauxqs and simulator. The parent SIGKILLs it mid-batch now and then: nothing the
 * invocation had not finished happens (no message deleted, no DynamoDB write, a Zscaler call cut
 * off), as when Lambda's sandbox dies. An invocation past its timeout ends the process too (Lambda
 * resets the sandbox of a timed-out invocation).
 *
 * Input: `CHAOS_WORKER` (JSON `WorkerProcessInput`). Messages to the parent: `{type: 'batch', phase}`.
 */
import { appendFileSync } from 'node:fs';
import type { SQSEvent } from 'aws-lambda';
import { createHandler } from '../../functions/worker/handler.ts';
import type { ZcopsConfig } from '../../infra/config.ts';
import type { AwsEndpoints } from '../../local/aws-clients.ts';
import { awsClients } from '../../local/aws-clients.ts';
import { SqsEventSourceMapping } from '../../local/event-source-mapping.ts';
import { type StackNames, workerDeps } from '../../local/function-deps.ts';
import type { LocalSecrets } from '../../local/secrets.ts';
import type { LifecycleCompleter } from '../../shared/intake/lifecycle-completer.ts';
import type { ChaosTimings } from './config.ts';

/** What the parent hands the worker process. */
export interface WorkerProcessInput {
  config: ZcopsConfig;
  endpoints: AwsEndpoints;
  names: StackNames & { jobsArn: string };
  secrets: LocalSecrets;
  timings: ChaosTimings;
  /** Lifecycle completions are appended here (one JSON line each). */
  completionsFile: string;
  workerId: string;
}

/** Records lifecycle completions in a file the parent reads (the Auto Scaling stand-in). */
class FileLifecycleCompleter implements LifecycleCompleter {
  readonly #file: string;
  constructor(file: string) {
    this.#file = file;
  }
  async complete(action: Parameters<LifecycleCompleter['complete']>[0], result: 'CONTINUE' | 'ABANDON') {
    appendFileSync(this.#file, `${JSON.stringify({ instanceId: action.instanceId, result })}\n`);
  }
}

function main(): void {
  const input = JSON.parse(process.env.CHAOS_WORKER ?? 'null') as WorkerProcessInput | null;
  if (!input) throw new Error('CHAOS_WORKER is not set');
  const aws = awsClients(input.endpoints);
  const deps = workerDeps(
    {
      config: input.config,
      endpoints: input.endpoints,
      aws,
      names: input.names,
      secrets: input.secrets,
      logLevel: 'CRITICAL',
    },
    { services: { lifecycle: new FileLifecycleCompleter(input.completionsFile) } },
  );
  const c = input.timings.client;
  deps.client = {
    http: {
      connectTimeoutMs: c.connectTimeoutMs,
      headersTimeoutMs: c.headersTimeoutMs,
      bodyTimeoutMs: c.bodyTimeoutMs,
    },
    retry: { baseDelayMs: c.baseDelayMs, maxDelayMs: c.maxDelayMs, maxTotalWaitMs: c.maxTotalWaitMs },
  };
  deps.workerId = input.workerId;
  const worker = createHandler(deps);
  const tell = (m: unknown) => process.send?.(m);
  const handler = async (event: SQSEvent) => {
    tell({ type: 'batch', phase: 'start', size: event.Records.length });
    try {
      return await worker(event);
    } finally {
      tell({ type: 'batch', phase: 'end' });
    }
  };
  const esm = new SqsEventSourceMapping({
    sqs: aws.sqs,
    queueUrl: input.names.jobsQueueUrl,
    queueArn: input.names.jobsArn,
    region: input.endpoints.region,
    handler,
    batchSize: input.config.worker.batchSize,
    maxConcurrency: input.config.worker.maxConcurrency,
    visibilityTimeoutSeconds: input.timings.visibilitySeconds,
    waitTimeSeconds: 1,
    invocationTimeoutMs: input.timings.timeoutSeconds * 1000,
    onBatch: (r) => {
      if (r.error?.includes('timed out')) {
        // Lambda throws away the sandbox of a timed-out invocation: whatever it still does, dies.
        tell({ type: 'timeout' });
        process.exit(124);
      }
    },
  });
  esm.start();
  tell({ type: 'ready' });
  process.on('SIGTERM', () => {
    void esm.stop().then(() => process.exit(0));
  });
}

main();
