import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TargetError, UsageError } from '../../../cli/errors.ts';
import { resolveProfile } from '../../../cli/profile.ts';

const config = { tenants: [{ name: 'acme', zpa: { customerId: '1' }, secretName: 's' }], sources: [] };

describe('resolveProfile', () => {
  it('reads CloudFormation outputs (cdk deploy --outputs-file) with --config', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'zcops-prof-'));
    writeFileSync(
      join(cwd, 'outputs.json'),
      JSON.stringify({
        Zcops: {
          RequestsTableName: 'Zcops-Requests',
          AuditTableName: 'Zcops-Audit',
          RateLimitTableName: 'Zcops-Rate',
          JobsQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/Zcops-Jobs',
          JobsDlqUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/Zcops-Dlq',
          SnapshotsBucketName: 'zcops-snapshots-abc',
          ApiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/',
        },
      }),
    );
    writeFileSync(join(cwd, 'zcops.config.json'), JSON.stringify(config));
    const p = resolveProfile({ cwd, env: {}, profileFile: 'outputs.json', configFile: 'zcops.config.json' });
    expect(p).toMatchObject({
      kind: 'deployed',
      region: 'eu-west-1',
      tables: { requests: 'Zcops-Requests', audit: 'Zcops-Audit', ratelimit: 'Zcops-Rate' },
      queues: { dlqUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/Zcops-Dlq' },
      bucket: 'zcops-snapshots-abc',
      endpoints: { http: 'https://abc.execute-api.eu-west-1.amazonaws.com/' },
    });
    expect(p.endpoints.dynamodb).toBeUndefined();
  });

  it("reads the functions' environment variables", () => {
    const cwd = mkdtempSync(join(tmpdir(), 'zcops-prof-'));
    const p = resolveProfile({
      cwd,
      env: {
        REQUESTS_TABLE: 'r',
        AUDIT_TABLE: 'a',
        RATELIMIT_TABLE: 'l',
        JOBS_QUEUE_URL: 'q',
        ZCOPS_CONFIG: JSON.stringify(config),
        AWS_REGION: 'eu-central-1',
      },
    });
    expect(p).toMatchObject({
      kind: 'deployed',
      region: 'eu-central-1',
      tables: { requests: 'r', audit: 'a', ratelimit: 'l' },
    });
  });

  it("finds the local stack's profile from a sub-folder, and refuses a stale one", () => {
    const root = mkdtempSync(join(tmpdir(), 'zcops-prof-'));
    mkdirSync(join(root, '.zcops'));
    mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
    const profile = {
      v: 1,
      kind: 'local',
      region: 'us-east-1',
      endpoints: { dynamodb: 'http://127.0.0.1:1' },
      tables: { requests: 'r', audit: 'a', ratelimit: 'l' },
      queues: { jobsUrl: 'q' },
      config,
      pid: process.pid,
    };
    writeFileSync(join(root, '.zcops', 'local.json'), JSON.stringify(profile));
    expect(resolveProfile({ cwd: join(root, 'sub', 'deeper'), env: {} }).kind).toBe('local');
    writeFileSync(join(root, '.zcops', 'local.json'), JSON.stringify({ ...profile, pid: 2 ** 22 + 12345 }));
    expect(() => resolveProfile({ cwd: root, env: {} })).toThrow(TargetError);
  });

  it('bad profile files are usage errors naming the problem', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'zcops-prof-'));
    writeFileSync(join(cwd, 'bad.json'), '{"v":1,"kind":"local"}');
    expect(() => resolveProfile({ cwd, env: {}, profileFile: 'bad.json' })).toThrow(UsageError);
    expect(() => resolveProfile({ cwd, env: {}, profileFile: 'bad.json' })).toThrow(/region/);
    expect(() => resolveProfile({ cwd, env: {}, profileFile: 'nope.json' })).toThrow(/file not found/);
    writeFileSync(join(cwd, 'outputs.json'), '{"Other": {"X": 1}}');
    expect(() => resolveProfile({ cwd, env: {}, profileFile: 'outputs.json' })).toThrow(
      /outputs of exactly one zcops stack/,
    );
  });
});
