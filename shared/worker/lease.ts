import type { ControlStore } from '../guardrails/control-store.ts';

/** A held lease; `release` gives it back if it is still ours. */
export interface HeldLease {
  held: true;
  key: string;
  release(): Promise<void>;
}

/** Someone else holds the lease until `until` (epoch ms). */
export interface BusyLease {
  held: false;
  key: string;
  until: number;
  owner: string | undefined;
}

/**
 * Takes a lease (an owner and an expiry in a control item) unless another owner holds a live one.
 * Used for a run's claim on its request and for the one ZTW session per tenant. A crashed holder's
 * lease simply expires.
 *
 * @example
 * const lease = await acquireLease(control, `run:${requestId}`, workerId, 900_000, clock.now());
 * if (lease.held) try { ... } finally { await lease.release(); }
 */
export async function acquireLease(
  store: ControlStore,
  key: string,
  owner: string,
  ttlMs: number,
  nowMs: number,
): Promise<HeldLease | BusyLease> {
  const item = await store.get(key);
  const current = item?.data as { owner?: string; until?: number } | undefined;
  if (current && current.owner !== owner && (current.until ?? 0) > nowMs) {
    return { held: false, key, until: current.until ?? nowMs, owner: current.owner };
  }
  const until = nowMs + ttlMs;
  const written = await store.put(
    key,
    { owner, until },
    { expectedVersion: item?.version ?? 0, expiresAtMs: until + 24 * 3_600_000 },
  );
  if (!written) return { held: false, key, until: nowMs + 1_000, owner: undefined };
  return {
    held: true,
    key,
    async release() {
      const now = await store.get(key);
      if (now && (now.data as { owner?: string }).owner === owner) await store.delete(key, now.version);
    },
  };
}
