import { type ControlStore, updateControl } from '../guardrails/control-store.ts';

/** The per-tenant activation marker. */
interface Marker {
  /** Deletions noted so far (a sequence). */
  deletions: number;
  /** Epoch ms of the last deletion. */
  lastDeletionAt: number;
  /** Every deletion with a sequence up to this is activated. */
  activatedThrough: number;
  /** An activation in progress. */
  activating?: { owner: string; until: number; through: number };
}

const keyOf = (tenant: string) => `activation:${tenant}`;

const read = (data: Record<string, unknown> | undefined): Marker => ({
  deletions: 0,
  lastDeletionAt: 0,
  activatedThrough: 0,
  ...(data as Partial<Marker> | undefined),
});

/** What a waiting deletion should do now. */
export type ActivationStep =
  /** Its deletion is activated: verify. */
  | { kind: 'activated' }
  /** Activate now (this caller won the claim for every deletion up to `through`). */
  | { kind: 'activate'; through: number }
  /** Come back at `notBefore` (quiet period running, or another worker activating). */
  | { kind: 'wait'; notBefore: number; why: string };

/**
 * Coalesces Cloud & Branch Connector activations: after a burst of VM deletions for a tenant, one
 * activation. Each deletion is noted (a sequence number); once no deletion happened for the quiet
 * period, the first waiting job claims the activation for every deletion so far, activates, and
 * records it; the others see theirs activated and only verify.
 *
 * @example
 * const seq = await coalescer.noteDeletion('acme', now);
 * const step = await coalescer.next('acme', seq, runId, now, 30_000);
 */
export class ActivationCoalescer {
  readonly #store: ControlStore;

  constructor(store: ControlStore) {
    this.#store = store;
  }

  /** Notes one deletion; answers its sequence number. */
  async noteDeletion(tenant: string, nowMs: number): Promise<number> {
    return updateControl(this.#store, keyOf(tenant), (data) => {
      const m = read(data);
      const seq = m.deletions + 1;
      return { data: { ...m, deletions: seq, lastDeletionAt: nowMs }, value: seq };
    });
  }

  /** Decides what the job of deletion `seq` does now; claims the activation when it is due. */
  async next(
    tenant: string,
    seq: number,
    owner: string,
    nowMs: number,
    quietMs: number,
  ): Promise<ActivationStep> {
    return updateControl<ActivationStep>(this.#store, keyOf(tenant), (data) => {
      const m = read(data);
      if (m.activatedThrough >= seq) return { value: { kind: 'activated' } };
      if (nowMs < m.lastDeletionAt + quietMs) {
        return {
          value: { kind: 'wait', notBefore: m.lastDeletionAt + quietMs, why: 'activation-quiet-period' },
        };
      }
      if (m.activating && m.activating.owner !== owner && m.activating.until > nowMs) {
        return {
          value: {
            kind: 'wait',
            notBefore: Math.min(m.activating.until, nowMs + 5_000),
            why: 'activation-in-progress',
          },
        };
      }
      const through = m.deletions;
      return {
        data: { ...m, activating: { owner, until: nowMs + 60_000, through } },
        value: { kind: 'activate', through },
      };
    });
  }

  /** Records a finished activation of every deletion up to `through`. */
  async activated(tenant: string, owner: string, through: number): Promise<void> {
    await updateControl(this.#store, keyOf(tenant), (data) => {
      const m = read(data);
      const { activating, ...rest } = m;
      return {
        data: {
          ...rest,
          activatedThrough: Math.max(m.activatedThrough, through),
          ...(activating && activating.owner !== owner ? { activating } : {}),
        },
        value: undefined,
      };
    });
  }
}
