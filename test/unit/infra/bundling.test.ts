import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { presentEntries } from '../../../infra/app.ts';
import { BUNDLE_SETTINGS, ESM_REQUIRE_BANNER, esbuildBuildOptions } from '../../../infra/bundling.ts';
import type { FunctionName } from '../../../infra/defaults.ts';
import { WORKER_METRIC_NAMES, WORKER_SERVICE_NAME } from '../../../shared/observability/metric-names.ts';
import { FIXTURE_ENTRY, ROOT, synth } from './helpers.ts';

const ERROR_NAMES_ENTRY = 'test/unit/infra/fixtures/error-names-handler.ts';

type Synth = ReturnType<typeof synth>;

/** The asset directory CDK bundled a function into (its S3 key is `<hash>.zip`, its directory `asset.<hash>`). */
function assetDir(s: Synth, fn: FunctionName): string {
  const id = Object.keys(s.template.findResources('AWS::Lambda::Function')).find((k) =>
    k.toLowerCase().startsWith(`${fn}function`),
  );
  const key = s.template.toJSON().Resources[id!].Properties.Code.S3Key as string;
  return join(s.assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
}

describe('local bundling (esbuild, no Docker)', () => {
  it('bundles like the bench does: ESM index.mjs with the createRequire banner and a source map', async () => {
    const s = synth({ entries: { webhook: FIXTURE_ENTRY }, bundle: true, cfnValidation: false });
    const dir = assetDir(s, 'webhook');
    const cdkBundle = readFileSync(join(dir, BUNDLE_SETTINGS.outFile), 'utf8');
    expect(cdkBundle.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    expect(cdkBundle).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    expect(existsSync(join(dir, 'index.mjs.map'))).toBe(true);

    // The bench's options produce the same code: one definition, no drift.
    const out = join(mkdtempSync(join(tmpdir(), 'zcops-bundle-')), 'index.mjs');
    await build({ ...esbuildBuildOptions(join(ROOT, FIXTURE_ENTRY), out), absWorkingDir: ROOT });
    expect(readFileSync(out, 'utf8')).toBe(cdkBundle);
  });
});

describe('error class names survive bundling', () => {
  it('a bundle CDK built answers each thrown error with its real class name (the stored code, the audit errorClass)', async () => {
    // CDK bundles the entry with the ZcopsFunction settings (BUNDLE_SETTINGS): the deployed bundle.
    const s = synth({ entries: { worker: ERROR_NAMES_ENTRY }, bundle: true, cfnValidation: false });
    const file = join(assetDir(s, 'worker'), BUNDLE_SETTINGS.outFile);
    expect(readFileSync(file, 'utf8').length).toBeGreaterThan(0);
    const bundle = (await import(pathToFileURL(file).href)) as {
      handler: () => Promise<Record<string, string>>;
    };
    const names = await bundle.handler();
    // Without keepNames the minifier renames the classes and these become one or two letters.
    for (const probe of [
      'requests.IntakeUnavailableError',
      'worker.TenantSetupError',
      'jobs.MissingServiceError',
      'zscaler.ZscalerError',
    ])
      expect(names[probe], probe).toBe(probe.split('.')[1]);
    for (const [probe, name] of Object.entries(names)) expect(name, probe).toBe(probe.split('.')[1]);
  });
});

// The real handlers, as they land: each present one must bundle and the stack must stay nag-clean.
const entries = presentEntries(ROOT);
const present = Object.keys(entries) as FunctionName[];

describe.skipIf(present.length === 0)('real function entries', () => {
  let real: Synth | undefined;
  const get = () => {
    real ??= synth({ entries, bundle: true, cfnValidation: false });
    return real;
  };

  it.each(present)('bundles %s under 1 MB with @aws-sdk left to the runtime', (fn) => {
    const s = get();
    const file = join(assetDir(s, fn), 'index.mjs');
    expect(statSync(file).size).toBeLessThan(1024 * 1024);
    const code = readFileSync(file, 'utf8');
    // A bundled SDK client would carry its service model; an external one is only an import.
    expect(code).not.toMatch(/smithy-client\/dist-es/);
    expect(code).toMatch(/export\s*\{[^}]*handler/);
  });

  it('keeps cdk-nag clean with the real functions', () => {
    const s = get();
    expect(s.nag.validateScope(s.app).violations).toEqual([]);
  });

  // The worker handler exists now: this must run, never be skipped.
  it('worker: real entry bundled with its metrics, wired to the jobs queue with partial batch failures', () => {
    expect(present).toContain('worker');
    const s = get();
    const file = join(assetDir(s, 'worker'), 'index.mjs');
    expect(statSync(file).size).toBeLessThan(1024 * 1024);
    const code = readFileSync(file, 'utf8');
    for (const name of [WORKER_SERVICE_NAME, ...Object.values(WORKER_METRIC_NAMES)])
      expect(code).toContain(name);
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 7 },
    });
  });
});
