/**
 * The limiter's storage port. One item per key holds every window's schedule, so all windows of a
 * key are taken in one atomic conditional update. Implementations: `DynamoDbRateLimitStore` (AWS) and
 * `MemoryRateLimitStore` (unit tests), which must behave identically.
 */

/** What storage knows about one key. */
export interface KeyRecord {
  /** `<tenant>/<api>/<class>`. */
  key: string;
  /** Theoretical arrival time (epoch ms) per window id: the next free slot of that window's schedule. */
  tats: Record<string, number>;
  /** Every worker must hold off until then (a 429 from Zscaler). */
  blockedUntil?: number;
  /** Permits granted so far (dashboard). */
  granted: number;
  /** 429 blocks recorded so far (dashboard). */
  blocks: number;
  /** Epoch ms of the last change. */
  updatedAt: number;
}

/**
 * One window's part of a reservation.
 * - `add`: the window is busy (tat >= now) or has never been used: `tat = (tat ?? now) + intervalMs`,
 *   only if `tat` is absent or `now <= tat <= maxTat`. Additions commute, so concurrent workers never
 *   conflict.
 * - `anchor`: the window is idle: `tat = now + intervalMs`, only if `tat` is absent or `tat < now`.
 */
export interface WindowOp {
  id: string;
  form: 'add' | 'anchor';
  intervalMs: number;
  /** `add` only: the latest tat that still gives a slot within the caller's wait limit. */
  maxTat: number;
}

export interface ReserveRequest {
  key: string;
  /** The caller's clock, in epoch ms. */
  now: number;
  ops: WindowOp[];
}

/**
 * `ok`: the new tat of every window. Otherwise the item as it was when the condition failed (from
 * the failed write itself, not a separate read, where the backend supports it).
 */
export type ReserveResult = { ok: true; tats: Record<string, number> } | { ok: false; current?: KeyRecord };

/**
 * Moves a permit whose answer came back late to a later slot, without taking another permit: every
 * window's tat must still be `expect` (nobody reserved after it) and the key not blocked at `now`;
 * then each window's tat becomes `set`.
 *
 * Why this is safe (GCRA arithmetic, one window, interval T, burst tolerance τ, slack S): a
 * reservation answered with new tat N counts the permit in the stored state; the permits after it
 * get slots of at least `N - τ`, `N + T - τ`, … As long as the call reaches Zscaler no earlier than
 * its slot and no later than `N - T + S`, any `limit + 1` calls span at least the window, whatever
 * the others do (for τ = 0, `N - T` is the slot itself: the call may be up to S late). A later call
 * could share a window with `limit` successors, unless there are none: with the tat still N, the
 * permit can be re-counted at `at` (`set = max(N, at + T)`), which is the state a permit taken at
 * `at` would have left, so a call at `at` is as safe as a fresh one. When the tat moved on, the late
 * permit is left unused (the successors were spaced from it) and a new one is taken.
 */
export interface MoveRequest {
  key: string;
  now: number;
  expect: Record<string, number>;
  set: Record<string, number>;
}

export interface RateLimitStore {
  /**
   * Takes one permit in every window, atomically, if no window's condition fails and the key is not
   * blocked at `now`.
   */
  reserve(request: ReserveRequest): Promise<ReserveResult>;
  /** Re-counts a late permit at a later slot if nobody reserved after it (see `MoveRequest`). */
  move(request: MoveRequest): Promise<ReserveResult>;
  /** Sets `blockedUntil = untilMs` only if that extends the block; answers whether it did. */
  block(key: string, untilMs: number, now: number): Promise<boolean>;
  /** A strongly consistent read of one key (CLI and dashboard, never on the permit path). */
  read(key: string): Promise<KeyRecord | undefined>;
  /** Every key whose name starts with `prefix` (all keys when absent). */
  scan(prefix?: string): Promise<KeyRecord[]>;
}
