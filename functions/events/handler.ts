import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { intakeFromEnv } from '../../shared/intake/environment.ts';
import { EventIntake, type EventIntakeDeps } from '../../shared/intake/event-intake.ts';
import type { EventOutcome } from '../../shared/intake/event-outcome.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { createMetrics } from '../../shared/observability/metrics.ts';
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
  const logger = deps.logger ?? createLogger('zcops-events');
  const metrics = deps.metrics ?? createMetrics('zcops-events');
  const intake = new EventIntake({ ...deps, logger });
  return instrumented<unknown, EventOutcome>(
    {
      logger,
      metrics,
      done: (result) => ({
        message: 'event handled',
        detail: { ...result },
        metric: `Events${result.outcome[0]!.toUpperCase()}${result.outcome.slice(1)}`,
        requestId: result.requestId,
      }),
      failed: { message: 'event failed; it will be retried', metric: 'EventsFailed' },
    },
    (event) => intake.take(event),
  );
}

/** The Lambda entry point; dependencies come from the environment, once per container. */
export const handler: EventsHandler = lambdaEntry(() => createHandler(intakeFromEnv(process.env)));
