import { type Clock, systemClock } from '../core/clock.ts';
import { formatKey, type RateLimitKey, toKey } from './key.ts';
import { RateLimits } from './limits.ts';
import { chooseForm, estimateSlot, lateBound, movedTat, slotFromNewTat } from './schedule.ts';
import type { KeyRecord, RateLimitStore, WindowOp } from './store.ts';

export type AcquireResult =
  | {
      ok: true;
      /** Epoch ms at which the call may be made (now or soon). */
      slotAt: number;
      /** `slotAt` minus the time the answer arrived: how long the caller has to wait (at most `maxWaitMs`). */
      waitMs: number;
      /** Storage requests this answer cost. */
      requests: number;
      /**
       * The call must leave by then (absent: unlimited). A caller held up past it (a stalled process)
       * hands the permit back with `acquire(key, { late: { slotAt, held } })` instead of calling.
       */
      useBy?: number;
      /** The tats that count this permit (what a later move must find unchanged). */
      held?: Record<string, number>;
    }
  | {
      ok: false;
      /** Epoch ms before which the call must not be made (jittered so deferred callers do not stampede). */
      notBefore: number;
      /**
       * `blocked`: a 429 blocks the key; `budget`: the next slot is beyond `maxWaitMs`; `contention`:
       * `maxAttempts` conditional writes failed (other workers kept changing the key); `late`: the
       * store answered too late `maxLateRounds` times in a row (a store this slow cannot time calls).
       */
      reason: 'blocked' | 'budget' | 'contention' | 'late';
      requests: number;
    };

/** What this process last learned about a key (from its own writes, never from a read). */
interface CacheEntry {
  tats: Record<string, number>;
  /** When `tats` was learned. */
  seenAt: number;
  blockedUntil?: number;
}

export interface AcquireOptions {
  /** Longest wait the caller accepts; a later slot is answered "not before T" and nothing is reserved. */
  maxWaitMs?: number;
  /** A permit of this key the caller could not use by its `useBy`: moved to now (or replaced) first. */
  late?: { slotAt: number; held: Record<string, number> };
}

/** A key's state for the operator CLI and the dashboard. */
export interface KeyState {
  key: string;
  windows: {
    id: string;
    limit: number;
    windowMs: number;
    intervalMs: number;
    /** Next free slot of this window's schedule (absent: never used). */
    tat?: number;
    /** Queue ahead in this window, ms (0 when idle). */
    backlogMs: number;
  }[];
  /** When a new permit could be had now. */
  nextSlotAt: number;
  blockedUntil?: number;
  blocked: boolean;
  granted: number;
  blocks: number;
  updatedAt?: number;
}

export interface RateLimiterOptions {
  store: RateLimitStore;
  limits: RateLimits;
  clock?: Clock;
  /** Default `maxWaitMs` of `acquire` (10 s). */
  defaultMaxWaitMs?: number;
  /** Cap of the jitter added to "not before" answers (60 s; jitter is at most 20% of the wait). */
  maxJitterMs?: number;
  /** Failed conditional writes per `acquire` before answering `contention` (default 5). */
  maxAttempts?: number;
  /** Late answers in a row per `acquire` before answering `late` (default 20; each moves the permit). */
  maxLateRounds?: number;
  /** Uniform [0, 1), injectable for tests. */
  random?: () => number;
}

/**
 * A budget per tenant, API family and method class, shared by every worker through storage.
 * `acquire` costs one conditional write per permit in steady state: busy windows take their permit
 * with an atomic add (which never conflicts), and `ReturnValues` tells the slot without a read. An
 * answer that arrives after its slot plus the slack kept for it is moved to now (one more write) when
 * nobody reserved after it, else left unused; lateness never makes `acquire` give up early.
 *
 * @example
 * const limiter = new RateLimiter({ store: new DynamoDbRateLimitStore({ client, tableName }), limits: RateLimits.from() });
 * const r = await limiter.acquire('acme/zpa/write', { maxWaitMs: 5_000 });
 * if (r.ok) await clock.sleep(r.waitMs); else deferUntil(r.notBefore);
 */
export class RateLimiter {
  private readonly store: RateLimitStore;
  private readonly limits: RateLimits;
  private readonly clock: Clock;
  private readonly defaultMaxWaitMs: number;
  private readonly maxJitterMs: number;
  private readonly maxAttempts: number;
  private readonly maxLateRounds: number;
  private readonly random: () => number;
  /** Last known tats and block per key: chooses the update form without reading. */
  private readonly cache = new Map<string, CacheEntry>();

  constructor(options: RateLimiterOptions) {
    this.store = options.store;
    this.limits = options.limits;
    this.clock = options.clock ?? systemClock;
    this.defaultMaxWaitMs = options.defaultMaxWaitMs ?? 10_000;
    this.maxJitterMs = options.maxJitterMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.maxLateRounds = options.maxLateRounds ?? 20;
    this.random = options.random ?? Math.random;
  }

  /** Asks for one permit: "go at slotAt" (reserved) or "not before T" (nothing reserved). */
  async acquire(keyInput: RateLimitKey | string, options: AcquireOptions = {}): Promise<AcquireResult> {
    const key = budgetKey(keyInput);
    const name = formatKey(key);
    const windows = this.limits.windowsFor(key);
    const now0 = this.clock.now();
    if (windows === 'unlimited') return { ok: true, slotAt: now0, waitMs: 0, requests: 0 };
    let maxWaitMs = Math.max(0, options.maxWaitMs ?? this.defaultMaxWaitMs);
    // In a multi-window key a permit may be used later than a burst window's own slot (another window
    // holds it back); that lateness is bounded by the wait, and must stay within the window's slack.
    if (windows.length > 1) {
      for (const w of windows) if (w.toleranceMs > 0) maxWaitMs = Math.min(maxWaitMs, w.slackMs);
    }
    const known = this.cache.get(name);
    // Blocks only ever extend, so a block seen earlier is still in force: answer without a request.
    if (known?.blockedUntil !== undefined && known.blockedUntil > now0) {
      return { ok: false, notBefore: this.jitter(known.blockedUntil, now0), reason: 'blocked', requests: 0 };
    }
    let requests = 0;
    let conflicts = 0;
    let lateRounds = 0;
    // Windows a failed write showed busy: a view that aged on a slow way back would guess "idle".
    const busy = new Set<string>();
    // The permit in hand (reserved, or handed back by a caller that could not use it in time).
    let held: { tats: Record<string, number>; slotAt: number } | undefined = options.late
      ? { tats: { ...options.late.held }, slotAt: options.late.slotAt }
      : undefined;
    let lead = 0;
    for (;;) {
      if (held) {
        // A late answer (a slow store, a stalled process) is not a reason to give up: the permit is
        // counted, and moved to now if nobody reserved after it (see `MoveRequest` in store.ts).
        const arrived = this.clock.now();
        const useBy = lateBound(windows, held.slotAt);
        if (arrived <= useBy) {
          const slotAt = held.slotAt;
          return {
            ok: true,
            slotAt,
            waitMs: Math.max(0, slotAt - arrived),
            requests,
            useBy,
            held: held.tats,
          };
        }
        if (++lateRounds > this.maxLateRounds) {
          return {
            ok: false,
            notBefore: this.jitter(arrived + windows[0]!.intervalMs, arrived),
            reason: 'late',
            requests,
          };
        }
        // A store that answered late once usually answers in time: the first move asks for now; one
        // that stays slow gets a slot as far ahead as its last answer took.
        const sent = this.clock.now();
        const at = sent + lead;
        const set: Record<string, number> = {};
        for (const w of windows) set[w.id] = movedTat(w, held.tats[w.id] ?? at, at);
        requests++;
        const moved = await this.store.move({ key: name, now: sent, expect: held.tats, set });
        lead = Math.min(this.clock.now() - sent, maxWaitMs);
        if (moved.ok) {
          held = { tats: set, slotAt: at };
          this.cache.set(name, { ...this.cache.get(name), tats: { ...moved.tats }, seenAt: sent });
          continue;
        }
        if (moved.current) this.remember(moved.current, sent);
        const until = moved.current?.blockedUntil;
        if (until !== undefined && until > sent) {
          return { ok: false, notBefore: this.jitter(until, sent), reason: 'blocked', requests };
        }
        // Others reserved after it and were spaced from its slot: leave it unused, take a new one.
        for (const w of windows) busy.add(w.id);
        held = undefined;
      }
      const now = this.clock.now();
      const seen = this.cache.get(name);
      const tats = seen?.tats ?? {};
      const ops: WindowOp[] = windows.map((w) => ({
        id: w.id,
        form: busy.has(w.id) ? 'add' : chooseForm(tats[w.id], seen?.seenAt ?? now, now),
        intervalMs: w.intervalMs,
        maxTat: now + w.toleranceMs + maxWaitMs,
      }));
      requests++;
      const res = await this.store.reserve({ key: name, now, ops });
      if (res.ok) {
        let slotAt = now;
        for (const w of windows) slotAt = Math.max(slotAt, slotFromNewTat(w, res.tats[w.id] ?? now, now));
        const mine: Record<string, number> = {};
        for (const w of windows) mine[w.id] = res.tats[w.id] ?? now + w.intervalMs;
        this.cache.set(name, { ...this.cache.get(name), tats: { ...res.tats }, seenAt: now });
        held = { tats: mine, slotAt };
        lead = 0;
        continue;
      }
      const current = res.current;
      if (current) this.remember(current, now);
      for (const op of ops) {
        const tat = current?.tats[op.id];
        if (tat !== undefined && tat >= now) busy.add(op.id);
        else busy.delete(op.id);
      }
      if (current?.blockedUntil !== undefined && current.blockedUntil > now) {
        return { ok: false, notBefore: this.jitter(current.blockedUntil, now), reason: 'blocked', requests };
      }
      let slot = now;
      for (const w of windows) slot = Math.max(slot, estimateSlot(w, current?.tats[w.id], now));
      if (slot > now + maxWaitMs) {
        return { ok: false, notBefore: this.jitter(slot, now), reason: 'budget', requests };
      }
      // Our view was stale (someone re-anchored or the window went idle): retry with what we learned.
      // A failure answered in time is contention; one answered late says the store is slow (the view
      // went stale on the way), which counts towards `maxLateRounds` instead.
      if (this.clock.now() > lateBound(windows, now)) {
        if (++lateRounds > this.maxLateRounds) {
          const at = this.clock.now();
          return {
            ok: false,
            notBefore: this.jitter(at + windows[0]!.intervalMs, at),
            reason: 'late',
            requests,
          };
        }
      } else if (++conflicts >= this.maxAttempts) {
        const at = this.clock.now();
        return {
          ok: false,
          notBefore: this.jitter(at + windows[0]!.intervalMs, at),
          reason: 'contention',
          requests,
        };
      }
    }
  }

  /**
   * Blocks the key for every worker until `untilMs` (a 429's Retry-After). Only ever extends a block.
   * @returns whether this call extended it.
   */
  async block(keyInput: RateLimitKey | string, untilMs: number): Promise<boolean> {
    const name = formatKey(budgetKey(keyInput));
    const extended = await this.store.block(name, untilMs, this.clock.now());
    const entry = this.cache.get(name) ?? { tats: {}, seenAt: this.clock.now() };
    if (extended || (entry.blockedUntil ?? 0) < untilMs) entry.blockedUntil = untilMs;
    this.cache.set(name, entry);
    return extended;
  }

  /** One key's state (a consistent read); undefined when the key was never used. */
  async state(keyInput: RateLimitKey | string): Promise<KeyState | undefined> {
    const key = budgetKey(keyInput);
    const record = await this.store.read(formatKey(key));
    return record ? this.describe(key, record) : undefined;
  }

  /** Every key of a tenant (or of all tenants), for the CLI and the dashboard. */
  async listKeys(tenant?: string): Promise<KeyState[]> {
    const records = await this.store.scan(tenant === undefined ? undefined : `${tenant}/`);
    return records
      .map((r) => this.describe(toKey(r.key), r))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private remember(record: KeyRecord, now: number): void {
    const entry = this.cache.get(record.key);
    const blockedUntil = Math.max(record.blockedUntil ?? 0, entry?.blockedUntil ?? 0);
    this.cache.set(record.key, {
      tats: { ...record.tats },
      seenAt: now,
      ...(blockedUntil > 0 ? { blockedUntil } : {}),
    });
  }

  private jitter(at: number, now: number): number {
    const spread = Math.min(this.maxJitterMs, Math.max(0, at - now) * 0.2);
    return Math.ceil(at + this.random() * spread);
  }

  private describe(key: RateLimitKey, record: KeyRecord): KeyState {
    const now = this.clock.now();
    const windows = this.limits.windowsFor(key);
    const list = windows === 'unlimited' ? [] : windows;
    let nextSlotAt = now;
    for (const w of list) nextSlotAt = Math.max(nextSlotAt, estimateSlot(w, record.tats[w.id], now));
    const blocked = record.blockedUntil !== undefined && record.blockedUntil > now;
    if (blocked) nextSlotAt = Math.max(nextSlotAt, record.blockedUntil!);
    return {
      key: record.key,
      windows: list.map((w) => {
        const tat = record.tats[w.id];
        return {
          id: w.id,
          limit: w.limit,
          windowMs: w.windowMs,
          intervalMs: w.intervalMs,
          ...(tat !== undefined ? { tat } : {}),
          backlogMs: tat === undefined ? 0 : Math.max(0, tat - now),
        };
      }),
      nextSlotAt,
      ...(record.blockedUntil !== undefined ? { blockedUntil: record.blockedUntil } : {}),
      blocked,
      granted: record.granted,
      blocks: record.blocks,
      updatedAt: record.updatedAt,
    };
  }
}

/** The key whose budget a call spends (ZPA bills every non-GET class to `write`). */
function budgetKey(input: RateLimitKey | string): RateLimitKey {
  const key = toKey(input);
  return { ...key, rateClass: RateLimits.budgetClass(key.api, key.rateClass) };
}
