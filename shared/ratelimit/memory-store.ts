import type { KeyRecord, MoveRequest, RateLimitStore, ReserveRequest, ReserveResult } from './store.ts';

/**
 * In-memory `RateLimitStore` with DynamoDB's semantics: each operation is applied atomically when it
 * runs, conditions are evaluated against the current item. `delay` lets tests interleave concurrent
 * operations in random orders (as network latency does).
 *
 * @example
 * const store = new MemoryRateLimitStore();
 * const limiter = new RateLimiter({ store, limits: RateLimits.from() });
 */
export class MemoryRateLimitStore implements RateLimitStore {
  /** Operations served, to compare with DynamoDB request counts. */
  requests = 0;
  private readonly items = new Map<string, KeyRecord>();
  private readonly delay: (() => Promise<void>) | undefined;

  constructor(options: { delay?: () => Promise<void> } = {}) {
    this.delay = options.delay;
  }

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    await this.pause();
    this.requests++;
    const old = this.items.get(request.key);
    const { now } = request;
    const blocked = old?.blockedUntil !== undefined && old.blockedUntil > now;
    const fits = request.ops.every((op) => {
      const tat = old?.tats[op.id];
      if (tat === undefined) return true;
      return op.form === 'add' ? tat >= now && tat <= op.maxTat : tat < now;
    });
    if (blocked || !fits) return { ok: false, ...(old ? { current: clone(old) } : {}) };
    const item: KeyRecord = old ?? { key: request.key, tats: {}, granted: 0, blocks: 0, updatedAt: now };
    for (const op of request.ops) {
      const tat = item.tats[op.id];
      item.tats[op.id] = op.form === 'add' ? (tat ?? now) + op.intervalMs : now + op.intervalMs;
    }
    item.granted++;
    item.updatedAt = now;
    this.items.set(request.key, item);
    return { ok: true, tats: { ...item.tats } };
  }

  async move(request: MoveRequest): Promise<ReserveResult> {
    await this.pause();
    this.requests++;
    const old = this.items.get(request.key);
    const blocked = old?.blockedUntil !== undefined && old.blockedUntil > request.now;
    const same = Object.entries(request.expect).every(([id, tat]) => old?.tats[id] === tat);
    if (!old || blocked || !same) return { ok: false, ...(old ? { current: clone(old) } : {}) };
    for (const [id, tat] of Object.entries(request.set)) old.tats[id] = tat;
    old.updatedAt = request.now;
    return { ok: true, tats: { ...old.tats } };
  }

  async block(key: string, untilMs: number, now: number): Promise<boolean> {
    await this.pause();
    this.requests++;
    const item = this.items.get(key) ?? { key, tats: {}, granted: 0, blocks: 0, updatedAt: now };
    if (item.blockedUntil !== undefined && item.blockedUntil >= untilMs) return false;
    item.blockedUntil = untilMs;
    item.blocks++;
    item.updatedAt = now;
    this.items.set(key, item);
    return true;
  }

  async read(key: string): Promise<KeyRecord | undefined> {
    await this.pause();
    this.requests++;
    const item = this.items.get(key);
    return item ? clone(item) : undefined;
  }

  async scan(prefix = ''): Promise<KeyRecord[]> {
    await this.pause();
    this.requests++;
    return [...this.items.values()].filter((i) => i.key.startsWith(prefix)).map(clone);
  }

  private async pause(): Promise<void> {
    if (this.delay) await this.delay();
  }
}

function clone(r: KeyRecord): KeyRecord {
  return { ...r, tats: { ...r.tats } };
}
