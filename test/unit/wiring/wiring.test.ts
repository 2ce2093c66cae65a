import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { QuietMetrics } from '../../../local/quiet-metrics.ts';
import { DynamoAuditLog } from '../../../shared/audit/dynamo-audit-log.ts';
import { IntakeConfigError } from '../../../shared/intake/errors.ts';
import { MemoryLifecycleCompleter } from '../../../shared/intake/lifecycle-completer.ts';
import { DynamoRequestStore } from '../../../shared/requests/dynamo-request-store.ts';
import { MemoryJobQueue } from '../../../shared/requests/memory-job-queue.ts';
import { SqsJobQueue } from '../../../shared/requests/sqs-job-queue.ts';
import { MemorySecretSource } from '../../../shared/secrets/memory-secret-source.ts';
import { awsClients } from '../../../shared/wiring/aws-clients.ts';
import { readDeploymentSettings } from '../../../shared/wiring/environment.ts';
import { WorkerConfigError } from '../../../shared/wiring/errors.ts';
import { intakeFromEnv } from '../../../shared/wiring/intake-deps.ts';
import { lambdaAwsClients } from '../../../shared/wiring/lambda-aws-clients.ts';
import { operatorDeps } from '../../../shared/wiring/operator-deps.ts';
import { workerFromEnv } from '../../../shared/wiring/worker-deps.ts';
import { WorkerMetrics } from '../../../shared/worker/worker-metrics.ts';

/** Building dependencies makes clients but never calls them: no network in these tests. */

const CONFIG = {
  tenants: [{ name: 'acme', zpa: { customerId: '216196257331281920' }, secretName: 'zcops/tenants/acme' }],
  sources: [
    {
      name: 'api',
      kind: 'api',
      secretName: 'zcops/sources/api',
      allowedActions: ['appConnector.delete'],
      allowedTenants: ['*'],
    },
  ],
  worker: { zscalerTimeoutSeconds: 15, zscalerMaxAttempts: 4 },
};
const ENV = {
  REQUESTS_TABLE: 'req',
  AUDIT_TABLE: 'aud',
  RATELIMIT_TABLE: 'rl',
  JOBS_QUEUE_URL: 'http://127.0.0.1:1/000000000000/jobs',
  ZCOPS_CONFIG: JSON.stringify(CONFIG),
  ZCOPS_SECRETS_SOURCE: 'local',
  POWERTOOLS_SERVICE_NAME: 'zcops-test',
};
const aws = awsClients({ region: 'us-east-1', dynamodb: 'http://127.0.0.1:1', sqs: 'http://127.0.0.1:1' });
afterAll(() => aws.destroy());
const invalid = (origin: string, problems: string[]) => new WorkerConfigError(origin, problems);

describe('reading a function environment', () => {
  it('names every missing variable in one error of the function', () => {
    const thrown = (() => {
      try {
        readDeploymentSettings({ AUDIT_TABLE: 'a' }, { ratelimit: true }, invalid);
      } catch (err) {
        return err;
      }
    })() as WorkerConfigError;
    expect(thrown).toBeInstanceOf(WorkerConfigError);
    expect(thrown.problems).toEqual([
      'REQUESTS_TABLE: required',
      'RATELIMIT_TABLE: required',
      'JOBS_QUEUE_URL: required',
    ]);
  });

  it('reads the configuration from ZCOPS_CONFIG_FILE and names a file that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zcops-wiring-'));
    const good = join(dir, 'config.json');
    writeFileSync(good, JSON.stringify(CONFIG));
    const { ZCOPS_CONFIG: _, ...rest } = ENV;
    const settings = readDeploymentSettings({ ...rest, ZCOPS_CONFIG_FILE: good }, {}, invalid);
    expect(settings).toMatchObject({ config: CONFIG, configOrigin: good, serviceName: 'zcops-test' });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    expect(() => readDeploymentSettings({ ...rest, ZCOPS_CONFIG_FILE: bad }, {}, invalid)).toThrow(
      `invalid worker configuration (${bad}): (root): not valid JSON`,
    );
    expect(() => readDeploymentSettings(rest, {}, invalid)).toThrow('set ZCOPS_CONFIG or ZCOPS_CONFIG_FILE');
  });

  it('each function keeps its own typed error: intake IntakeConfigError, worker WorkerConfigError', () => {
    expect(() => intakeFromEnv({ ...ENV, ZCOPS_SECRETS_SOURCE: 'vault' }, { aws })).toThrow(
      IntakeConfigError,
    );
    expect(() => intakeFromEnv({ ...ENV, ZCOPS_SECRETS_SOURCE: 'vault' }, { aws })).toThrow(
      'ZCOPS_SECRETS_SOURCE: must be aws or local',
    );
    const { RATELIMIT_TABLE: _, ...noLimiter } = ENV;
    expect(() => workerFromEnv(noLimiter, { aws })).toThrow(WorkerConfigError);
    expect(() => intakeFromEnv(noLimiter, { aws })).not.toThrow();
    expect(() =>
      workerFromEnv({ ...ENV, ZCOPS_CONFIG: JSON.stringify({ ...CONFIG, tenants: 'x' }) }, { aws }),
    ).toThrow(/^invalid worker configuration \(ZCOPS_CONFIG\): tenants: /);
  });
});

describe('the worker from its environment', () => {
  it('bounds Zscaler calls by the configuration and records metrics under its service', () => {
    const deps = workerFromEnv(ENV, { aws });
    expect(deps.client).toEqual({
      http: { connectTimeoutMs: 10_000, headersTimeoutMs: 15_000, bodyTimeoutMs: 15_000 },
      retry: { maxAttempts: 4 },
    });
    expect(deps.metrics).toBeInstanceOf(WorkerMetrics);
    expect(deps.logger).toBeInstanceOf(Logger);
    expect(deps.store).toBeInstanceOf(DynamoRequestStore);
    expect(deps.queue).toBeInstanceOf(SqsJobQueue);
    // No SNAPSHOTS_BUCKET: snapshot jobs say so; the other services are there.
    expect(Object.keys(deps.services ?? {}).sort()).toEqual(['instanceAddresses', 'lifecycle']);
    expect(workerFromEnv({ ...ENV, SNAPSHOTS_BUCKET: 'b' }, { aws }).services?.snapshots?.bucket).toBe('b');
  });

  it('takes its overrides and builds the rest as in Lambda', () => {
    const clock = { now: () => 0, sleep: async () => {} };
    const queue = new MemoryJobQueue();
    const lifecycle = new MemoryLifecycleCompleter();
    const secrets = new MemorySecretSource({});
    const wrapped: string[] = [];
    const services: string[] = [];
    const deps = workerFromEnv(ENV, {
      aws,
      clock,
      queue,
      lifecycle,
      secrets,
      metrics: (service) => {
        services.push(service);
        return new QuietMetrics(service);
      },
      wrapAudit: (a) => {
        wrapped.push('audit');
        return a;
      },
      client: { retry: { maxAttempts: 1 } },
      workerId: 'w-1',
    });
    expect(deps.clock).toBe(clock);
    expect(deps.queue).toBe(queue);
    expect(deps.secrets).toBe(secrets);
    expect(deps.services?.lifecycle).toBe(lifecycle);
    expect(deps.audit).toBeInstanceOf(DynamoAuditLog);
    expect(wrapped).toEqual(['audit']);
    expect(services).toEqual(['zcops-test']);
    // Only the attempts were overridden: the timeouts stay the configuration's.
    expect(deps.client).toEqual({
      http: { connectTimeoutMs: 10_000, headersTimeoutMs: 15_000, bodyTimeoutMs: 15_000 },
      retry: { maxAttempts: 1 },
    });
    expect(deps.workerId).toBe('w-1');
  });
});

describe('the intake from its environment', () => {
  it('gets a logger and metrics of its own service, and the wrapped store', () => {
    const calls: string[] = [];
    const deps = intakeFromEnv(ENV, {
      aws,
      wrapStore: (s) => {
        calls.push('store');
        return s;
      },
    });
    expect(deps.logger).toBeInstanceOf(Logger);
    expect(deps.metrics).toBeInstanceOf(Metrics);
    expect(deps.config.sources.map((s) => s.name)).toEqual(['api']);
    expect(calls).toEqual(['store']);
  });
});

describe("Lambda's clients", () => {
  it('are made on first use; S3, EC2 and Auto Scaling only when asked for', async () => {
    const clients = lambdaAwsClients();
    expect(typeof clients.s3).toBe('function');
    expect(typeof clients.ec2).toBe('function');
    expect(typeof clients.autoscaling).toBe('function');
    expect(clients.sqs).toBe(clients.sqs);
    const ec2 = clients.ec2 as () => Promise<unknown>;
    const made = await ec2();
    expect(await ec2()).toBe(made);
    clients.sqs.destroy();
    (made as { destroy(): void }).destroy();
  });
});

describe('the operator view (CLI)', () => {
  it('checks the configuration with both functions’ schemas', () => {
    const settings = {
      tables: { requests: 'req', audit: 'aud', ratelimit: 'rl' },
      jobsQueueUrl: ENV.JOBS_QUEUE_URL,
      config: CONFIG,
      configOrigin: 'the stack configuration',
    };
    const deps = operatorDeps(settings, aws);
    expect(deps.worker.worker.zscalerMaxAttempts).toBe(4);
    expect(deps.intake.tenants.map((t) => t.name)).toEqual(['acme']);
    expect(() => operatorDeps({ ...settings, config: { ...CONFIG, sources: [{}] } }, aws)).toThrow(
      IntakeConfigError,
    );
  });
});
