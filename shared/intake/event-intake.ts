import { type Accept, acceptance } from './acceptance.ts';
import type { EventOutcome } from './event-outcome.ts';
import { TERMINATE_LIFECYCLE_DETAIL_TYPE } from './lifecycle-event.ts';
import { type LifecycleIntakeDeps, takeLifecycleEvent } from './lifecycle-intake.ts';
import { takeScheduleEvent } from './schedule-intake.ts';

/** What AWS-event intake runs on: acceptance's dependencies and the lifecycle completer. */
export type EventIntakeDeps = LifecycleIntakeDeps;

/**
 * Intake of AWS events, one call per event: terminate lifecycle actions of Auto Scaling become
 * teardown requests (`takeLifecycleEvent`, where an instance is never left waiting), schedule
 * events become inventory snapshots (`takeScheduleEvent`); anything else is ignored. Bad input is
 * an outcome (`rejected`, with its reason), never a throw; only infrastructure failures throw.
 *
 * @example
 * const intake = new EventIntake({ config, store, audit, queue, clock, completer });
 * await intake.take(eventBridgeEvent); // { outcome: 'accepted', requestId, state: 'QUEUED' }
 */
export class EventIntake {
  readonly #deps: EventIntakeDeps;
  readonly #accept: Accept;

  constructor(deps: EventIntakeDeps) {
    this.#deps = deps;
    this.#accept = acceptance(deps);
  }

  async take(event: unknown): Promise<EventOutcome> {
    const e = (event && typeof event === 'object' ? event : {}) as Record<string, unknown>;
    if (e['detail-type'] === TERMINATE_LIFECYCLE_DETAIL_TYPE && e.source === 'aws.autoscaling') {
      return takeLifecycleEvent(this.#deps, this.#accept, e.detail, e.id);
    }
    if (e['detail-type'] === 'Scheduled Event') return takeScheduleEvent(this.#deps, this.#accept, e);
    return {
      outcome: 'ignored',
      reason: `unsupported event (${String(e['detail-type'] ?? 'no detail-type')})`,
    };
  }
}
