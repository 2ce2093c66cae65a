import { type ControlStore, updateControl } from '../guardrails/control-store.ts';

/** The per-tenant activation marker. */
interface Marker {
  /** Deletions noted so far (a sequence). */
  deletions: number;
  /** Epoch ms of the last deletion. */
  lastDeletionAt: number;
  /** Every deletion with a sequence up to this is activated (Zscaler answered ADM_ACTV_DONE). */
  activatedThrough: number;
  /** The last activation that ended ADM_ACTV_FAIL: deletions `from`..`through`, and what it said. */
  failed?: { from: number; through: number; detail: string };
  /**
   * An activation claimed by `owner` for every deletion up to `through`, live until `until`;
   * `sentAt` once its PUT was made (from then on the owner follows it instead of activating again).
   */
  activating?: { owner: string; until: number; through: number; since?: number; sentAt?: number };
}

const keyOf = (tenant: string) => `activation:${tenant}`;

const read = (data: Record<string, unknown> | undefined): Marker => ({
  deletions: 0,
  lastDeletionAt: 0,
  activatedThrough: 0,
  ...(data as Partial<Marker> | undefined),
});

/** How long a claim lives without news from its owner; a claim left by a crashed worker ends then. */
const CLAIM_MS = 60_000;

/** Bounds of a waiting deletion's next look while another job's activation runs. */
const MIN_WAIT_MS = 1_000;
const MAX_WAIT_MS = 30_000;

/** What a waiting deletion should do now. */
export type ActivationStep =
  /** Its deletion is activated: verify. */
  | { kind: 'activated' }
  /** The activation that covered it failed (`detail`): verify, and report what landed. */
  | { kind: 'failed'; detail: string }
  /** Activate now (this caller won the claim for every deletion up to `through`). */
  | { kind: 'activate'; through: number }
  /** This caller's activation was sent: follow it (`GET /ecAdminActivateStatus`), never send it again. */
  | { kind: 'follow'; through: number; sentAt: number }
  /** Come back at `notBefore` (quiet period running, or another worker activating). */
  | { kind: 'wait'; notBefore: number; why: string };

/**
 * Coalesces Cloud & Branch Connector activations: after a burst of VM deletions for a tenant, one
 * activation. Each deletion is noted (a sequence number); once no deletion happened for the quiet
 * period, the first waiting job claims the activation for every deletion so far, activates, follows
 * it until Zscaler reports it done or failed (across runs when it takes long), and records the
 * result; the others see theirs activated (or failed) and only verify.
 *
 * @example
 * const seq = await coalescer.noteDeletion('acme', now);
 * const step = await coalescer.next('acme', seq, requestId, now, 10_000);
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
      if (m.failed && m.failed.from <= seq && seq <= m.failed.through)
        return { value: { kind: 'failed', detail: m.failed.detail } };
      const mine = m.activating?.owner === owner ? m.activating : undefined;
      if (mine?.sentAt !== undefined && mine.through >= seq) {
        return {
          data: { ...m, activating: { ...mine, until: nowMs + CLAIM_MS } },
          value: { kind: 'follow', through: mine.through, sentAt: mine.sentAt },
        };
      }
      if (nowMs < m.lastDeletionAt + quietMs) {
        return {
          value: { kind: 'wait', notBefore: m.lastDeletionAt + quietMs, why: 'activation-quiet-period' },
        };
      }
      if (m.activating && m.activating.owner !== owner && m.activating.until > nowMs) {
        // Short activations are seen soon after they end; long ones (queued behind another admin)
        // are looked at less and less often.
        const running = nowMs - (m.activating.since ?? nowMs);
        const waitMs = Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, Math.round(running / 2)));
        return {
          value: {
            kind: 'wait',
            notBefore: Math.min(m.activating.until, nowMs + waitMs),
            why: 'activation-in-progress',
          },
        };
      }
      const through = m.deletions;
      return {
        data: { ...m, activating: { owner, until: nowMs + CLAIM_MS, through, since: nowMs } },
        value: { kind: 'activate', through },
      };
    });
  }

  /** Records that the claimed activation's PUT was made (before the call: a crash after it must not repeat it blindly). */
  async sent(tenant: string, owner: string, nowMs: number): Promise<void> {
    await updateControl(this.#store, keyOf(tenant), (data) => {
      const m = read(data);
      if (m.activating?.owner !== owner) return { value: undefined };
      return {
        data: { ...m, activating: { ...m.activating, sentAt: nowMs, until: nowMs + CLAIM_MS } },
        value: undefined,
      };
    });
  }

  /** Records a finished activation of every deletion up to `through` (Zscaler said ADM_ACTV_DONE). */
  async activated(tenant: string, owner: string, through: number): Promise<void> {
    await this.#settle(tenant, owner, (m) => ({ activatedThrough: Math.max(m.activatedThrough, through) }));
  }

  /** Records a failed activation (ADM_ACTV_FAIL) of the deletions not yet activated up to `through`. */
  async failed(tenant: string, owner: string, through: number, detail: string): Promise<void> {
    await this.#settle(tenant, owner, (m) => ({
      failed: { from: m.activatedThrough + 1, through, detail },
    }));
  }

  /**
   * Gives the claim up without a result (the activation's outcome could not be read): the next
   * waiting job claims and activates again, which applies whatever is still pending.
   */
  async release(tenant: string, owner: string): Promise<void> {
    await this.#settle(tenant, owner, () => ({}));
  }

  async #settle(tenant: string, owner: string, change: (m: Marker) => Partial<Marker>): Promise<void> {
    await updateControl(this.#store, keyOf(tenant), (data) => {
      const m = read(data);
      const { activating, ...rest } = m;
      return {
        data: {
          ...rest,
          ...change(m),
          ...(activating && activating.owner !== owner ? { activating } : {}),
        },
        value: undefined,
      };
    });
  }
}
