import { DeployedShapeError } from './errors.ts';

/** What `Ref` and `Fn::GetAtt` of each logical id resolve to in the local stack. */
export interface LocalNames {
  region: string;
  accountId: string;
  stackName: string;
  /** Logical id → `Ref` value (table name, queue URL, bucket name, function name, ...). */
  refs: Record<string, string>;
  /** `<logical id>.<attribute>` → value (`JobsQueue.Arn`, `JobsQueue.QueueName`, ...). */
  attributes: Record<string, string>;
}

/**
 * Resolves the CloudFormation intrinsics a synthesized zcops template uses (`Ref`, `Fn::GetAtt`,
 * `Fn::Join`, `Fn::Sub`, `Fn::Select`, `Fn::Split` and the pseudo parameters) against the local
 * stack's names. A reference to something the local stack does not have is an error, never a guess.
 *
 * @example
 * resolve({ 'Fn::GetAtt': ['JobsQueue24944186', 'Arn'] }, names) // 'arn:aws:sqs:us-east-1:000000000000:JobsQueue24944186'
 */
export function resolve(value: unknown, names: LocalNames): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, names));
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1) {
    const [k] = keys as [string];
    const arg = o[k];
    switch (k) {
      case 'Ref':
        return ref(String(arg), names);
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
        return getAtt(String(id), String(attr), names);
      }
      case 'Fn::Join': {
        const [sep, parts] = arg as [string, unknown[]];
        return (resolve(parts, names) as unknown[]).map(String).join(sep);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        return (resolve(list, names) as unknown[])[Number(resolve(index, names))];
      }
      case 'Fn::Split': {
        const [sep, text] = arg as [string, unknown];
        return String(resolve(text, names)).split(sep);
      }
      case 'Fn::Sub': {
        const [text, vars] = (Array.isArray(arg) ? arg : [arg, {}]) as [string, Record<string, unknown>];
        return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
          if (vars[name] !== undefined) return String(resolve(vars[name], names));
          const dot = name.indexOf('.');
          return dot > 0 && !name.startsWith('AWS::')
            ? getAtt(name.slice(0, dot), name.slice(dot + 1), names)
            : ref(name, names);
        });
      }
    }
  }
  return Object.fromEntries(keys.map((k) => [k, resolve(o[k], names)]));
}

export const resolveString = (value: unknown, names: LocalNames): string => String(resolve(value, names));

function ref(id: string, names: LocalNames): string {
  switch (id) {
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::Region':
      return names.region;
    case 'AWS::AccountId':
      return names.accountId;
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return names.stackName;
  }
  const v = names.refs[id];
  if (v === undefined) throw new DeployedShapeError(`Ref ${id}: the local stack has no such resource`);
  return v;
}

function getAtt(id: string, attr: string, names: LocalNames): string {
  const v = names.attributes[`${id}.${attr}`];
  if (v === undefined)
    throw new DeployedShapeError(`Fn::GetAtt ${id}.${attr}: the local stack has no such attribute`);
  return v;
}
