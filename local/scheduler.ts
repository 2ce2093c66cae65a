import type { SnapshotSchedule } from '../infra/config.ts';
import { scheduledSnapshotEvent } from './aws-events.ts';
import { ScheduleExpressionError } from './errors.ts';
import { parseScheduleExpression } from './schedule-expression.ts';

export interface LocalSchedulerOptions {
  schedules: readonly SnapshotSchedule[];
  /** The events function's handler. */
  events: (event: unknown) => Promise<unknown>;
  /** Overrides every expression: fire each schedule every this many ms (`--schedule-every`). */
  everyMs?: number;
  /** Schedule name per tenant (the deployed stack's naming). */
  scheduleName?: (tenant: string) => string;
  log?: (line: string) => void;
  /** Told of each timed firing and what the events handler answered. */
  onFired?: (tenant: string, result: unknown) => void;
  now?: () => number;
}

/** One schedule as the scheduler runs it. */
export interface ScheduledEntry {
  tenant: string;
  expression: string;
  /** Epoch ms of the next firing. */
  nextAt: number;
}

/**
 * EventBridge Scheduler, emulated: each enabled snapshot schedule fires its "Scheduled Event" into
 * the events handler at its cron/rate times (in its time zone), or every `everyMs` when given.
 * Expressions the local parser cannot run are reported and skipped, never guessed.
 *
 * @example
 * const scheduler = new LocalScheduler({ schedules: config.snapshotSchedules, events, everyMs: 5_000 });
 * scheduler.start();
 * await scheduler.stop();
 */
export class LocalScheduler {
  readonly #o: LocalSchedulerOptions;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #entries = new Map<string, ScheduledEntry & { next(after: number): number }>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #stopped = true;
  /** Events fired so far. */
  fired = 0;

  constructor(options: LocalSchedulerOptions) {
    this.#o = options;
  }

  /** The schedules that will fire, with their next time. */
  entries(): ScheduledEntry[] {
    return [...this.#entries.values()].map(({ tenant, expression, nextAt }) => ({
      tenant,
      expression,
      nextAt,
    }));
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const now = (this.#o.now ?? Date.now)();
    for (const s of this.#o.schedules) {
      if (!s.enabled) continue;
      let next: (after: number) => number;
      let expression = s.expression;
      if (this.#o.everyMs !== undefined) {
        const every = this.#o.everyMs;
        next = (after) => after + every;
        expression = `every ${every} ms (--schedule-every)`;
      } else {
        try {
          next = parseScheduleExpression(s.expression, s.timezone).next;
        } catch (err) {
          if (!(err instanceof ScheduleExpressionError)) throw err;
          this.#o.log?.(`schedule of ${s.tenant} skipped: ${err.message}`);
          continue;
        }
      }
      const entry = { tenant: s.tenant, expression, nextAt: next(now), next, source: s.source };
      this.#entries.set(s.tenant, entry);
      this.#arm(s.tenant, s.source);
    }
  }

  /** Fires a tenant's schedule now (as `aws scheduler` cannot, but operators want). */
  async fire(tenant: string, source?: string): Promise<unknown> {
    const event = scheduledSnapshotEvent({
      tenant,
      scheduleName: this.#o.scheduleName?.(tenant) ?? `zcops-snapshot-${tenant}`,
      ...(source ? { source } : {}),
    });
    this.fired++;
    const p = this.#o.events(event);
    this.#inFlight.add(p);
    try {
      return await p;
    } finally {
      this.#inFlight.delete(p);
    }
  }

  /** Stops the timers and waits for events being delivered. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    await Promise.allSettled([...this.#inFlight]);
  }

  #arm(tenant: string, source: string | undefined): void {
    const entry = this.#entries.get(tenant);
    if (!entry || this.#stopped) return;
    // setTimeout caps at ~24.8 days; re-arm in steps for far schedules.
    const delay = Math.min(2 ** 31 - 1, Math.max(0, entry.nextAt - (this.#o.now ?? Date.now)()));
    const timer = setTimeout(() => {
      if (this.#stopped) return;
      const now = (this.#o.now ?? Date.now)();
      if (now + 5 < entry.nextAt) return this.#arm(tenant, source);
      entry.nextAt = entry.next(now);
      this.#arm(tenant, source);
      this.#o.log?.(`schedule fired: inventory.snapshot of ${tenant}`);
      this.fire(tenant, source)
        .then((result) => this.#o.onFired?.(tenant, result))
        .catch((err: unknown) => {
          this.#o.log?.(`schedule of ${tenant}: the events handler failed (${(err as Error).message})`);
        });
    }, delay);
    timer.unref();
    this.#timers.set(tenant, timer);
  }
}
