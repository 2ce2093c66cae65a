import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../../infra/app.ts';
import type { FunctionName } from '../../../infra/defaults.ts';

/** The project root (tests run from it, but do not rely on the cwd). */
export const ROOT = resolve(import.meta.dirname, '../../..');
/** A stand-in handler: lets the whole stack synthesise whatever handlers exist yet. */
export const FIXTURE_ENTRY = 'test/unit/infra/fixtures/handler.ts';
export const FIXTURE_CONFIG = 'test/unit/infra/fixtures/zcops.config.json';
export const ALL_FIXTURES: Record<FunctionName, string> = {
  webhook: FIXTURE_ENTRY,
  events: FIXTURE_ENTRY,
  worker: FIXTURE_ENTRY,
};

export interface SynthOptions {
  entries?: Partial<Record<FunctionName, string>>;
  context?: Record<string, unknown>;
  /** Run esbuild (default false: CDK's `aws:cdk:bundling-stacks` = [] skips asset bundling). */
  bundle?: boolean;
  /** CDK's CloudFormation schema validation (default true; one full check per template is enough). */
  cfnValidation?: boolean;
}

/** Builds the app from the fixture config and synthesises it (cdk-nag runs as part of synth). */
export function synth(options: SynthOptions = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'zcops-cdk-'));
  const built = buildApp({
    projectRoot: ROOT,
    entries: options.entries ?? ALL_FIXTURES,
    outdir,
    builtinCloudFormationValidation: options.cfnValidation ?? true,
    context: {
      configFile: FIXTURE_CONFIG,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const assembly = built.app.synth();
  const template = Template.fromStack(built.stack);
  return { ...built, assembly, template, outdir };
}

/** Every IAM policy statement attached to the role whose logical id starts with `rolePrefix`. */
export function statementsOfRole(template: Template, rolePrefix: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const out: Statement[] = [];
  for (const policy of Object.values(policies)) {
    const roles = (policy.Properties.Roles as { Ref: string }[]).map((r) => r.Ref);
    if (!roles.some((r) => r.startsWith(rolePrefix))) continue;
    out.push(...(policy.Properties.PolicyDocument.Statement as Statement[]));
  }
  return out;
}

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

export const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
export const allowed = (statements: Statement[]): string[] =>
  statements.filter((s) => s.Effect === 'Allow').flatMap(actionsOf);
