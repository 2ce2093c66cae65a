import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  contextValue,
  lifecycleAsgNames,
  loadConfig,
  MAX_RUNTIME_CONFIG_BYTES,
  parseConfig,
  resolveConfigFile,
  runtimeConfigJson,
  sourceSecretNames,
} from '../../../infra/config.ts';
import { InfraConfigError } from '../../../infra/errors.ts';
import { loadIntakeConfig } from '../../../shared/intake/config.ts';
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
    expect(Object.keys(runtime).sort()).toEqual(['autoscaling', 'intake', 'sources', 'tenants']);
    expect(loadIntakeConfig(runtime).tenants.map((t) => t.name)).toEqual(['acme', 'globex']);
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
