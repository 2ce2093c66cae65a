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
  const until = nowMs + ttlMs;
  const options = { expiresAtMs: until + 24 * 3_600_000 };
  // Usually the last holder released it (the item is gone): one conditional write, no read first.
  const fresh = await store.put(key, { owner, until }, { expectedVersion: 0, ...options });
  if (fresh) return held(store, key, owner);
  const item = await store.get(key);
  const current = item?.data as { owner?: string; until?: number } | undefined;
  if (current && current.owner !== owner && (current.until ?? 0) > nowMs) {
    return { held: false, key, until: current.until ?? nowMs, owner: current.owner };
  }
  const written = await store.put(key, { owner, until }, { expectedVersion: item?.version ?? 0, ...options });
  if (!written) return { held: false, key, until: nowMs + 1_000, owner: undefined };
  return held(store, key, owner);
}

/**
 * A lease `owner` holds. Releasing deletes the item only while it still names this owner (one
 * conditional delete, no read): a takeover after expiry is another owner's, and must stay.
 */
function held(store: ControlStore, key: string, owner: string): HeldLease {
  return {
    held: true,
    key,
    async release() {
      await store.delete(key, undefined, { field: 'owner', value: owner });
    },
  };
}
