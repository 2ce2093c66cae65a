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

export interface RateLimitStore {
  /**
   * Takes one permit in every window, atomically, if no window's condition fails and the key is not
   * blocked at `now`.
   */
  reserve(request: ReserveRequest): Promise<ReserveResult>;
  /** Sets `blockedUntil = untilMs` only if that extends the block; answers whether it did. */
  block(key: string, untilMs: number, now: number): Promise<boolean>;
  /** A strongly consistent read of one key (CLI and dashboard, never on the permit path). */
  read(key: string): Promise<KeyRecord | undefined>;
  /** Every key whose name starts with `prefix` (all keys when absent). */
  scan(prefix?: string): Promise<KeyRecord[]>;
}
