import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { WebhookIntake, type WebhookIntakeDeps } from '../../shared/intake/webhook-intake.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { SERVICE_NAMES, webhookMetricName } from '../../shared/observability/metric-names.ts';
import { createMetrics } from '../../shared/observability/metrics.ts';
import { intakeFromEnv } from '../../shared/wiring/intake-deps.ts';
import { instrumented, type LambdaHandler, lambdaEntry } from '../bootstrap.ts';
import type { HttpAnswer } from './http.ts';
import { type ApiOutcome, WebhookApi } from './webhook-api.ts';

/** What the webhook function runs on; tests and the local stack inject their own. */
export interface WebhookDeps extends WebhookIntakeDeps {
  logger?: Logger;
  metrics?: Metrics;
}

export type WebhookHandler = LambdaHandler<APIGatewayProxyEventV2, HttpAnswer>;

/**
 * The webhook function: the routes of `ROUTES` (routes.ts) answered by `WebhookApi` on the intake
 * service (`WebhookIntake`); one log line and one metric per answer. Answers: 202, 200, 400, 401,
 * 403, 404, 405, 409, 413, 415, 503 (nothing was accepted); bad input never gets a 5xx.
 *
 * @example
 * const handler = createHandler({ config, secrets, store, audit, queue, clock: systemClock });
 * const answer = await handler(apiGatewayV2Event);
 */
export function createHandler(deps: WebhookDeps): WebhookHandler {
  const logger = deps.logger ?? createLogger(SERVICE_NAMES.webhook);
  const metrics = deps.metrics ?? createMetrics(SERVICE_NAMES.webhook);
  const api = new WebhookApi(new WebhookIntake({ ...deps, logger }), {
    maxBodyBytes: deps.config.intake.maxBodyBytes,
    logger,
  });
  const handle = instrumented<APIGatewayProxyEventV2, ApiOutcome>(
    {
      logger,
      metrics,
      apiRequestId: (event) => event?.requestContext?.requestId,
      done: ({ answer, route, requestId }) => ({
        message: 'answered',
        detail: { route, status: answer.statusCode, requestId },
        metric: webhookMetricName(answer.statusCode),
        requestId,
      }),
    },
    (event, context) => api.answer(event, context),
  );
  return async (event, context) => (await handle(event, context)).answer;
}

/** The Lambda entry point; dependencies come from the environment, once per container. */
export const handler: WebhookHandler = lambdaEntry(() => createHandler(intakeFromEnv(process.env)));
