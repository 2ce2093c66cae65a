import { ConflictError, NotFoundError, RateLimitedError, RetryLaterError } from '../zscaler/errors.ts';
import type { ZpaClient } from '../zscaler/zpa/client.ts';
import type { MicrotenantOption } from '../zscaler/zpa/context.ts';
import { chunk } from './bulk-delete.ts';
import {
  type CoalescingContext,
  coalescerOf,
  joinRound,
  listAll,
  listingCall,
  sleepWithin,
} from './coalesced-scope.ts';
import type { JoinResult } from './deletion-coalescer.ts';
import { retryAtOf } from './shared-lookup.ts';

/** A member of a delete round: the connector it deletes. */
interface DeleteMember extends Record<string, unknown> {
  id: string;
}

/** What the leader of a delete round records. */
export type DeleteRoundResult =
  | {
      /** Sent in a bulk delete and absent from the listing read after it: read back gone. */
      gone: string[];
      /** Sent (or refused as a chunk) but not read back gone: each member settles alone. */
      unconfirmed: string[];
      /** Never sent (the server or the limiter turned the call away): members join a later round. */
      notSent: string[];
      retryAt?: number;
      /** The shared calls, as the members' audit events name them. */
      calls: string[];
    }
  | { single: true }
  | { abandoned: true };

/** How a shared deletion went for one member. */
export type SharedDelete =
  /** Read back gone after the shared bulk delete. */
  | { kind: 'gone'; calls: string[]; leader: string; round: string }
  /** Settle alone now: DELETE, then GET (the bulk call could not confirm it, or no result came). */
  | { kind: 'alone'; why: string }
  /** Come back at `notBefore` for the same round. */
  | { kind: 'wait'; notBefore: number; why: string }
  /** The bulk call was never sent: join another round from `notBefore`. */
  | { kind: 'rejoin'; notBefore: number; why: string };

/** Delete rounds: bulk deletes (chunked) and one confirming listing for every deletion that joined. */
function deleteCoalescer(ctx: CoalescingContext) {
  return coalescerOf<DeleteMember, DeleteRoundResult>(ctx, 'delete');
}

/**
 * Joins the scope's delete round with connector `id` (after the guardrails allowed this request's
 * deletion); `alone` when coalescing is off, no other deletion is going on, or under contention.
 */
export async function joinDelete(
  ctx: CoalescingContext,
  id: string,
  mt: MicrotenantOption,
): Promise<JoinResult> {
  return joinRound(ctx, 'delete', { id }, mt);
}

/**
 * This request's part of delete round `round`: read from the leader's result, or, when this run
 * claims the round, made by it (`bulkDeleteAndConfirm` for every member's connector, recorded).
 * Waits in the run while short. Every member audits the shared calls and who made them.
 */
export async function sharedDelete(
  ctx: CoalescingContext,
  round: string,
  id: string,
  mt: MicrotenantOption,
): Promise<SharedDelete> {
  const coalescer = deleteCoalescer(ctx);
  if (!coalescer) return { kind: 'alone', why: 'coalescing is off' };
  const me = ctx.record.requestId;
  const startedAt = ctx.clock.now();
  for (;;) {
    const step = await coalescer.step(round, me, ctx.clock.now());
    if (step.kind === 'wait') {
      if (await sleepWithin(ctx, step.notBefore, startedAt)) continue;
      return { kind: 'wait', notBefore: step.notBefore, why: step.why };
    }
    if (step.kind === 'expired') return { kind: 'alone', why: step.why };
    let result: DeleteRoundResult;
    let leader: string;
    let members: number;
    if (step.kind === 'result') {
      result = step.result;
      leader = step.leader;
      members = step.members;
    } else {
      const ids = [...new Set(Object.values(step.members).map((m) => m.id))];
      members = Object.keys(step.members).length;
      leader = me;
      try {
        result =
          ids.length <= 1
            ? { single: true }
            : await bulkDeleteAndConfirm(await ctx.zpa(), ids, ctx.settings.bulkDeleteChunk, mt, () =>
                ctx.clock.now(),
              );
      } catch (err) {
        // No result to give (what was sent is unknown): the members settle alone without waiting.
        await coalescer.record(round, me, { abandoned: true }, ctx.clock.now());
        throw err;
      }
      await coalescer.record(round, me, result, ctx.clock.now());
    }
    if (!('gone' in result)) return { kind: 'alone', why: 'no other deletion shared the round' };
    const mine = result.gone.includes(id)
      ? 'gone'
      : result.notSent.includes(id)
        ? 'not sent'
        : 'not confirmed by the shared calls';
    await ctx.note(
      'state',
      {
        coalesced: { phase: 'delete', round, leader, members, calls: result.calls },
        connector: id,
        outcome: mine,
      },
      `appConnector/${id}`,
    );
    if (mine === 'gone') return { kind: 'gone', calls: result.calls, leader, round };
    if (mine === 'not sent') {
      return {
        kind: 'rejoin',
        notBefore: result.retryAt ?? ctx.clock.now(),
        why: 'the shared bulk delete was turned away before it was sent',
      };
    }
    return { kind: 'alone', why: 'the shared bulk delete could not confirm this connector gone' };
  }
}

/** The server (or the limiter) turned the call away without acting on it. */
const notActedOn = (err: unknown) =>
  err instanceof ConflictError || err instanceof RateLimitedError || err instanceof RetryLaterError;

/**
 * Deletes `ids` in chunks of `size` (`POST connector/bulkDelete`), then reads every page of the
 * scope's connectors once: an id sent and no longer listed is gone. A chunk the API refuses as a
 * whole (an id vanished meanwhile) is left to its members to settle one by one; a chunk turned away
 * unsent (busy, 429, the limiter's "not before T") stops the sending, and it and the rest are
 * `notSent`; a chunk whose answer was lost may have landed, and the listing tells.
 *
 * @example
 * const r = await bulkDeleteAndConfirm(zpa, ids, 100, {}, Date.now);
 */
export async function bulkDeleteAndConfirm(
  zpa: ZpaClient,
  ids: readonly string[],
  size: number,
  mt: MicrotenantOption,
  now: () => number,
): Promise<DeleteRoundResult> {
  const parts = chunk(ids, size);
  const sent: string[] = [];
  const refused: string[] = [];
  const notSent: string[] = [];
  const calls: string[] = [];
  let stopped: unknown;
  for (const [i, part] of parts.entries()) {
    if (stopped !== undefined) {
      notSent.push(...part);
      continue;
    }
    const call = `POST /connector/bulkDelete (chunk ${i + 1} of ${parts.length}, ${part.length} ids)`;
    try {
      await zpa.appConnectors.bulkDelete(part, mt);
      sent.push(...part);
      calls.push(call);
    } catch (err) {
      if (err instanceof NotFoundError) {
        refused.push(...part);
        calls.push(`${call}: refused (${err.message})`);
      } else if (notActedOn(err)) {
        notSent.push(...part);
        stopped = err;
      } else {
        sent.push(...part);
        calls.push(`${call}: answer lost (${(err as Error).message})`);
        stopped = err;
      }
    }
  }
  let present: Set<string> | undefined;
  if (sent.length > 0) {
    try {
      const listing = await listAll(zpa, mt);
      present = new Set(listing.connectors.map((c) => c.id));
      calls.push(listingCall(listing.pages));
    } catch (err) {
      calls.push(`GET /connector: failed (${(err as Error).message})`);
    }
  }
  const gone = present ? sent.filter((id) => !present.has(id)) : [];
  const unconfirmed = [...refused, ...sent.filter((id) => !present || present.has(id))];
  return {
    gone,
    unconfirmed,
    notSent,
    ...(notSent.length > 0 ? { retryAt: retryAtOf(stopped, now()) } : {}),
    calls,
  };
}

/**
 * One connector settled alone: `DELETE connector/{id}` (not found = already gone), then the
 * confirming `GET` (404 = gone). Other errors are thrown for the run loop to classify.
 */
export async function deleteAndConfirm(
  zpa: ZpaClient,
  id: string,
  mt: MicrotenantOption,
): Promise<{ gone: boolean; alreadyGone: boolean }> {
  let alreadyGone = false;
  try {
    await zpa.appConnectors.delete(id, mt);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    alreadyGone = true;
  }
  try {
    await zpa.appConnectors.get(id, mt);
  } catch (err) {
    if (err instanceof NotFoundError) return { gone: true, alreadyGone };
    throw err;
  }
  return { gone: false, alreadyGone };
}
