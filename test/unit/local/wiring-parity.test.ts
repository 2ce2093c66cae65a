import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type ZcopsConfig } from '../../../infra/config.ts';
import type { FunctionName } from '../../../infra/defaults.ts';
import {
  type FunctionWiring,
  functionEnvironment,
  intakeDeps,
  workerDeps,
} from '../../../local/function-deps.ts';
import { AwsLifecycleCompleter } from '../../../shared/intake/lifecycle-completer.ts';
import { TicketNotifier } from '../../../shared/notify/ticket-notifier.ts';
import { type AwsClients, awsClients } from '../../../shared/wiring/aws-clients.ts';
import { readDeploymentSettings } from '../../../shared/wiring/environment.ts';
import { intakeFromEnv } from '../../../shared/wiring/intake-deps.ts';
import { workerFromEnv } from '../../../shared/wiring/worker-deps.ts';
import { WorkerMetrics } from '../../../shared/worker/worker-metrics.ts';
import { FIXTURE_CONFIG, ROOT, synth } from '../infra/helpers.ts';

/**
 * The local stack runs what deploys: each function's environment in the synthesised template and
 * the one the local stack gives it hold the same variables and values (only the stand-ins'
 * endpoints, the local secrets switch and the log level differ), and the wiring builds the same
 * dependencies from both. Nothing connects anywhere: clients are made, never called.
 */

// Not the defaults, so a local worker falling back to defaults would be seen.
const CONTEXT = { 'config.worker.zscalerTimeoutSeconds': 7, 'config.worker.zscalerMaxAttempts': 2 };
const LOCAL_ONLY = /^(AWS_(REGION|ACCESS_KEY_ID|ENDPOINT_URL_\w+)|ZCOPS_SECRETS_SOURCE)$/;
/** A deliberate local choice: WARN by default, `--verbose` for more; the stack uses `logLevel`. */
const LOG_LEVEL = 'POWERTOOLS_LOG_LEVEL';

let config: ZcopsConfig;
let deployed: Record<FunctionName, Record<string, unknown>>;
let aws: AwsClients;
let wiring: FunctionWiring;

beforeAll(() => {
  const { template } = synth({ context: CONTEXT, cfnValidation: false });
  const fns = template.findResources('AWS::Lambda::Function');
  const envOf = (prefix: string) =>
    Object.entries(fns).find(([id]) => id.startsWith(prefix))![1].Properties.Environment.Variables as Record<
      string,
      unknown
    >;
  deployed = {
    webhook: envOf('WebhookFunction'),
    events: envOf('EventsFunction'),
    worker: envOf('WorkerFunction'),
  };
  const context: Record<string, unknown> = { configFile: FIXTURE_CONFIG, ...CONTEXT };
  ({ config } = loadConfig({
    projectRoot: ROOT,
    context: (k) => context[k],
    contextKeys: Object.keys(context),
  }));
  const endpoints = {
    region: 'us-east-1',
    dynamodb: 'http://127.0.0.1:1',
    sqs: 'http://127.0.0.1:1',
    s3: 'http://127.0.0.1:1',
    autoscaling: 'http://127.0.0.1:1',
    ec2: 'http://127.0.0.1:1',
  };
  aws = awsClients(endpoints);
  wiring = {
    config,
    endpoints,
    aws,
    names: {
      tables: { requests: 'zcops-requests', audit: 'zcops-audit', ratelimit: 'zcops-ratelimit' },
      jobsQueueUrl: 'http://127.0.0.1:1/000000000000/zcops-jobs',
      bucket: 'zcops-snapshots',
    },
    secrets: {},
  };
});
afterAll(() => aws?.destroy());

/** The deployed environment with CloudFormation references replaced by the local names. */
function resolved(fn: FunctionName): Record<string, string> {
  const local = functionEnvironment(wiring, fn);
  return Object.fromEntries(
    Object.entries(deployed[fn])
      .filter(([k]) => k !== 'NODE_OPTIONS')
      .map(([k, v]) => {
        if (typeof v === 'string') return [k, v];
        // A table, queue or bucket reference: the local stack has its own resource for it.
        expect(JSON.stringify(v), k).toMatch(/"(Ref|Fn::GetAtt)"/);
        return [k, local[k] ?? ''];
      }),
  );
}

describe('the local stack wires each function as it deploys', () => {
  it.each(['webhook', 'events', 'worker'] as const)('%s: the same environment variables and values', (fn) => {
    const local = functionEnvironment(wiring, fn);
    const cloud = resolved(fn);
    for (const [k, v] of Object.entries(cloud)) if (k !== LOG_LEVEL) expect(local[k], k).toBe(v);
    expect(Object.keys(local).filter((k) => !(k in cloud) && !LOCAL_ONLY.test(k))).toEqual([]);
    expect(Object.keys(cloud).filter((k) => !(k in local))).toEqual([]);
    const { logLevel: _a, ...fromCloud } = readDeploymentSettings(
      cloud,
      { ratelimit: fn === 'worker' },
      Error as never,
    );
    const { logLevel: _b, ...fromLocal } = readDeploymentSettings(
      local,
      { ratelimit: fn === 'worker' },
      Error as never,
    );
    expect(fromLocal).toEqual(fromCloud);
  });

  it('the worker: the Zscaler timeouts and attempts, limiter budgets, metrics, callbacks and services of Lambda', () => {
    const local = workerDeps(wiring);
    const lambda = workerFromEnv({ ...resolved('worker'), ZCOPS_SECRETS_SOURCE: 'local' }, { aws });
    expect(local.config).toEqual(lambda.config);
    expect(local.client).toEqual(lambda.client);
    expect(local.client).toEqual({
      http: { connectTimeoutMs: 7000, headersTimeoutMs: 7000, bodyTimeoutMs: 7000 },
      retry: { maxAttempts: 2 },
    });
    expect((local.limiter as unknown as { limits: unknown }).limits).toEqual(
      (lambda.limiter as unknown as { limits: unknown }).limits,
    );
    expect(local.metrics).toBeInstanceOf(WorkerMetrics);
    expect(lambda.metrics).toBeInstanceOf(WorkerMetrics);
    expect(local.logger).toBeInstanceOf(Logger);
    expect(lambda.logger).toBeInstanceOf(Logger);
    expect(local.listeners?.map((l) => l.constructor)).toEqual([TicketNotifier]);
    expect(lambda.listeners?.map((l) => l.constructor)).toEqual([TicketNotifier]);
    expect(Object.keys(local.services ?? {}).sort()).toEqual(Object.keys(lambda.services ?? {}).sort());
    expect(local.services?.snapshots?.bucket).toBe('zcops-snapshots');
    expect(local.services?.lifecycle).toBeInstanceOf(AwsLifecycleCompleter);
  });

  it.each(['webhook', 'events'] as const)(
    '%s: the configuration, logger, metrics and completer of Lambda',
    (fn) => {
      const local = intakeDeps(wiring, fn);
      const lambda = intakeFromEnv({ ...resolved(fn), ZCOPS_SECRETS_SOURCE: 'local' }, { aws });
      expect(local.config).toEqual(lambda.config);
      expect(local.logger).toBeInstanceOf(Logger);
      expect(local.metrics).toBeInstanceOf(Metrics);
      expect(lambda.metrics).toBeInstanceOf(Metrics);
      expect(local.completer.constructor).toBe(lambda.completer.constructor);
    },
  );
});
