import type { Clock } from '../../shared/core/clock.ts';
import type {
  KeyRecord,
  MoveRequest,
  RateLimitStore,
  ReserveRequest,
  ReserveResult,
} from '../../shared/ratelimit/store.ts';

/** One round trip's delays: before the store applies the operation, and before the answer arrives. */
export interface RoundTrip {
  toStoreMs: number;
  toCallerMs: number;
}

/**
 * The store answers the way 0–200 ms of network and occasional 2 s stalls would have it: random
 * latency, split at random between the request's way in and the answer's way back (a stall on the
 * way back is what makes a granted slot arrive late).
 */
export function jitteryLatency(
  random: () => number,
  options: { maxMs?: number; stallMs?: number; stallChance?: number } = {},
): () => RoundTrip {
  const maxMs = options.maxMs ?? 200;
  const stallMs = options.stallMs ?? 2_000;
  const stallChance = options.stallChance ?? 0.02;
  return () => {
    const total = Math.round(random() * maxMs) + (random() < stallChance ? stallMs : 0);
    const toStoreMs = Math.round(total * random());
    return { toStoreMs, toCallerMs: total - toStoreMs };
  };
}

/**
 * A `RateLimitStore` whose every operation travels with the given latency (benchmarks and tests
 * of the limiter under a slow store).
 *
 * @example
 * const store = new LatentRateLimitStore(new MemoryRateLimitStore(), clock, jitteryLatency(Math.random));
 */
export class LatentRateLimitStore implements RateLimitStore {
  /** Operations sent, and how many of them stalled longer than 1 s. */
  requests = 0;
  stalls = 0;
  readonly #inner: RateLimitStore;
  readonly #clock: Clock;
  readonly #latency: () => RoundTrip;

  constructor(inner: RateLimitStore, clock: Clock, latency: () => RoundTrip) {
    this.#inner = inner;
    this.#clock = clock;
    this.#latency = latency;
  }

  async #travel<T>(op: () => Promise<T>): Promise<T> {
    const trip = this.#latency();
    this.requests++;
    if (trip.toStoreMs + trip.toCallerMs > 1_000) this.stalls++;
    if (trip.toStoreMs > 0) await this.#clock.sleep(trip.toStoreMs);
    const answer = await op();
    if (trip.toCallerMs > 0) await this.#clock.sleep(trip.toCallerMs);
    return answer;
  }

  reserve(request: ReserveRequest): Promise<ReserveResult> {
    return this.#travel(() => this.#inner.reserve(request));
  }

  move(request: MoveRequest): Promise<ReserveResult> {
    return this.#travel(() => this.#inner.move(request));
  }

  block(key: string, untilMs: number, now: number): Promise<boolean> {
    return this.#travel(() => this.#inner.block(key, untilMs, now));
  }

  read(key: string): Promise<KeyRecord | undefined> {
    return this.#travel(() => this.#inner.read(key));
  }

  scan(prefix?: string): Promise<KeyRecord[]> {
    return this.#travel(() => this.#inner.scan(prefix));
  }
}
