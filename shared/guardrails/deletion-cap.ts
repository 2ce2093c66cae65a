import { type ControlStore, updateControl } from './control-store.ts';

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
    return ledgerOf(this.#store, input.tenant).admit({ ...input, approved });
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

interface Pending {
  input: AdmitInput & { approved: boolean };
  resolve(decision: CapDecision): void;
  reject(error: unknown): void;
}

/**
 * One tenant's ledger as this process writes it: admissions that arrive while a write is under way
 * (the members of a coalesced round, the records of one batch) are decided together in the next
 * single conditional write, in arrival order, exactly as if each had been written alone in that
 * order. A burst then costs one read and one write per group instead of a race per request on one hot item.
 */
class LedgerWriter {
  readonly #store: ControlStore;
  readonly #key: string;
  #pending: Pending[] = [];
  #writing = false;

  constructor(store: ControlStore, tenant: string) {
    this.#store = store;
    this.#key = ledgerKey(tenant);
  }

  admit(input: Pending['input']): Promise<CapDecision> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ input, resolve, reject });
      if (!this.#writing) {
        this.#writing = true;
        // The admissions of this moment (a batch's records passing the guardrails together) join.
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const group = this.#pending;
      this.#pending = [];
      try {
        const decisions = await updateControl<CapDecision[]>(
          this.#store,
          this.#key,
          (current) => decideAll(current, group),
          // One ledger per tenant: other processes' groups still race for it (jittered retries).
          {
            expiresAtMs: Math.max(...group.map((p) => p.input.nowMs)) + 2 * HOUR_MS,
            attempts: LEDGER_ATTEMPTS,
          },
        );
        for (const [i, p] of group.entries()) p.resolve(decisions[i] as CapDecision);
      } catch (err) {
        for (const p of group) p.reject(err);
      }
    }
    this.#writing = false;
  }
}

/** Decides a group's admissions in order on the ledger's current entries; data when any was recorded. */
function decideAll(
  current: Record<string, unknown> | undefined,
  group: readonly Pending[],
): { data?: Record<string, unknown>; value: CapDecision[] } {
  let changed = false;
  let entries: Record<string, LedgerEntry> | undefined;
  const value = group.map(({ input }) => {
    entries = pruned(current, input.nowMs, entries);
    const others = { ...entries };
    const own = others[input.requestId];
    delete others[input.requestId];
    const used = Object.values(others).reduce((n, e) => n + e.count, 0);
    const base = { used, limit: input.limit, approved: input.approved };
    if (own) return { ...base, allowed: true };
    const allowed = input.approved || used + input.count <= input.limit;
    if (allowed && input.record !== false) {
      entries[input.requestId] = { at: input.nowMs, count: input.count };
      changed = true;
    }
    return { ...base, allowed };
  });
  return changed ? { data: { entries }, value } : { value };
}

const writers = new WeakMap<ControlStore, Map<string, LedgerWriter>>();

/** The process's writer of a tenant's ledger in `store`. */
function ledgerOf(store: ControlStore, tenant: string): LedgerWriter {
  let byTenant = writers.get(store);
  if (!byTenant) {
    byTenant = new Map();
    writers.set(store, byTenant);
  }
  let writer = byTenant.get(tenant);
  if (!writer) {
    writer = new LedgerWriter(store, tenant);
    byTenant.set(tenant, writer);
  }
  return writer;
}

function pruned(
  data: Record<string, unknown> | undefined,
  nowMs: number,
  /** Entries already updated by earlier admissions of the same write. */
  working?: Record<string, LedgerEntry>,
): Record<string, LedgerEntry> {
  const entries = { ...(working ?? ((data?.entries ?? {}) as Record<string, LedgerEntry>)) };
  for (const [id, e] of Object.entries(entries)) if (e.at <= nowMs - HOUR_MS) delete entries[id];
  return entries;
}
