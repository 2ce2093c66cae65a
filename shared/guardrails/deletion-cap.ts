import { type ControlStore, updateControlGrouped } from './control-store.ts';

const HOUR_MS = 60 * 60 * 1000;
/** Conditional writes tried on the ledger before giving up (each lost one waits a jittered moment). */
const LEDGER_ATTEMPTS = 40;
const ledgerKey = (tenant: string) => `deletions:${tenant}`;
const approvalKey = (requestId: string) => `approved:${requestId}`;

interface LedgerEntry {
  /** Epoch ms the deletions were admitted. */
  at: number;
  count: number;
}

/** What the cap said. */
export interface CapDecision {
  allowed: boolean;
  /** Deletions admitted in the last hour, before this request. */
  used: number;
  limit: number;
  /** The request was approved by an operator (admitted past the cap). */
  approved: boolean;
}

/** One request's admission: `count` deletions against `limit`; `record: false` only evaluates (dry-run). */
export interface AdmitInput {
  tenant: string;
  requestId: string;
  count: number;
  limit: number;
  nowMs: number;
  record?: boolean;
}

/**
 * The per-tenant cap on deletions per rolling hour. A ledger item per tenant holds the admitted
 * requests of the last hour (by request id, so a re-run of the same request is never counted
 * twice); past the cap a request is refused unless an operator approved it.
 *
 * @example
 * const d = await cap.admit({ tenant: 'acme', requestId, count: 3, limit: 50, nowMs });
 * if (!d.allowed) hold(`deletion cap: ${d.used}/${d.limit} in the last hour`);
 */
export class DeletionCap {
  readonly #store: ControlStore;

  constructor(store: ControlStore) {
    this.#store = store;
  }

  /**
   * Admits `count` deletions for `requestId` if the hour's total stays within `limit` (or the
   * request was approved, or it was admitted before). `record: false` only evaluates (dry-run).
   */
  async admit(input: AdmitInput): Promise<CapDecision> {
    const approved = (await this.#store.get(approvalKey(input.requestId))) !== undefined;
    // One ledger per tenant: a burst (a coalesced round's members, a batch's records) admits at once;
    // this process's simultaneous admissions share one write, other processes' race for it.
    return updateControlGrouped<CapDecision>(
      this.#store,
      ledgerKey(input.tenant),
      (current) => {
        const entries = pruned(current, input.nowMs);
        const own = entries[input.requestId];
        delete entries[input.requestId];
        const used = Object.values(entries).reduce((n, e) => n + e.count, 0);
        if (own) return { value: { allowed: true, used, limit: input.limit, approved } };
        const allowed = approved || used + input.count <= input.limit;
        const decision = { allowed, used, limit: input.limit, approved };
        if (!allowed || input.record === false) return { value: decision };
        entries[input.requestId] = { at: input.nowMs, count: input.count };
        return { data: { entries }, value: decision };
      },
      { expiresAtMs: input.nowMs + 2 * HOUR_MS, attempts: LEDGER_ATTEMPTS },
    );
  }

  /** Marks a request approved past the cap (operator approval). */
  async approve(requestId: string, by: string, nowMs: number): Promise<void> {
    const item = await this.#store.get(approvalKey(requestId));
    if (item) return;
    await this.#store.put(
      approvalKey(requestId),
      { by, at: new Date(nowMs).toISOString() },
      { expectedVersion: 0, expiresAtMs: nowMs + 30 * 24 * HOUR_MS },
    );
  }

  /** Deletions admitted for a tenant in the last hour. */
  async used(tenant: string, nowMs: number): Promise<number> {
    const item = await this.#store.get(ledgerKey(tenant));
    return Object.values(pruned(item?.data, nowMs)).reduce((n, e) => n + e.count, 0);
  }
}

function pruned(data: Record<string, unknown> | undefined, nowMs: number): Record<string, LedgerEntry> {
  const entries = { ...((data?.entries ?? {}) as Record<string, LedgerEntry>) };
  for (const [id, e] of Object.entries(entries)) if (e.at <= nowMs - HOUR_MS) delete entries[id];
  return entries;
}
