import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../cli/run.ts';
import { parseConfig, runtimeConfig } from '../../../infra/config.ts';
import { defaultLocalConfig, readConfigFile } from '../../../local/local-config.ts';
import { startLocalStack } from '../../../local/stack.ts';
import { loadIntakeConfigFromEnv } from '../../../shared/intake/config.ts';
import { loadWorkerConfig } from '../../../shared/wiring/worker-config.ts';
import { testIo } from '../../unit/cli/test-io.ts';

/**
 * Configuration files with mistakes get clear errors at start, naming the field, from every place
 * that loads one: the CDK app (`parseConfig`), the local stack (`--config`, `--tenant-file`), the
 * functions' environment loaders, the Lambda handlers at init (not at the first request), and the
 * CLI's profile file.
 */

// biome-ignore lint/suspicious/noExplicitAny: a configuration broken on purpose, any field at any depth
type Loose = Record<string, any>;

const dir = mkdtempSync(join(tmpdir(), 'zcops-config-errors-'));
/** A valid configuration file (the local default), as JSON. */
const valid = () => JSON.parse(JSON.stringify(defaultLocalConfig('http://127.0.0.1:1'))) as Loose;

/** One mistake per case: how to make it, the field the error must name, and who reads that field. */
const MISTAKES: {
  name: string;
  break: (c: Loose) => void;
  field: RegExp;
  readBy: ('intake' | 'worker')[];
}[] = [
  {
    name: 'maxReceiveCount 0',
    break: (c) => {
      c.worker.maxReceiveCount = 0;
    },
    field: /worker\.maxReceiveCount/,
    readBy: ['worker'],
  },
  {
    name: 'an unknown action',
    break: (c) => {
      c.sources[0].allowedActions = ['appConnector.destroy'];
    },
    field: /sources\[0\]\.allowedActions\[0\]/,
    readBy: ['intake', 'worker'],
  },
  {
    name: 'a customer id that is not digits',
    break: (c) => {
      c.tenants[0].zpa.customerId = '2172466603/../1';
    },
    field: /tenants\[0\]\.zpa\.customerId/,
    // The intake needs only tenant names; the worker reads the whole tenant.
    readBy: ['worker'],
  },
  {
    name: 'a protected name pattern that is no regular expression',
    break: (c) => {
      c.guardrails.protectedNamePatterns = ['do not (delete'];
    },
    field: /guardrails\.protectedNamePatterns\[0\]/,
    readBy: ['worker'],
  },
  {
    name: 'a rate window of 0 calls',
    break: (c) => {
      c.rateLimits.defaults = { zpa: { write: [{ limit: 0, windowMs: 10_000 }] } };
    },
    field: /rateLimits\.defaults\.zpa\.write\[0\]\.limit/,
    readBy: ['worker'],
  },
];

describe.each(MISTAKES)('a configuration with $name', (m) => {
  const broken = valid();
  m.break(broken);

  it('is refused by the CDK app naming the field', () => {
    expect(() => parseConfig(broken, 'zcops.config.json')).toThrow(m.field);
  });

  it('is refused by the local stack (--config) naming the file and the field', () => {
    const file = join(dir, `${m.name.replace(/\W+/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(broken));
    expect(() => readConfigFile(file)).toThrow(m.field);
    expect(() => readConfigFile(file)).toThrow(file);
  });

  it("is refused by the functions' loaders that read the field", () => {
    // What CDK would have put in ZCOPS_CONFIG had the mistake got past it (e.g. an edited variable).
    const { stack: _s, snapshotSchedules: _p, logLevel: _l, ...runtime } = broken;
    const text = JSON.stringify({ ...runtime, worker: broken.worker });
    if (m.readBy.includes('intake')) {
      expect(() => loadIntakeConfigFromEnv({ ZCOPS_CONFIG: text })).toThrow(m.field);
    }
    if (m.readBy.includes('worker')) expect(() => loadWorkerConfig(JSON.parse(text))).toThrow(m.field);
  });
});

describe('the Lambda handlers fail at init, not at the first request', () => {
  const goodRuntime = JSON.stringify(runtimeConfig(defaultLocalConfig('http://127.0.0.1:1')));
  const env = {
    AWS_LAMBDA_FUNCTION_NAME: 'zcops-test',
    AWS_REGION: 'us-east-1',
    REQUESTS_TABLE: 'requests',
    AUDIT_TABLE: 'audit',
    RATELIMIT_TABLE: 'ratelimit',
    JOBS_QUEUE_URL: 'http://127.0.0.1:1/queue/jobs',
    ZCOPS_SECRETS_SOURCE: 'local',
    ZCOPS_SECRETS: '{}',
  };
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });
  const stub = (vars: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries({ ...env, ...vars })) vi.stubEnv(k, v);
  };
  const broken = (() => {
    const c = JSON.parse(goodRuntime);
    c.sources[0].allowedActions = ['appConnector.destroy'];
    c.worker.maxReceiveCount = 0;
    return JSON.stringify(c);
  })();

  it.each([
    ['webhook', () => import('../../../functions/webhook/handler.ts'), /sources\[0\]\.allowedActions\[0\]/],
    ['events', () => import('../../../functions/events/handler.ts'), /sources\[0\]\.allowedActions\[0\]/],
    ['worker', () => import('../../../functions/worker/handler.ts'), /worker\.maxReceiveCount/],
  ])('%s: a broken ZCOPS_CONFIG fails loading the module with the field named', async (_n, load, field) => {
    stub({ ZCOPS_CONFIG: broken });
    vi.resetModules();
    await expect(load()).rejects.toThrow(field);
  });

  it.each([
    ['webhook', () => import('../../../functions/webhook/handler.ts')],
    ['worker', () => import('../../../functions/worker/handler.ts')],
  ])('%s: a missing table variable is named at init', async (_n, load) => {
    stub({ ZCOPS_CONFIG: goodRuntime, REQUESTS_TABLE: undefined });
    vi.resetModules();
    await expect(load()).rejects.toThrow(/REQUESTS_TABLE: required/);
  });

  it('a valid environment loads every handler (and tests without Lambda variables never build one)', async () => {
    stub({ ZCOPS_CONFIG: goodRuntime });
    vi.resetModules();
    for (const load of [
      () => import('../../../functions/webhook/handler.ts'),
      () => import('../../../functions/events/handler.ts'),
      () => import('../../../functions/worker/handler.ts'),
    ]) {
      expect(typeof (await load()).handler).toBe('function');
    }
  });
});

describe('the local stack refuses broken real-tenant credentials at start, naming fields not values', () => {
  it('--tenant-file with a bad secret', { timeout: 30_000 }, async () => {
    const secret = 'sup3r-s3cret-value-never-printed';
    const text = JSON.stringify({
      acme: { zpa: { authType: 'legacy', clientId: 42, clientSecret: secret } },
    });
    const err = await startLocalStack({
      stateDir: mkdtempSync(join(dir, 'stack-')),
      port: 0,
      writeProfile: false,
      schedules: false,
      tenantCredentials: { text, origin: 'tenants.json' },
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/tenants\.json/);
    expect(err?.message).toMatch(/acme\.zpa\.clientId/);
    expect(err?.message).not.toContain(secret);
  });
});

describe("the CLI's profile file", () => {
  it('a profile with a missing table is a usage error naming the field', async () => {
    const file = join(dir, 'profile.json');
    writeFileSync(
      file,
      JSON.stringify({ v: 1, kind: 'local', region: 'us-east-1', endpoints: {}, queues: { jobsUrl: 'x' } }),
    );
    const io = testIo({ cwd: dir });
    const code = await runCli(['status', '00000000-0000-4000-8000-000000000001', '--profile-file', file], io);
    expect(code).toBe(2);
    expect(io.stderr).toMatch(/profile\.json/);
    expect(io.stderr).toMatch(/tables/);
    expect(io.stderr).not.toMatch(/\n\s+at /);
  });
});
