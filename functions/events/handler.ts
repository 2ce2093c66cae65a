import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { EventIntake, type EventIntakeDeps } from '../../shared/intake/event-intake.ts';
import type { EventOutcome } from '../../shared/intake/event-outcome.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import {
  EVENTS_METRIC_NAMES,
  eventsMetricName,
  SERVICE_NAMES,
} from '../../shared/observability/metric-names.ts';
import { createMetrics } from '../../shared/observability/metrics.ts';
import { intakeFromEnv } from '../../shared/wiring/intake-deps.ts';
import { instrumented, type LambdaHandler, lambdaEntry } from '../bootstrap.ts';

/** What the events function runs on; tests and the local stack inject their own. */
export interface EventsDeps extends EventIntakeDeps {
  logger?: Logger;
  metrics?: Metrics;
}

export type EventsHandler = LambdaHandler<unknown, EventOutcome>;

/**
 * The events function (EventBridge and Scheduler targets): each event through the intake service
 * (`EventIntake`: terminate lifecycle actions, schedules), one log line and one metric per outcome
 * (`EventsAccepted`, `EventsDuplicate`, `EventsRejected`, `EventsIgnored`). Infrastructure failures
 * throw (`EventsFailed`), so Lambda's asynchronous retries deliver the event again.
 *
 * @example
 * const handler = createHandler({ config, store, audit, queue, clock: systemClock, completer });
 * await handler(eventBridgeEvent); // { outcome: 'accepted', requestId, state: 'QUEUED' }
 */
export function createHandler(deps: EventsDeps): EventsHandler {
  const logger = deps.logger ?? createLogger(SERVICE_NAMES.events);
  const metrics = deps.metrics ?? createMetrics(SERVICE_NAMES.events);
  const intake = new EventIntake({ ...deps, logger });
  return instrumented<unknown, EventOutcome>(
    {
      logger,
      metrics,
      done: (result) => ({
        message: 'event handled',
        detail: { ...result },
        metric: eventsMetricName(result.outcome),
        requestId: result.requestId,
      }),
      failed: { message: 'event failed; it will be retried', metric: EVENTS_METRIC_NAMES.failed },
    },
    (event) => intake.take(event),
  );
}

/** The Lambda entry point; dependencies come from the environment, once per container. */
export const handler: EventsHandler = lambdaEntry(() => createHandler(intakeFromEnv(process.env)));
