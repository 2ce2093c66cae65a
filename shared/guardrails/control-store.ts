import type { Disposition } from '../core/disposition.ts';

/**
 * A small key/value store with compare-and-set, for the worker's coordination state: run leases,
 * the ZTW session lease, pause switches, the deletion ledger, approvals and activation markers.
 * Every write is conditional on the version read, so concurrent workers never lose an update.
 * Adapters: `DynamoControlStore` (items `CTRL#<key>` in the requests table), `MemoryControlStore`.
 *
 * @example
 * const item = await store.get('pause:acme');
 * const ok = await store.put('pause:acme', { by: 'ops' }, { expectedVersion: item?.version ?? 0 });
 */
export interface ControlStore {
  get(key: string): Promise<ControlItem | undefined>;
  /**
   * Writes `data` if the item's version is `expectedVersion` (0: the item must not exist). Returns
   * the new item, or `undefined` when another writer got there first.
   */
  put(
    key: string,
    data: Record<string, unknown>,
    options: { expectedVersion: number; expiresAtMs?: number },
  ): Promise<ControlItem | undefined>;
  /**
   * Deletes the item if its version is `expectedVersion` (any version when absent) and, when
   * `match` is given, its data's field `match.field` equals `match.value` (a lease's owner: a version
   * alone could be a later item's after a delete and a fresh write).
   */
  delete(key: string, expectedVersion?: number, match?: DataMatch): Promise<boolean>;
}

/** A string field of an item's `data` that a conditional delete requires. */
export interface DataMatch {
  field: string;
  value: string;
}

export interface ControlItem {
  key: string;
  /** Starts at 1; each write adds 1. */
  version: number;
  data: Record<string, unknown>;
}

/**
 * Read-modify-write with retries on a lost race (after a short jittered pause). `update` gets the current data (undefined when
 * absent) and returns the new data, or `undefined` to write nothing.
 */
export async function updateControl<T>(
  store: ControlStore,
  key: string,
  update: (current: Record<string, unknown> | undefined) => { data?: Record<string, unknown>; value: T },
  options: { attempts?: number; expiresAtMs?: number } = {},
): Promise<T> {
  const attempts = options.attempts ?? 8;
  for (let i = 0; i < attempts; i++) {
    const item = await store.get(key);
    const next = update(item?.data);
    if (!next.data) return next.value;
    const written = await store.put(key, next.data, {
      expectedVersion: item?.version ?? 0,
      ...(options.expiresAtMs !== undefined ? { expiresAtMs: options.expiresAtMs } : {}),
    });
    if (written) return next.value;
    // Lost to a concurrent writer: a short random pause, growing with the attempt, spreads a burst of
    // writers (e.g. the members of a coalesced deletion round passing the guardrails at once) apart.
    if (i < attempts - 1) await new Promise((r) => setTimeout(r, Math.random() * Math.min(250, 5 * 2 ** i)));
  }
  throw new ControlContentionError(key, attempts);
}

type Update = (current: Record<string, unknown> | undefined) => {
  data?: Record<string, unknown>;
  value: unknown;
};

interface Queued {
  update: Update;
  options: { attempts?: number; expiresAtMs?: number };
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Per store and key: the updates waiting for this process's next write (absent: none under way). */
const groups = new WeakMap<ControlStore, Map<string, Queued[]>>();

/**
 * `updateControl` for a hot item many runs of one process update at once (a tenant's deletion
 * ledger, a coalesced round's members): updates that arrive while a write is under way are applied
 * together, in arrival order, in the next single conditional write, each seeing the data the ones
 * before it made, exactly as if each had been written alone in that order. So a burst costs one read
 * and one write per group instead of a lost race per update. `update` must be pure (it is re-run when
 * the group's write loses to another process); when the group's write keeps losing, every update of
 * the group fails with `ControlContentionError`.
 *
 * @example
 * const added = await updateControlGrouped(store, 'deletions:acme', (data) => ({ data: { ...data, r1: 1 }, value: true }));
 */
export function updateControlGrouped<T>(
  store: ControlStore,
  key: string,
  update: (current: Record<string, unknown> | undefined) => { data?: Record<string, unknown>; value: T },
  options: { attempts?: number; expiresAtMs?: number } = {},
): Promise<T> {
  let byKey = groups.get(store);
  if (!byKey) {
    byKey = new Map();
    groups.set(store, byKey);
  }
  const queue = byKey.get(key);
  return new Promise<T>((resolve, reject) => {
    const queued: Queued = { update, options, resolve: resolve as (v: unknown) => void, reject };
    if (queue) {
      queue.push(queued);
      return;
    }
    const fresh = [queued];
    byKey.set(key, fresh);
    // The updates of this moment (a batch's records passing the same step together) join the first.
    setImmediate(() => void drain(store, key, byKey, fresh));
  });
}

async function drain(
  store: ControlStore,
  key: string,
  byKey: Map<string, Queued[]>,
  first: Queued[],
): Promise<void> {
  let group = first;
  for (;;) {
    const next: Queued[] = [];
    byKey.set(key, next);
    const expiries = group.map((q) => q.options.expiresAtMs).filter((e): e is number => e !== undefined);
    try {
      const values = await updateControl<unknown[]>(
        store,
        key,
        (current) => {
          let data = current;
          let changed = false;
          const values = group.map((q) => {
            const r = q.update(data);
            if (r.data) {
              data = r.data;
              changed = true;
            }
            return r.value;
          });
          return changed && data ? { data, value: values } : { value: values };
        },
        {
          attempts: Math.max(...group.map((q) => q.options.attempts ?? 8)),
          ...(expiries.length > 0 ? { expiresAtMs: Math.max(...expiries) } : {}),
        },
      );
      for (const [i, q] of group.entries()) q.resolve(values[i]);
    } catch (err) {
      for (const q of group) q.reject(err);
    }
    if (next.length === 0) {
      byKey.delete(key);
      return;
    }
    group = next;
  }
}

/** `updateControl` lost its race too many times in a row. */
export class ControlContentionError extends Error {
  constructor(key: string, attempts: number) {
    super(`control item ${key}: lost ${attempts} concurrent updates in a row`);
    this.name = 'ControlContentionError';
  }

  /**
   * Busy, not broken: the write that lost changed nothing, so the run is tried again after the
   * busy back-off (not after a whole visibility timeout, as an undeclared error would be).
   */
  get disposition(): Disposition {
    return { kind: 'retry', why: 'busy:control-contention', message: this.message, backoff: 'busy' };
  }
}
