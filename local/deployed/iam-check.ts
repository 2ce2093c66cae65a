import type { SynthesizedStack } from './assembly.ts';
import { referencedIds } from './assembly.ts';
import type { AwsCall } from './aws-call.ts';
import { DeployedShapeError } from './errors.ts';
import { type LocalNames, resolve } from './intrinsics.ts';

/** One policy statement with its intrinsics resolved to the local stack's names. */
export interface IamStatement {
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** A call and what the function's role says to it. */
export interface IamVerdict {
  functionId: string;
  roleId: string;
  call: AwsCall;
  decision: 'allowed' | 'explicit-deny' | 'implicit-deny';
}

/** An action granted on a resource that no call used. */
export interface UnusedGrant {
  functionId: string;
  roleId: string;
  action: string;
  resource: string;
}

export interface IamReport {
  verdicts: IamVerdict[];
  denied: IamVerdict[];
  /** Every action × resource the functions' Allow statements grant. */
  grants: UnusedGrant[];
  unused: UnusedGrant[];
}

/**
 * The statements of every policy attached to `roleId` (its `AWS::IAM::Policy` resources and inline
 * policies), resolved against the local names.
 */
export function roleStatements(stack: SynthesizedStack, names: LocalNames, roleId: string): IamStatement[] {
  const docs: unknown[] = [];
  for (const [, p] of stack.ofType('AWS::IAM::Policy')) {
    if (referencedIds(p.Properties?.Roles).includes(roleId)) docs.push(p.Properties?.PolicyDocument);
  }
  for (const inline of (stack.resources[roleId]?.Properties?.Policies as { PolicyDocument: unknown }[]) ?? [])
    docs.push(inline.PolicyDocument);
  return docs.flatMap((doc) =>
    ((resolve(doc, names) as { Statement: Record<string, unknown>[] }).Statement ?? []).map((s) => {
      if (s.NotAction !== undefined || s.NotResource !== undefined)
        throw new DeployedShapeError(`${roleId}: NotAction/NotResource are not evaluated here`);
      return {
        Effect: s.Effect as 'Allow' | 'Deny',
        Action: [s.Action].flat() as string[],
        Resource: [s.Resource].flat() as string[],
        ...(s.Condition ? { Condition: s.Condition as IamStatement['Condition'] } : {}),
      };
    }),
  );
}

/** IAM's wildcard match: `*` any run of characters, `?` one; actions are case-insensitive. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    ignoreCase ? 'i' : '',
  );
  return re.test(value);
}

function statementApplies(s: IamStatement, call: AwsCall): boolean {
  if (!s.Action.some((a) => wildcardMatch(a, call.action, true))) return false;
  if (!call.resources.every((r) => s.Resource.some((p) => wildcardMatch(p, r)))) return false;
  return conditionHolds(s.Condition);
}

/**
 * Conditions: the only keys a request here can answer are `aws:SecureTransport` (every AWS SDK call
 * is TLS in Lambda). Any other key is an error, never a guess.
 */
function conditionHolds(condition: IamStatement['Condition']): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([op, keys]) =>
    Object.entries(keys).every(([key, want]) => {
      if (key !== 'aws:SecureTransport' || op !== 'Bool')
        throw new DeployedShapeError(`condition ${op} ${key} is not evaluated here`);
      return String(want) === 'true';
    }),
  );
}

/** IAM's decision for one call: an explicit deny wins, then any allow, else the implicit deny. */
export function evaluate(statements: readonly IamStatement[], call: AwsCall): IamVerdict['decision'] {
  if (statements.some((s) => s.Effect === 'Deny' && statementApplies(s, call))) return 'explicit-deny';
  return statements.some((s) => s.Effect === 'Allow' && statementApplies(s, call))
    ? 'allowed'
    : 'implicit-deny';
}

/**
 * Evaluates every recorded call made with a function's access key against that function's role,
 * and lists the grants (action × resource of each Allow statement) no allowed call used.
 *
 * @example
 * const report = checkIam(d.stack, d.names, d.accessKeys, d.calls);
 * report.denied; // []
 */
export function checkIam(
  stack: SynthesizedStack,
  names: LocalNames,
  accessKeys: Record<string, string>,
  calls: readonly AwsCall[],
): IamReport {
  const verdicts: IamVerdict[] = [];
  const unused: UnusedGrant[] = [];
  const grants: UnusedGrant[] = [];
  for (const [functionId, fn] of stack.ofType('AWS::Lambda::Function')) {
    const roleId = referencedIds(fn.Properties?.Role)[0];
    if (!roleId) throw new DeployedShapeError(`${functionId}: no role`);
    const statements = roleStatements(stack, names, roleId);
    const mine = calls.filter((c) => c.accessKeyId === accessKeys[functionId]);
    for (const call of mine)
      verdicts.push({ functionId, roleId, call, decision: evaluate(statements, call) });
    const allowedCalls = mine.filter((c) => evaluate(statements, c) === 'allowed');
    for (const s of statements.filter((x) => x.Effect === 'Allow')) {
      for (const action of s.Action) {
        for (const resource of s.Resource) {
          const used = allowedCalls.some(
            (c) =>
              wildcardMatch(action, c.action, true) && c.resources.some((r) => wildcardMatch(resource, r)),
          );
          grants.push({ functionId, roleId, action, resource });
          if (!used) unused.push({ functionId, roleId, action, resource });
        }
      }
    }
  }
  return { verdicts, denied: verdicts.filter((v) => v.decision !== 'allowed'), grants, unused };
}
