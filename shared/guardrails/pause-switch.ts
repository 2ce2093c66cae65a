import type { ControlStore } from './control-store.ts';

const keyOf = (tenant: string) => `pause:${tenant}`;

/** Why and since when a tenant is paused. */
export interface PauseState {
  reason: string;
  by: string;
  /** ISO time. */
  since: string;
}

/**
 * The per-tenant pause switch: while a tenant is paused, its jobs are deferred (nothing is read
 * from or written to Zscaler). The operator CLI calls `pause`/`resume`; the worker calls `state`.
 *
 * @example
 * await new PauseSwitch(control).pause('acme', { reason: 'change freeze', by: 'ops', nowMs: Date.now() });
 */
export class PauseSwitch {
  readonly #store: ControlStore;

  constructor(store: ControlStore) {
    this.#store = store;
  }

  async pause(tenant: string, how: { reason: string; by: string; nowMs: number }): Promise<void> {
    const item = await this.#store.get(keyOf(tenant));
    if (item) return;
    const data: PauseState = { reason: how.reason, by: how.by, since: new Date(how.nowMs).toISOString() };
    // Losing the race means someone else paused it at the same moment: paused either way.
    await this.#store.put(keyOf(tenant), { ...data }, { expectedVersion: 0 });
  }

  async resume(tenant: string): Promise<boolean> {
    return this.#store.delete(keyOf(tenant));
  }

  /** The pause in force, or undefined. */
  async state(tenant: string): Promise<PauseState | undefined> {
    const item = await this.#store.get(keyOf(tenant));
    return item ? (item.data as unknown as PauseState) : undefined;
  }
}
