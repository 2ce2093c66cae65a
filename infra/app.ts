import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig } from './config.ts';
import { FUNCTION_ENTRIES, type FunctionName } from './defaults.ts';
import { ZcopsStack } from './stack.ts';

/**
 * Builds the CDK app: configuration from file + context, the zcops stack, and cdk-nag's AwsSolutions
 * checks on everything. `cdk.json` runs this file (`node infra/app.ts`); tests call `buildApp`.
 *
 * @example
 * const { app, stack } = buildApp({ projectRoot: process.cwd(), context: { configFile: 'test/fixtures/zcops.config.json' } });
 * app.synth();
 */
export interface BuildAppOptions {
  projectRoot: string;
  /** Extra context (tests); `cdk -c` context reaches the App through the CLI as usual. */
  context?: Record<string, unknown>;
  /** Overrides which entries exist (tests); default: the files under `functions/` that exist. */
  entries?: Partial<Record<FunctionName, string>>;
  /** Output directory of the cloud assembly (tests use a temporary one). */
  outdir?: string;
  /** CDK's built-in CloudFormation schema validation at synth (default true; tests may skip it for speed). */
  builtinCloudFormationValidation?: boolean;
}

/** The entries of the functions whose handler files exist. */
export function presentEntries(projectRoot: string): Partial<Record<FunctionName, string>> {
  const entries: Partial<Record<FunctionName, string>> = {};
  for (const [name, entry] of Object.entries(FUNCTION_ENTRIES) as [FunctionName, string][]) {
    if (existsSync(join(projectRoot, entry))) entries[name] = entry;
  }
  return entries;
}

/** Feature flags the stack relies on (also in cdk.json); tests get them through `buildApp`. */
export const FEATURE_FLAGS = {
  // Server access logs delivered under a bucket policy instead of the legacy LogDeliveryWrite ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
} as const;

export function buildApp(options: BuildAppOptions): { app: App; stack: ZcopsStack; nag: AwsSolutionsChecks } {
  const app = new App({
    context: { ...FEATURE_FLAGS, ...options.context },
    ...(options.outdir ? { outdir: options.outdir } : {}),
    builtinCloudFormationValidation: options.builtinCloudFormationValidation ?? true,
  });
  const { config } = loadConfig({
    projectRoot: options.projectRoot,
    context: (k) => app.node.tryGetContext(k),
    contextKeys: Object.keys(app.node.getAllContext()),
  });
  const stack = new ZcopsStack(app, config.stack.name, {
    config,
    projectRoot: options.projectRoot,
    entries: options.entries ?? presentEntries(options.projectRoot),
    description: 'zcops: event-driven automation of Zscaler connector lifecycles',
    tags: { app: 'zcops', ...config.stack.tags },
    // No account/region in config: an environment-agnostic stack, so synth needs no credentials.
    ...(config.stack.account && config.stack.region
      ? { env: { account: config.stack.account, region: config.stack.region } }
      : {}),
  });
  const nag = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(nag);
  return { app, stack, nag };
}

// Run as the CDK app (`node infra/app.ts`), not when imported by tests.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { app } = buildApp({ projectRoot: join(dirname(fileURLToPath(import.meta.url)), '..') });
  app.synth();
}
