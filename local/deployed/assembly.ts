import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeployedShapeError } from './errors.ts';

/** One resource of a CloudFormation template. */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: unknown;
}

/** A synthesized stack as the deployed-shape run reads it: the template and where its assets are. */
export interface SynthesizedStack {
  stackName: string;
  directory: string;
  resources: Record<string, CfnResource>;
  /** Logical ids of the resources of `type`. */
  ofType(type: string): [string, CfnResource][];
  /** The directory of a Lambda function's code asset (its bundle is `index.mjs` there). */
  assetDir(functionId: string): string;
}

/**
 * Reads the one stack of a cloud assembly (`cdk synth` output: `manifest.json`, the stack's
 * template, `asset.<hash>` directories).
 *
 * @example
 * const stack = readAssembly('cdk.out');
 * stack.ofType('AWS::Lambda::Function');
 */
export function readAssembly(directory: string): SynthesizedStack {
  const manifest = JSON.parse(readFileSync(join(directory, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; properties?: { templateFile?: string; stackName?: string } }>;
  };
  const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  if (stacks.length !== 1)
    throw new DeployedShapeError(`${directory}: expected one stack in the assembly, found ${stacks.length}`);
  const [id, artifact] = stacks[0] as [string, (typeof manifest.artifacts)[string]];
  const template = JSON.parse(readFileSync(join(directory, artifact.properties!.templateFile!), 'utf8')) as {
    Resources: Record<string, CfnResource>;
  };
  const resources = template.Resources;
  return {
    stackName: artifact.properties?.stackName ?? id,
    directory,
    resources,
    ofType: (type) => Object.entries(resources).filter(([, r]) => r.Type === type),
    assetDir(functionId) {
      const code = resources[functionId]?.Properties?.Code as { S3Key?: string } | undefined;
      if (!code?.S3Key) throw new DeployedShapeError(`${functionId}: no code asset (Code.S3Key)`);
      return join(directory, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
    },
  };
}

/** Logical ids named by `Ref` or `Fn::GetAtt` anywhere inside a value. */
export function referencedIds(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'Ref' && typeof x === 'string') out.push(x);
        else if (k === 'Fn::GetAtt') out.push(String(Array.isArray(x) ? x[0] : String(x).split('.')[0]));
        else walk(x);
      }
    }
  };
  walk(value);
  return out;
}
