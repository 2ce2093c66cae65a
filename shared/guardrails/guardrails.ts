import type { SourcePolicy } from '../config/sources.ts';
import type { Plan, PlanResource } from '../jobs/job.ts';
import type { DeletionCap } from './deletion-cap.ts';
import type { ProtectedNames } from './protected-names.ts';

/** What the guardrails decided about a plan. */
export type GuardrailDecision<D = unknown> =
  /** Go ahead with `plan` (protected resources of a partial plan removed). */
  | { kind: 'allow'; plan: Plan<D> }
  /** Refused: the request ends REJECTED with `reason`. */
  | { kind: 'refuse'; rule: GuardrailRule; reason: string }
  /** Past the deletion cap: the request waits HELD for approval. */
  | { kind: 'hold'; rule: 'deletion-cap'; reason: string };

export type GuardrailRule = 'protected-name' | 'force' | 'deletion-cap';

/** One audited decision (`guardrail` event detail). */
export interface GuardrailNote {
  rule: GuardrailRule;
  decision: 'allowed' | 'refused' | 'held' | 'excluded';
  reason: string;
  resource?: PlanResource;
}

export interface GuardrailInput {
  tenant: string;
  requestId: string;
  /** The request's `force` flag. */
  force: boolean;
  /** The policy of the source that sent the request (undefined: unknown source, no force). */
  policy: SourcePolicy | undefined;
  protectedNames: ProtectedNames;
  cap: DeletionCap;
  /** This tenant's deletions per rolling hour. */
  deletionsPerHour: number;
  /** Evaluate without recording deletions against the cap. */
  dryRun: boolean;
  nowMs: number;
  /** Writes one audit event per decision. */
  note(note: GuardrailNote): Promise<void>;
}

/**
 * Checks a plan before any write, in order: protected names (never deleted), `force` for connected
 * App Connectors (only sources whose policy has `mayForce`), the per-tenant hourly deletion cap.
 * Every decision is noted (audited) with its reason.
 *
 * @example
 * const d = await checkGuardrails(plan, { tenant, requestId, force, policy, protectedNames, cap, deletionsPerHour: 50, dryRun, nowMs, note });
 * if (d.kind === 'allow') await job.execute(ctx, d.plan);
 */
export async function checkGuardrails<D>(
  plan: Plan<D>,
  input: GuardrailInput,
): Promise<GuardrailDecision<D>> {
  const kept: PlanResource[] = [];
  for (const r of plan.resources) {
    if (r.effect !== 'delete') {
      kept.push(r);
      continue;
    }
    const pattern = input.protectedNames.match(r.name);
    if (pattern !== undefined) {
      const reason = `${describe(r)} matches the protected name pattern /${pattern}/i and is never deleted`;
      if (plan.partial) {
        await input.note({ rule: 'protected-name', decision: 'excluded', reason, resource: r });
        continue;
      }
      await input.note({ rule: 'protected-name', decision: 'refused', reason, resource: r });
      return { kind: 'refuse', rule: 'protected-name', reason };
    }
    if (r.kind === 'appConnector' && r.connected === true) {
      if (!input.force) {
        const reason = `${describe(r)} is connected; deleting it needs force`;
        if (plan.partial) {
          await input.note({ rule: 'force', decision: 'excluded', reason, resource: r });
          continue;
        }
        await input.note({ rule: 'force', decision: 'refused', reason, resource: r });
        return { kind: 'refuse', rule: 'force', reason };
      }
      if (!input.policy?.mayForce) {
        const reason = `${describe(r)} is connected and source ${input.policy?.name ?? '(unknown)'} may not use force`;
        await input.note({ rule: 'force', decision: 'refused', reason, resource: r });
        return { kind: 'refuse', rule: 'force', reason };
      }
      await input.note({
        rule: 'force',
        decision: 'allowed',
        reason: `${describe(r)} is connected; force allowed for source ${input.policy.name}`,
        resource: r,
      });
    }
    kept.push(r);
  }

  const deletions = kept.filter((r) => r.effect === 'delete').length;
  if (deletions > 0) {
    const cap = await input.cap.admit({
      tenant: input.tenant,
      requestId: input.requestId,
      count: deletions,
      limit: input.deletionsPerHour,
      nowMs: input.nowMs,
      record: !input.dryRun,
    });
    const usage = `${cap.used} of ${cap.limit} deletions used in the last hour for tenant ${input.tenant}, this request adds ${deletions}`;
    if (!cap.allowed) {
      const reason = `deletion cap reached: ${usage}; waiting for approval`;
      await input.note({ rule: 'deletion-cap', decision: 'held', reason });
      return { kind: 'hold', rule: 'deletion-cap', reason };
    }
    await input.note({
      rule: 'deletion-cap',
      decision: 'allowed',
      reason: cap.approved ? `approved by an operator (${usage})` : usage,
    });
  }
  return { kind: 'allow', plan: { ...plan, resources: kept } };
}

function describe(r: PlanResource): string {
  const name = r.name === undefined ? '' : ` "${r.name}"`;
  return `${r.kind}${r.id === undefined ? '' : ` ${r.id}`}${name}`;
}
