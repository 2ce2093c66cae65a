import type { ControlStore } from '../guardrails/control-store.ts';
import type { AppConnector } from '../zscaler/schemas/app-connector.ts';
import type { ZpaClient } from '../zscaler/zpa/client.ts';
import type { MicrotenantOption } from '../zscaler/zpa/context.ts';
import { CLAIM_MS, type CoalescedPhase, DeletionCoalescer, type JoinResult } from './deletion-coalescer.ts';
import type { JobContext } from './job.ts';

/** What the shared lookup and the shared bulk delete need of a job's context. */
export type CoalescingContext = Pick<
  JobContext,
  'zpa' | 'clock' | 'settings' | 'record' | 'services' | 'note' | 'tenant' | 'dryRun'
>;

/**
 * The control store when deletions of this run may be coalesced: a window is configured
 * (`worker.deletionWindowMs` > 0), the run writes (a dry-run plans alone), and the worker gave the
 * store. Undefined: the deletion goes one by one.
 */
export function coalescingStore(ctx: CoalescingContext): ControlStore | undefined {
  if (ctx.dryRun || ctx.settings.deletionWindowMs <= 0) return undefined;
  return ctx.services.control;
}

/** A round's claim: at most `CLAIM_MS`, never longer than a run's lease (a leader's run cannot outlive it). */
export function claimMsOf(ctx: CoalescingContext): number {
  return Math.min(CLAIM_MS, ctx.settings.runLeaseMs);
}

/** The coalescer of one phase's rounds for this run; undefined when deletions go one by one. */
export function coalescerOf<M extends Record<string, unknown>, R extends Record<string, unknown>>(
  ctx: CoalescingContext,
  phase: CoalescedPhase,
): DeletionCoalescer<M, R> | undefined {
  const store = coalescingStore(ctx);
  return store && new DeletionCoalescer<M, R>(store, phase, claimMsOf(ctx));
}

/**
 * Joins this run's request to the scope's round of `phase` with `member`; `alone` when coalescing
 * is off.
 */
export async function joinRound<M extends Record<string, unknown>>(
  ctx: CoalescingContext,
  phase: CoalescedPhase,
  member: M,
  mt: MicrotenantOption,
): Promise<JoinResult> {
  const coalescer = coalescerOf<M, Record<string, unknown>>(ctx, phase);
  if (!coalescer) return { kind: 'alone' };
  return coalescer.join(
    scopeOf(ctx.tenant.name, mt),
    ctx.record.requestId,
    member,
    ctx.clock.now(),
    ctx.settings.deletionWindowMs,
  );
}

/**
 * The scope deletions are coalesced in: what one listing and one bulk delete cover (the tenant, or
 * one of its microtenants).
 */
export function scopeOf(tenant: string, mt: MicrotenantOption): string {
  return mt.microtenantId === undefined ? tenant : `${tenant}#mt${mt.microtenantId}`;
}

/** Every connector of the scope (one paged listing), and how many pages it took. */
export async function listAll(
  zpa: ZpaClient,
  mt: MicrotenantOption,
): Promise<{ connectors: AppConnector[]; pages: number }> {
  const connectors: AppConnector[] = [];
  let pages = 0;
  for await (const page of zpa.appConnectors.listPages(mt)) {
    pages++;
    connectors.push(...page.list);
  }
  return { connectors, pages: Math.max(1, pages) };
}

/** How a listing shows in an audit event. */
export const listingCall = (pages: number) =>
  `GET /connector (paged listing, ${pages} page${pages === 1 ? '' : 's'})`;

/**
 * Sleeps in the run while the wait is within what a run may sleep (`settings.activationWaitMs`, the
 * worker's `maxSleepMs`) counted from `startedAt`; false when the job should defer instead.
 */
export async function sleepWithin(
  ctx: CoalescingContext,
  notBefore: number,
  startedAt: number,
): Promise<boolean> {
  const now = ctx.clock.now();
  if (notBefore - startedAt > ctx.settings.activationWaitMs) return false;
  await ctx.clock.sleep(Math.max(0, notBefore - now));
  return true;
}
