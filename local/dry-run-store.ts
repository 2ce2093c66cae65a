import type { IdempotencyRecord, RequestRecord, TransitionPatch } from '../shared/requests/request-record.ts';
import type { RequestStore } from '../shared/requests/request-store.ts';
import type { RequestState } from '../shared/requests/state-machine.ts';

/**
 * A `RequestStore` decorator for the local stack against a real tenant without `--live`: every
 * request is recorded with `dryRun: true`, so the worker plans and audits the exact calls and makes
 * no write. It sits on the port, so the domain runs unchanged; `--live` simply leaves it out.
 *
 * @example
 * const store = new DryRunRequestStore(new DynamoRequestStore(doc, table));
 */
export class DryRunRequestStore implements RequestStore {
  readonly #inner: RequestStore;

  constructor(inner: RequestStore) {
    this.#inner = inner;
  }

  create(record: RequestRecord): Promise<void> {
    return this.#inner.create({ ...record, request: { ...record.request, dryRun: true } });
  }
  get(requestId: string): Promise<RequestRecord | undefined> {
    return this.#inner.get(requestId);
  }
  transition(
    requestId: string,
    to: RequestState,
    options?: { from?: RequestState | readonly RequestState[]; patch?: TransitionPatch },
  ): Promise<RequestRecord> {
    return this.#inner.transition(requestId, to, options);
  }
  claimKey(record: IdempotencyRecord, expiresAtSeconds: number) {
    return this.#inner.claimKey(record, expiresAtSeconds);
  }
  replaceClaim(
    record: IdempotencyRecord,
    expectedRequestId: string,
    expectedClaimedAtMs: number,
    expiresAtSeconds: number,
  ) {
    return this.#inner.replaceClaim(record, expectedRequestId, expectedClaimedAtMs, expiresAtSeconds);
  }
  releaseKey(key: string, requestId: string): Promise<void> {
    return this.#inner.releaseKey(key, requestId);
  }
  byTicket(ticket: string, options?: { limit?: number }): Promise<RequestRecord[]> {
    return this.#inner.byTicket(ticket, options);
  }
  byState(state: RequestState, options?: { limit?: number }): Promise<RequestRecord[]> {
    return this.#inner.byState(state, options);
  }
}
