import { RateLimitedError, RetryLaterError } from '../zscaler/errors.ts';
import type { MicrotenantOption } from '../zscaler/zpa/context.ts';
import {
  type CoalescingContext,
  coalescerOf,
  joinRound,
  listAll,
  listingCall,
  sleepWithin,
} from './coalesced-scope.ts';
import { type ConnectorTarget, type MatchAnswer, matchTarget } from './connector-match.ts';
import type { JoinResult } from './deletion-coalescer.ts';

/** What the leader of a lookup round records. */
export type LookupRoundResult =
  | { answers: Record<string, MatchAnswer>; calls: string[] }
  /** The listing failed (nothing was written): members join a later round from `retryAt`. */
  | { failed: string; retryAt: number }
  /** The round had one member, or its leader stopped: members look up alone. */
  | { single: true }
  | { abandoned: true };

/** How a shared lookup went for one member. */
export type SharedLookup =
  | { kind: 'answer'; answer: MatchAnswer; call: string }
  /** Look up alone (one by one), now. */
  | { kind: 'alone'; why: string }
  /** Come back at `notBefore` for the same round. */
  | { kind: 'wait'; notBefore: number; why: string }
  /** The shared listing failed: join another round from `notBefore`. */
  | { kind: 'retry'; notBefore: number; why: string };

/** Lookup rounds: one paged listing of the scope's connectors for every deletion that joined. */
export function lookupCoalescer(ctx: CoalescingContext) {
  return coalescerOf<ConnectorTarget, LookupRoundResult>(ctx, 'lookup');
}

/**
 * Joins the scope's lookup round with this request's target; `alone` (look up now, one by one) when
 * coalescing is off, no other deletion is going on, or the control items are too contended.
 *
 * @example
 * const j = await joinLookup(ctx, { privateIp, groupId }, mt);
 * if (j.kind === 'joined') return ctx.defer(j.closesAt, `joined shared lookup round ${j.round}`);
 */
export async function joinLookup(
  ctx: CoalescingContext,
  target: ConnectorTarget,
  mt: MicrotenantOption,
): Promise<JoinResult> {
  return joinRound(ctx, 'lookup', target, mt);
}

/**
 * This request's answer from lookup round `round`: read from the leader's result, or, when this run
 * claims the round, made by it (one paged listing, every member matched by the one-by-one rules,
 * recorded). Waits in the run while short. Every member audits the shared call and its leader.
 */
export async function sharedLookup(
  ctx: CoalescingContext,
  round: string,
  target: ConnectorTarget,
  mt: MicrotenantOption,
): Promise<SharedLookup> {
  const coalescer = lookupCoalescer(ctx);
  if (!coalescer) return { kind: 'alone', why: 'coalescing is off' };
  const me = ctx.record.requestId;
  const startedAt = ctx.clock.now();
  for (;;) {
    const now = ctx.clock.now();
    const step = await coalescer.step(round, me, now);
    if (step.kind === 'wait') {
      if (await sleepWithin(ctx, step.notBefore, startedAt)) continue;
      return { kind: 'wait', notBefore: step.notBefore, why: step.why };
    }
    if (step.kind === 'expired') return { kind: 'alone', why: step.why };
    if (step.kind === 'result') {
      const r = step.result;
      if ('failed' in r) return { kind: 'retry', notBefore: r.retryAt, why: r.failed };
      if (!('answers' in r)) return { kind: 'alone', why: 'no other deletion shared the round' };
      const answer = r.answers[me];
      if (!answer) return { kind: 'alone', why: 'the round did not look this request up' };
      const call = r.calls.join(', ');
      await ctx.note('state', {
        coalesced: { phase: 'lookup', round, leader: step.leader, members: step.members, calls: r.calls },
        answer: describe(answer),
      });
      return { kind: 'answer', answer, call };
    }
    // This run leads.
    const members = Object.entries(step.members);
    if (members.length <= 1) {
      await coalescer.record(round, me, { single: true }, ctx.clock.now());
      return { kind: 'alone', why: 'no other deletion joined the round' };
    }
    let listing: Awaited<ReturnType<typeof listAll>>;
    try {
      listing = await listAll(await ctx.zpa(), mt);
    } catch (err) {
      // Nothing was written: the members look again in a later round (this run's error defers it).
      await coalescer.record(
        round,
        me,
        { failed: (err as Error).message, retryAt: retryAtOf(err, ctx.clock.now()) },
        ctx.clock.now(),
      );
      throw err;
    }
    const answers = Object.fromEntries(members.map(([id, t]) => [id, matchTarget(listing.connectors, t)]));
    const calls = [listingCall(listing.pages)];
    await coalescer.record(round, me, { answers, calls }, ctx.clock.now());
    const answer = answers[me] ?? matchTarget(listing.connectors, target);
    await ctx.note('state', {
      coalesced: { phase: 'lookup', round, leader: me, members: members.length, calls },
      answer: describe(answer),
    });
    return { kind: 'answer', answer, call: calls.join(', ') };
  }
}

/** When the members of a round whose shared call was turned away should look again. */
export function retryAtOf(err: unknown, now: number): number {
  if (err instanceof RetryLaterError) return err.notBefore;
  if (err instanceof RateLimitedError) return now + Math.max(1_000, err.retryAfterMs);
  return now + 5_000;
}

function describe(a: MatchAnswer): string {
  if ('found' in a) return `found connector ${a.found.id} (${a.found.name})`;
  if ('refused' in a) return `refused: ${a.refused}`;
  return 'no such connector';
}
