import { randomUUID } from 'node:crypto';
import {
  ControlContentionError,
  type ControlStore,
  updateControl,
  updateControlGrouped,
} from '../guardrails/control-store.ts';

/** The two shared steps of a deletion: finding the connectors, then deleting and reading them back. */
export type CoalescedPhase = 'lookup' | 'delete';

/** The per-scope pointer: when the scope last saw a deletion, and the round open now. */
interface Pointer {
  lastAt?: number;
  open?: { round: string; closesAt: number };
}

/** One round: who joined, who leads it, and what the leader recorded. */
interface Round<M, R> {
  scope: string;
  phase: CoalescedPhase;
  closesAt: number;
  members: Record<string, M>;
  leader?: { owner: string; until: number };
  result?: R;
}

/** How joining went. */
export type JoinResult =
  /** No other deletion of the scope lately: do it alone, now (no latency for a lone request). */
  | { kind: 'alone' }
  /** Joined `round`; come back once it closes at `closesAt`. */
  | { kind: 'joined'; round: string; closesAt: number }
  /** The control items were too contended to join: do it alone. */
  | { kind: 'busy' };

/** What a member of a round does now. */
export type RoundStep<M, R> =
  /** The leader recorded the round's result. */
  | { kind: 'result'; result: R; leader: string; members: number }
  /** This caller claimed the round: make the shared calls for `members`, then `record` the result. */
  | { kind: 'lead'; members: Record<string, M> }
  /** Come back at `notBefore` (window still open, or the leader is working). */
  | { kind: 'wait'; notBefore: number; why: 'coalescing-window' | 'coalesced-call-in-progress' }
  /**
   * No result will come (the leader crashed or gave up, or the round is gone): settle alone. Safe:
   * individual settlement reads Zscaler before concluding anything.
   */
  | { kind: 'expired'; why: string };

/**
 * How long a leader's claim lives at most without a result; a crashed leader's members settle alone
 * then. Jobs make it no longer than the run lease (a run cannot outlive it).
 */
export const CLAIM_MS = 60_000;
/** How often a member waiting for the leader looks again. */
export const POLL_MS = 250;
/** Most members in one round (keeps a round's control item far below DynamoDB's 400 KB). */
export const MAX_MEMBERS = 300;
/** Rounds are kept this long (control item TTL), long after every member settled. */
const ROUND_TTL_MS = 6 * 60 * 60 * 1000;
const JOIN_ATTEMPTS = 12;

const pointerKey = (scope: string, phase: CoalescedPhase) => `coalesce:${phase}:${scope}`;
const roundKey = (round: string) => `coalesce-round:${round}`;

/**
 * Coalesces the deletions of one scope (a tenant, or a tenant's microtenant) that arrive within a
 * short window, through the control store shared by every worker: the first deletion after a quiet
 * spell goes alone and at once; one arriving while another was recent opens a round (or joins the
 * open one) that closes `windowMs` after it opened. After the close, the first member to come back
 * claims the round and makes the shared calls for every member (one paged listing; bulk deletes and
 * one confirming listing), then records each member's result; the other members read it. A claim
 * lives `CLAIM_MS`: when its leader crashed, the members settle alone (they read Zscaler first, so
 * nothing is lost and nothing is claimed that did not happen).
 *
 * @example
 * const j = await coalescer.join('acme', 'delete', requestId, { id: '7205' }, now, 2_000);
 * if (j.kind === 'joined') return ctx.defer(j.closesAt, 'joined a shared bulk delete');
 */
export class DeletionCoalescer<M extends Record<string, unknown>, R extends Record<string, unknown>> {
  readonly #store: ControlStore;
  readonly #phase: CoalescedPhase;
  readonly #claimMs: number;

  /** `claimMs`: how long a leader's claim lives without a result (default `CLAIM_MS`). */
  constructor(store: ControlStore, phase: CoalescedPhase, claimMs = CLAIM_MS) {
    this.#store = store;
    this.#phase = phase;
    this.#claimMs = claimMs;
  }

  /** Joins the scope's open round, opens one when a deletion was recent, or answers `alone`. */
  async join(
    scope: string,
    requestId: string,
    member: M,
    nowMs: number,
    windowMs: number,
  ): Promise<JoinResult> {
    const key = pointerKey(scope, this.#phase);
    // Set when the open round turned out full or already claimed: open another one.
    let replace = false;
    for (let i = 0; i < JOIN_ATTEMPTS; i++) {
      const item = await this.#store.get(key);
      const p = (item?.data ?? {}) as Pointer;
      if (!replace && p.open && nowMs < p.open.closesAt) {
        const added = await this.#addMember(p.open.round, scope, p.open.closesAt, requestId, member, nowMs);
        if (added === 'added') return { kind: 'joined', round: p.open.round, closesAt: p.open.closesAt };
        replace = true;
        continue;
      }
      // A burst: a deletion alone lately, or a round that closed lately (the burst goes on).
      const burst =
        replace ||
        (p.lastAt !== undefined && nowMs - p.lastAt < windowMs) ||
        (p.open !== undefined && nowMs < p.open.closesAt + windowMs);
      const next: Pointer = burst
        ? { lastAt: nowMs, open: { round: randomUUID(), closesAt: nowMs + windowMs } }
        : { lastAt: nowMs };
      const written = await this.#store.put(key, next as Record<string, unknown>, {
        expectedVersion: item?.version ?? 0,
        expiresAtMs: nowMs + ROUND_TTL_MS,
      });
      if (!written) {
        await jitter(i);
        continue;
      }
      replace = false;
      if (!next.open) return { kind: 'alone' };
      const added = await this.#addMember(
        next.open.round,
        scope,
        next.open.closesAt,
        requestId,
        member,
        nowMs,
      );
      if (added === 'added') return { kind: 'joined', round: next.open.round, closesAt: next.open.closesAt };
    }
    return { kind: 'busy' };
  }

  /** Decides what member `requestId` of `round` does now; claims the round when it is due and unclaimed. */
  async step(round: string, requestId: string, nowMs: number): Promise<RoundStep<M, R>> {
    return updateControl<RoundStep<M, R>>(
      this.#store,
      roundKey(round),
      (data) => {
        if (!data) return { value: { kind: 'expired', why: 'the round is no longer recorded' } };
        const r = data as unknown as Round<M, R>;
        const count = Object.keys(r.members).length;
        if (r.result) {
          return {
            value: { kind: 'result', result: r.result, leader: r.leader?.owner ?? '', members: count },
          };
        }
        if (nowMs < r.closesAt)
          return { value: { kind: 'wait', notBefore: r.closesAt, why: 'coalescing-window' } };
        if (r.leader?.owner === requestId) {
          // This run leads a round it claimed on an earlier run that never recorded: what that run
          // sent is unknown, so every member settles alone (and need not wait for the claim to end).
          return {
            data: { ...data, result: { abandoned: true } },
            value: { kind: 'expired', why: 'its leader (this request) stopped before recording a result' },
          };
        }
        if (r.leader && r.leader.until > nowMs) {
          return {
            value: {
              kind: 'wait',
              notBefore: Math.min(r.leader.until, nowMs + POLL_MS),
              why: 'coalesced-call-in-progress',
            },
          };
        }
        if (r.leader) {
          return { value: { kind: 'expired', why: `its leader ${r.leader.owner} stopped without a result` } };
        }
        return {
          data: { ...data, leader: { owner: requestId, until: nowMs + this.#claimMs } },
          value: { kind: 'lead', members: r.members },
        };
      },
      { expiresAtMs: nowMs + ROUND_TTL_MS },
    );
  }

  /** Records the leader's result (even past its claim: the result is what happened). */
  async record(round: string, owner: string, result: R, nowMs: number): Promise<void> {
    await updateControl(
      this.#store,
      roundKey(round),
      (data) => {
        if (!data) return { value: undefined };
        const r = data as unknown as Round<M, R>;
        if (r.result) return { value: undefined };
        return { data: { ...data, leader: { owner, until: nowMs }, result }, value: undefined };
      },
      { expiresAtMs: nowMs + ROUND_TTL_MS },
    );
  }

  /**
   * Adds a member to the round's item. The members a process adds at one moment (a batch's records)
   * share one write; a round whose writes keep losing counts as closed (the caller opens another).
   */
  async #addMember(
    round: string,
    scope: string,
    closesAt: number,
    requestId: string,
    member: M,
    nowMs: number,
  ): Promise<'added' | 'closed' | 'full'> {
    try {
      return await updateControlGrouped<'added' | 'closed' | 'full'>(
        this.#store,
        roundKey(round),
        (data) => {
          const r: Round<M, R> = data
            ? (data as unknown as Round<M, R>)
            : { scope, phase: this.#phase, closesAt, members: {} };
          if (r.members[requestId]) return { value: 'added' };
          if (r.leader || r.result || nowMs >= r.closesAt) return { value: 'closed' };
          if (Object.keys(r.members).length >= MAX_MEMBERS) return { value: 'full' };
          const next = { ...r, members: { ...r.members, [requestId]: member } };
          return { data: next as unknown as Record<string, unknown>, value: 'added' };
        },
        { attempts: JOIN_ATTEMPTS, expiresAtMs: nowMs + ROUND_TTL_MS },
      );
    } catch (err) {
      if (err instanceof ControlContentionError) return 'closed';
      throw err;
    }
  }
}

/** A short random pause after a lost race, growing with the attempt, so contenders spread out. */
function jitter(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(200, 10 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
