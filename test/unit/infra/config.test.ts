import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  callbackSecretNames,
  contextValue,
  lifecycleAsgNames,
  loadConfig,
  MAX_RUNTIME_CONFIG_BYTES,
  parseConfig,
  resolveConfigFile,
  runtimeConfigJson,
  sourceSecretNames,
  WORKER_RUNTIME_KEYS,
} from '../../../infra/config.ts';
import { QUEUE_DEFAULTS } from '../../../infra/defaults.ts';
import { InfraConfigError } from '../../../infra/errors.ts';
import { loadIntakeConfig } from '../../../shared/intake/config.ts';
import { loadWorkerConfig } from '../../../shared/wiring/worker-config.ts';
import { FIXTURE_CONFIG, ROOT } from './helpers.ts';

const fixture = () => JSON.parse(readFileSync(join(ROOT, FIXTURE_CONFIG), 'utf8')) as Record<string, unknown>;
const issuesOf = (raw: unknown): string[] => {
  try {
    parseConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(InfraConfigError);
    return [...(err as InfraConfigError).issues];
  }
  throw new Error('expected the configuration to be rejected');
};
const load = (context: Record<string, unknown>) =>
  loadConfig({ projectRoot: ROOT, context: (k) => context[k], contextKeys: Object.keys(context) });

describe('configuration', () => {
  it('accepts the example file and fills defaults', () => {
    const config = parseConfig(JSON.parse(readFileSync(join(ROOT, 'zcops.config.example.json'), 'utf8')));
    expect(config.stack.name).toBe('Zcops');
    expect(config.stack.account).toBeUndefined();
    expect(config.intake.maxBodyBytes).toBeGreaterThan(0);
    expect(config.snapshotSchedules[0]).toMatchObject({
      tenant: 'acme',
      timezone: 'Europe/Paris',
      enabled: true,
    });
  });

  it('names the field of every problem', () => {
    const raw = fixture();
    (raw.tenants as Record<string, unknown>[])[0]!.secretName = '';
    raw.snapshotSchedules = [{ tenant: 'nobody', expression: 'cron(0 3 * * ?)', timezone: 'Mars/Olympus' }];
    raw.logRetentionDays = 42;
    (raw.worker as Record<string, unknown>).maxConcurrency = 1;
    const issues = issuesOf(raw);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^tenants\[0\]\.secretName: /),
        expect.stringMatching(/^snapshotSchedules\[0\]\.expression: .*six fields/),
        expect.stringMatching(/^snapshotSchedules\[0\]\.timezone: .*IANA/),
        expect.stringMatching(/^logRetentionDays: .*must be one of/),
        expect.stringMatching(/^worker\.maxConcurrency: .*at least 2/),
      ]),
    );
  });

  it('rejects schedules of unknown tenants and duplicates', () => {
    const raw = fixture();
    raw.snapshotSchedules = [
      { tenant: 'nobody', expression: 'rate(1 day)' },
      { tenant: 'acme', expression: 'rate(1 day)' },
      { tenant: 'acme', expression: 'rate(2 days)' },
    ];
    expect(issuesOf(raw)).toEqual([
      'snapshotSchedules[0].tenant: unknown tenant "nobody"',
      'snapshotSchedules[2].tenant: tenant "acme" already has a schedule',
    ]);
  });

  it('wants the schedule source the events function will resolve', () => {
    const raw = fixture();
    raw.sources = (raw.sources as { kind: string }[]).filter((s) => s.kind !== 'schedule');
    expect(issuesOf(raw)).toEqual([
      'snapshotSchedules[0].source: needs exactly one source of kind schedule, or name one here (found 0)',
      'snapshotSchedules[1].source: needs exactly one source of kind schedule, or name one here (found 0)',
    ]);
    const named = fixture();
    (named.snapshotSchedules as Record<string, unknown>[])[0]!.source = 'servicenow';
    expect(issuesOf(named)).toEqual([
      'snapshotSchedules[0].source: "servicenow" is not a source of kind schedule',
    ]);
  });

  it('checks sources with the intake schema, including cross-field rules', () => {
    const raw = fixture();
    (raw.sources as Record<string, unknown>[])[0]!.allowedTenants = ['initech'];
    expect(issuesOf(raw)).toEqual(['sources[0].allowedTenants[0]: unknown tenant "initech"']);
  });

  it('wants account and region together', () => {
    const raw = fixture();
    raw.stack = { account: '123456789012' };
    expect(issuesOf(raw)).toEqual(['stack: give both account and region, or neither (environment-agnostic)']);
  });

  it('produces a runtime configuration the intake loader accepts, without deployment settings', () => {
    const config = parseConfig(fixture());
    const runtime = JSON.parse(runtimeConfigJson(config));
    expect(Object.keys(runtime).sort()).toEqual([
      'autoscaling',
      'guardrails',
      'intake',
      'notify',
      'rateLimits',
      'sources',
      'tenants',
      'worker',
    ]);
    expect(loadIntakeConfig(runtime).tenants.map((t) => t.name)).toEqual(['acme', 'globex']);
    // Deployment-only worker settings stay out of the functions' environment.
    expect(Object.keys(runtime.worker).sort()).toEqual([...WORKER_RUNTIME_KEYS].sort());
    for (const key of [
      'maxConcurrency',
      'batchSize',
      'timeoutSeconds',
      'memoryMb',
      'visibilityTimeoutSeconds',
    ])
      expect(runtime.worker).not.toHaveProperty(key);
  });

  it("passes the worker its settings, guardrails and rate limits, which the worker's own loader reads", () => {
    const worker = loadWorkerConfig(JSON.parse(runtimeConfigJson(parseConfig(fixture()))));
    expect(worker.worker).toMatchObject({
      maxReceiveCount: 4,
      leaseSeconds: 600,
      maxSleepMs: 3000,
      maxAgeHours: 24,
      bulkDeleteChunk: 100,
      activationQuietSeconds: 5,
      teardownGraceSeconds: 900,
      pollIntervalSeconds: 60,
      editLockDelaySeconds: 30,
      transientDelaySeconds: 60,
    });
    expect(worker.guardrails).toEqual({
      protectedNamePatterns: ['do not delete', '^prod-'],
      deletionsPerHour: 20,
      tenants: { globex: { deletionsPerHour: 4 } },
    });
    expect(worker.rateLimits).toMatchObject({
      margin: 0.05,
      timeScale: 1,
      tenants: { acme: { margin: 0.1 } },
    });
    expect(worker.tenants.map((t) => t.secretName)).toEqual(['zcops/tenants/acme', 'zcops/tenants/globex']);
    expect(worker.sources.map((s) => s.name)).toEqual(['servicenow', 'jira', 'aws-asg', 'snapshots']);
    expect(worker.notify.callbacks).toEqual([
      {
        kind: 'servicenow',
        source: 'servicenow',
        instanceUrl: 'https://acme.service-now.com',
        table: 'change_request',
        field: 'work_notes',
        secretName: 'zcops/itsm/servicenow',
      },
      {
        kind: 'generic',
        source: 'jira',
        url: 'https://hooks.example.com/zcops',
        secretName: 'zcops/itsm/jira-callback',
      },
    ]);
    expect(worker.notify.retry).toMatchObject({ attempts: 3, baseDelayMs: 500 });
  });

  it('leaves notify out of ZCOPS_CONFIG without callbacks; the worker then has none', () => {
    const raw = fixture();
    delete raw.notify;
    const runtime = JSON.parse(runtimeConfigJson(parseConfig(raw)));
    expect(runtime).not.toHaveProperty('notify');
    expect(loadWorkerConfig(runtime).notify.callbacks).toEqual([]);
    expect(callbackSecretNames(parseConfig(raw))).toEqual([]);
  });

  it('wants each callback on a configured itsm source, one per source, with valid fields', () => {
    const raw = fixture();
    raw.notify = {
      callbacks: [
        { kind: 'servicenow', source: 'nosuch', instanceUrl: 'https://a.service-now.com', secretName: 's' },
        { kind: 'generic', source: 'snapshots', url: 'https://hooks.example.com', secretName: 's' },
        { kind: 'jira', source: 'jira', baseUrl: 'ftp://x', secretName: 's' },
      ],
    };
    expect(issuesOf(raw)).toEqual([
      'notify.callbacks[2].baseUrl: must be an http(s) URL',
      'notify.callbacks[0].source: unknown source "nosuch"',
      'notify.callbacks[1].source: "snapshots" is a source of kind schedule; only itsm sources get ticket callbacks',
    ]);
    raw.notify = {
      callbacks: [
        { kind: 'generic', source: 'jira', url: 'https://a.example.com', secretName: 's' },
        { kind: 'generic', source: 'jira', url: 'https://b.example.com', secretName: 's' },
      ],
    };
    expect(issuesOf(raw)).toEqual(['notify.callbacks[1].source: source "jira" has two callbacks']);
  });

  it('defaults the worker settings as the worker does, one receive limit for the queue and the worker', () => {
    const raw = fixture();
    raw.worker = {};
    delete raw.guardrails;
    const config = parseConfig(raw);
    expect(config.worker).toMatchObject({
      maxReceiveCount: QUEUE_DEFAULTS.maxReceiveCount,
      leaseSeconds: 900,
      timeoutSeconds: 120,
      maxConcurrency: QUEUE_DEFAULTS.maxConcurrency,
      batchSize: QUEUE_DEFAULTS.batchSize,
    });
    expect(config.worker.visibilityTimeoutSeconds).toBeUndefined();
    expect(config.guardrails.protectedNamePatterns).toEqual(['do not delete']);
  });

  it('wants a lease at least as long as the worker timeout, and a visibility of six timeouts', () => {
    const raw = fixture();
    raw.worker = { timeoutSeconds: 300, leaseSeconds: 200, visibilityTimeoutSeconds: 1200 };
    expect(issuesOf(raw)).toEqual([
      'worker.leaseSeconds: leaseSeconds (200) must be at least timeoutSeconds (300): a lease ending before the invocation lets another worker run the same request',
      'worker.visibilityTimeoutSeconds: visibilityTimeoutSeconds (1200) must be at least 6 × timeoutSeconds (1800)',
    ]);
    raw.worker = { timeoutSeconds: 300, leaseSeconds: 300, visibilityTimeoutSeconds: 1800 };
    expect(parseConfig(raw).worker).toMatchObject({ leaseSeconds: 300, visibilityTimeoutSeconds: 1800 });
  });

  it('wants one Zscaler call, retries and waits included, to fit inside the worker timeout', () => {
    const raw = fixture();
    raw.worker = { timeoutSeconds: 60, leaseSeconds: 900, zscalerTimeoutSeconds: 20, zscalerMaxAttempts: 3 };
    expect(issuesOf(raw)).toEqual([
      'worker.zscalerTimeoutSeconds: zscalerTimeoutSeconds × zscalerMaxAttempts + 10 s of back-off + maxSleepMs (75 s) must be less than timeoutSeconds (60): a call that outlives the invocation leaves its outcome unknown',
    ]);
    raw.worker = { timeoutSeconds: 60, leaseSeconds: 900, zscalerTimeoutSeconds: 10, zscalerMaxAttempts: 3 };
    expect(parseConfig(raw).worker).toMatchObject({ zscalerTimeoutSeconds: 10, zscalerMaxAttempts: 3 });
  });

  it('refuses misspelt worker and guardrail keys, unknown tenants, and a sped-up limiter', () => {
    const raw = fixture();
    raw.worker = { leaseSecs: 1200 };
    raw.guardrails = { deletionsPerHour: 5, tenants: { initech: { deletionsPerHour: 1 } }, protect: [] };
    raw.rateLimits = { timeScale: 10, tenants: { initech: { margin: 0.2 } } };
    expect(issuesOf(raw)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^worker: .*leaseSecs/),
        expect.stringMatching(/^guardrails: .*protect/),
      ]),
    );
    raw.worker = {};
    raw.guardrails = { protectedNamePatterns: ['('] };
    expect(issuesOf(raw)).toContain(
      'guardrails.protectedNamePatterns[0]: protectedNamePatterns must be valid regular expressions',
    );
    raw.guardrails = { tenants: { initech: { deletionsPerHour: 1 } } };
    expect(issuesOf(raw)).toEqual([
      'guardrails.tenants.initech: unknown tenant "initech"',
      'rateLimits.tenants.initech: unknown tenant "initech"',
      'rateLimits.timeScale: timeScale speeds up every window for benchmarks and tests; a deployment must use 1',
    ]);
  });

  it('keeps the example configuration, with every worker key spelt out, inside the environment budget', () => {
    const example = JSON.parse(readFileSync(join(ROOT, 'zcops.config.example.json'), 'utf8'));
    const json = runtimeConfigJson(parseConfig(example));
    expect(Buffer.byteLength(json)).toBeLessThan(MAX_RUNTIME_CONFIG_BYTES);
    expect(Object.keys(JSON.parse(json).worker).sort()).toEqual([...WORKER_RUNTIME_KEYS].sort());
    expect(Object.keys(example.worker)).toEqual(expect.arrayContaining(WORKER_RUNTIME_KEYS));
    expect(example.guardrails).toBeDefined();
    expect(example.rateLimits).toBeDefined();
    // Ticket callbacks travel too: the budget holds with them.
    expect(JSON.parse(json).notify.callbacks).toHaveLength(2);
  });

  it('refuses a runtime configuration too large for the Lambda environment', () => {
    const raw = fixture();
    raw.tenants = Array.from({ length: 40 }, (_, i) => ({
      name: `tenant-${i}`,
      zpa: { customerId: '216196257331281920' },
      secretName: `zcops/tenants/tenant-with-a-long-name-${i}`,
    }));
    raw.snapshotSchedules = [];
    raw.sources = [];
    delete raw.guardrails;
    delete raw.rateLimits;
    delete raw.notify;
    expect(() => runtimeConfigJson(parseConfig(raw))).toThrow(new RegExp(`over ${MAX_RUNTIME_CONFIG_BYTES}`));
  });

  it('collects source secrets and lifecycle ASG names from every place they can be given', () => {
    const config = parseConfig(fixture());
    expect(sourceSecretNames(config)).toEqual([
      'zcops/sources/servicenow',
      'zcops/sources/jira-hmac',
      'zcops/sources/jira-bearer',
    ]);
    expect(lifecycleAsgNames(config)).toEqual(['zpa-connectors-a', 'zpa-connectors-b']);
    expect(callbackSecretNames(config)).toEqual(['zcops/itsm/servicenow', 'zcops/itsm/jira-callback']);
  });
});

describe('loading from file and context', () => {
  it('uses context configFile, then zcops.config.json, then the example', () => {
    expect(resolveConfigFile(ROOT, FIXTURE_CONFIG)).toBe(join(ROOT, FIXTURE_CONFIG));
    expect(resolveConfigFile('/nonexistent', undefined)).toBe('/nonexistent/zcops.config.example.json');
  });

  it('applies config.* context overrides, parsing numbers and arrays but keeping account ids as strings', () => {
    const { config, overrides } = load({
      configFile: FIXTURE_CONFIG,
      'config.worker.maxConcurrency': '12',
      'config.autoscaling.asgNames': '["asg-x"]',
      'config.stack.account': '012345678901',
      'config.stack.region': 'eu-west-1',
      'config.logLevel': 'WARN',
    });
    expect(config.worker.maxConcurrency).toBe(12);
    expect(config.autoscaling.asgNames).toEqual(['asg-x']);
    expect(config.stack).toMatchObject({ account: '012345678901', region: 'eu-west-1' });
    expect(config.logLevel).toBe('WARN');
    expect(overrides).toHaveLength(5);
  });

  it('takes Cloud & Branch Connector budgets per endpoint family (file or context), and older per-class ones', () => {
    const { config } = load({
      configFile: FIXTURE_CONFIG,
      'config.rateLimits.tenants.acme.limits.ztw.ecVmUuid.delete': '[{"limit":1,"windowMs":2000}]',
    });
    expect(config.rateLimits.tenants.acme?.limits?.ztw).toEqual({
      ecVmUuid: { delete: [{ limit: 1, windowMs: 2000 }] },
    });
    const worker = loadWorkerConfig(JSON.parse(runtimeConfigJson(config)));
    expect(worker.rateLimits.tenants.acme?.limits?.ztw).toEqual({
      ecVmUuid: { delete: [{ limit: 1, windowMs: 2000 }] },
    });
    // An older configuration's per-class key still loads (it sets every DELETE endpoint's budget).
    const raw = fixture();
    raw.rateLimits = {
      defaults: {
        ztw: {
          delete: [
            { limit: 1, windowMs: 60_000 },
            { limit: 4, windowMs: 3_600_000 },
          ],
        },
      },
    };
    expect(parseConfig(raw).rateLimits.defaults?.ztw).toMatchObject({ delete: [{ limit: 1 }, { limit: 4 }] });
    // A family's method the summary does not list is refused by name.
    raw.rateLimits = {
      defaults: { ztw: { ecAdminActivateStatus: { put: [{ limit: 1, windowMs: 1000 }] } } },
    };
    expect(issuesOf(raw)).toEqual(['rateLimits.defaults.ztw.ecAdminActivateStatus: Unrecognized key: "put"']);
  });

  it('names the file and the overrides when the result is invalid', () => {
    expect(() => load({ configFile: FIXTURE_CONFIG, 'config.worker.batchSize': '50' })).toThrow(
      /zcops\.config\.json with context config\.worker\.batchSize[\s\S]*worker\.batchSize: /,
    );
  });

  it('refuses prototype keys and missing or malformed files', () => {
    expect(() => load({ configFile: FIXTURE_CONFIG, 'config.__proto__.x': '1' })).toThrow(
      /not a valid setting path/,
    );
    expect(() => load({ configFile: 'nope.json' })).toThrow(/file not found/);
    expect(() => load({ configFile: 'package-lock.json', 'config.tenants': '[]' })).toThrow(InfraConfigError);
  });

  it('keeps context strings that are not JSON as strings', () => {
    expect(contextValue('eu-west-1')).toBe('eu-west-1');
    expect(contextValue('true')).toBe(true);
    expect(contextValue('123456789012')).toBe('123456789012');
    expect(contextValue(7)).toBe(7);
  });
});
