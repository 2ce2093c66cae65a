import { type Clock, systemClock } from '../core/clock.ts';
import { StateConflictError } from './errors.ts';
import type { IdempotencyRecord, RequestRecord, TransitionPatch } from './request-record.ts';
import type { ClaimResult, RequestStore } from './request-store.ts';
import { assertTransition, type RequestState } from './state-machine.ts';

/** The requests table in memory (unit tests, fuzzing), with the same conditional semantics. */
export class MemoryRequestStore implements RequestStore {
  readonly requests = new Map<string, RequestRecord>();
  readonly keys = new Map<string, IdempotencyRecord & { expiresAt: number }>();
  readonly #clock: Clock;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  async create(record: RequestRecord): Promise<void> {
    if (this.requests.has(record.requestId)) throw new Error(`request ${record.requestId} exists`);
    this.requests.set(record.requestId, structuredClone(record));
  }

  async get(requestId: string): Promise<RequestRecord | undefined> {
    const r = this.requests.get(requestId);
    return r ? structuredClone(r) : undefined;
  }

  async transition(
    requestId: string,
    to: RequestState,
    options: { from?: RequestState | readonly RequestState[]; patch?: TransitionPatch } = {},
  ): Promise<RequestRecord> {
    const current = this.requests.get(requestId);
    const from =
      options.from === undefined
        ? current
          ? [current.state]
          : []
        : typeof options.from === 'string'
          ? [options.from]
          : options.from;
    for (const f of from) assertTransition(f, to);
    if (!current || !from.includes(current.state))
      throw new StateConflictError(requestId, from, current?.state);
    const p = options.patch ?? {};
    const next: RequestRecord = {
      ...current,
      state: to,
      updatedAt: new Date(this.#clock.now()).toISOString(),
      ...(p.stateReason !== undefined ? { stateReason: p.stateReason } : {}),
      ...(p.result !== undefined ? { result: p.result } : {}),
      ...(p.error !== undefined ? { error: p.error } : {}),
      ...(p.notBefore !== undefined ? { notBefore: p.notBefore } : {}),
      attempts: current.attempts + (p.incrementAttempts ? 1 : 0),
      deferrals: current.deferrals + (p.incrementDeferrals ? 1 : 0),
    };
    this.requests.set(requestId, next);
    return structuredClone(next);
  }

  async claimKey(record: IdempotencyRecord, expiresAtSeconds: number): Promise<ClaimResult> {
    const existing = this.keys.get(record.key);
    if (existing && existing.expiresAt >= Math.floor(this.#clock.now() / 1000)) {
      const { expiresAt: _e, ...rest } = existing;
      return { claimed: false, existing: rest };
    }
    this.keys.set(record.key, { ...record, expiresAt: expiresAtSeconds });
    return { claimed: true };
  }

  async replaceClaim(
    record: IdempotencyRecord,
    expectedRequestId: string,
    expectedClaimedAtMs: number,
    expiresAtSeconds: number,
  ): Promise<boolean> {
    const existing = this.keys.get(record.key);
    if (!existing || existing.requestId !== expectedRequestId || existing.claimedAtMs !== expectedClaimedAtMs)
      return false;
    this.keys.set(record.key, { ...record, expiresAt: expiresAtSeconds });
    return true;
  }

  async releaseKey(key: string, requestId: string): Promise<void> {
    if (this.keys.get(key)?.requestId === requestId) this.keys.delete(key);
  }

  async byTicket(ticket: string, options: { limit?: number } = {}): Promise<RequestRecord[]> {
    return this.#select((r) => r.ticket === ticket, options.limit);
  }

  async byState(state: RequestState, options: { limit?: number } = {}): Promise<RequestRecord[]> {
    return this.#select((r) => r.state === state, options.limit);
  }

  #select(match: (r: RequestRecord) => boolean, limit = 100): RequestRecord[] {
    return [...this.requests.values()]
      .filter(match)
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
      .slice(0, limit)
      .map((r) => structuredClone(r));
  }
}
