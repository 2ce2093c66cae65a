import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { AuditLog } from '../../shared/audit/audit-log.ts';
import type { IntakeConfig, SourcePolicy } from '../../shared/config/sources.ts';
import type { Clock } from '../../shared/core/clock.ts';
import { identifyCaller } from '../../shared/intake/caller-identification.ts';
import { AuthenticationError } from '../../shared/intake/errors.ts';
import { mapItsmBody } from '../../shared/intake/itsm-mapping.ts';
import { mapTeardownHook } from '../../shared/intake/teardown-hook.ts';
import { beginInvocation, createLogger, withCorrelationId } from '../../shared/observability/logger.ts';
import { SERVICE_NAMES, webhookMetricName } from '../../shared/observability/metric-names.ts';
import { createMetrics, MetricUnit } from '../../shared/observability/metrics.ts';
import {
  IdempotencyConflictError,
  IntakeUnavailableError,
  PolicyDeniedError,
  RequestError,
  RequestValidationError,
  SubmissionInProgressError,
} from '../../shared/requests/errors.ts';
import type { Issue } from '../../shared/requests/issues.ts';
import type { JobQueue } from '../../shared/requests/job-queue.ts';
import { REQUEST_ID_PATTERN } from '../../shared/requests/keys.ts';
import type { RequestStore } from '../../shared/requests/request-store.ts';
import { requestView } from '../../shared/requests/request-view.ts';
import { submit } from '../../shared/requests/submit.ts';
import { SecretError } from '../../shared/secrets/errors.ts';
import type { SecretSource } from '../../shared/secrets/secret-source.ts';
import { intakeFromEnv } from '../../shared/wiring/intake-deps.ts';
import { failure, type HttpAnswer, json } from './http.ts';
import { openApiDocument } from './openapi.ts';
import { matchRoute, type Route } from './routes.ts';

/** What the webhook function runs on; tests and the local stack inject their own. */
export interface WebhookDeps {
  config: IntakeConfig;
  secrets: SecretSource;
  store: RequestStore;
  audit: AuditLog;
  queue: JobQueue;
  clock: Clock;
  logger?: Logger;
  metrics?: Metrics;
  newId?: () => string;
}

export type WebhookHandler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<HttpAnswer>;

/**
 * The webhook function: `POST /v1/requests`, `POST /v1/hooks/servicenow`, `POST /v1/hooks/jira`,
 * `POST /v1/hooks/teardown` (generic scale-in hook of other clouds), `GET /v1/requests/{id}`, and
 * `GET /v1/openapi.json` (the API's OpenAPI document, no authentication). A caller is identified
 * by its credential (`identifyCaller`); `X-Zcops-Source` is an optional hint.
 * Answers: 202 accepted, 200 duplicate (the original request), 400 with every issue, 401, 403,
 * 404, 405, 409, 413, 415, 503 (a dependency failed; nothing was accepted). Bad input never gets a 5xx.
 *
 * @example
 * const handler = createHandler({ config, secrets, store, audit, queue, clock: systemClock });
 * const answer = await handler(apiGatewayV2Event);
 */
export function createHandler(deps: WebhookDeps): WebhookHandler {
  const logger = deps.logger ?? createLogger('zcops-webhook');
  const metrics = deps.metrics ?? createMetrics(SERVICE_NAMES.webhook);
  const tenants = new Set(deps.config.tenants.map((t) => t.name));
  const submitDeps = {
    store: deps.store,
    audit: deps.audit,
    queue: deps.queue,
    clock: deps.clock,
    tenants,
    logger,
    ...(deps.newId ? { newId: deps.newId } : {}),
    inProgressLeaseMs: deps.config.intake.inProgressLeaseSeconds * 1000,
    keyRetentionSeconds: deps.config.intake.keyRetentionDays * 86400,
  };

  return async function handler(event, context) {
    beginInvocation(logger, context, { api_request_id: event?.requestContext?.requestId });
    let answer: HttpAnswer;
    let requestId: string | undefined;
    let routeName = 'unknown';
    try {
      const outcome = await handle(event);
      answer = outcome.answer;
      requestId = outcome.requestId;
      routeName = outcome.route;
    } catch (err) {
      // Only a bug lands here: every expected failure has its own answer.
      logger.error('unexpected failure', { error: err });
      answer = failure(500, 'internal', 'internal error');
    }
    withCorrelationId(logger, requestId);
    logger.info('answered', { route: routeName, status: answer.statusCode, requestId });
    metrics.addMetric(webhookMetricName(answer.statusCode), MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    return answer;
  };

  async function handle(
    event: APIGatewayProxyEventV2,
  ): Promise<{ answer: HttpAnswer; requestId?: string; route: string }> {
    const http = event?.requestContext?.http;
    if (!http || typeof http.method !== 'string' || typeof event.rawPath !== 'string') {
      return { answer: failure(400, 'invalid-event', 'not an API Gateway v2 HTTP event'), route: 'unknown' };
    }
    const match = matchRoute(
      http.method.toUpperCase(),
      stripStage(event.rawPath, event.requestContext.stage),
    );
    if ('status' in match) {
      const code = match.status === 404 ? 'not-found' : 'method-not-allowed';
      return {
        answer: failure(
          match.status,
          code,
          match.message,
          match.allow ? { headers: { allow: match.allow } } : {},
        ),
        route: 'unknown',
      };
    }
    const { route } = match;
    // The API's description is public: it holds no secret and integrators read it before they have one.
    if (route.kind === 'openapi') {
      return {
        answer: json(200, openApiDocument(), { 'cache-control': 'public, max-age=300' }),
        route: route.kind,
      };
    }
    const headers = lowerCase(event.headers);
    const body = decodeBody(event);
    if (body === undefined || body.length > deps.config.intake.maxBodyBytes) {
      return {
        answer: failure(413, 'too-large', `the body exceeds ${deps.config.intake.maxBodyBytes} bytes`),
        route: route.kind,
      };
    }
    if (route.kind !== 'get') {
      const type = headers['content-type'];
      if (type !== undefined && !/^application\/([a-z0-9.+-]*\+)?json\s*(;.*)?$/i.test(type.trim())) {
        return {
          answer: failure(415, 'unsupported-media-type', 'send the body as application/json'),
          route: route.kind,
        };
      }
    }

    // Who is calling, and can they prove it? The credential names the source.
    let policy: SourcePolicy;
    try {
      ({ policy } = await identifyCaller({
        config: deps.config,
        secrets: deps.secrets,
        headers,
        body,
        nowMs: deps.clock.now(),
        bodySignature: route.kind === 'jira',
        fits: fitsRoute(route),
      }));
    } catch (err) {
      if (err instanceof AuthenticationError) {
        return { answer: failure(401, 'unauthenticated', err.message), route: route.kind };
      }
      if (err instanceof SecretError) {
        logger.error('source credentials unavailable', { secret: err.secretName, error: err });
        return {
          answer: failure(503, 'unavailable', 'the source credentials could not be loaded; retry later', {
            headers: { 'retry-after': '30' },
          }),
          route: route.kind,
        };
      }
      throw err;
    }
    const denied = routeDenied(route, policy);
    if (denied) return { answer: failure(403, 'forbidden', denied), route: route.kind };

    if (route.kind === 'get') return { ...(await getRequest(route.id, policy)), route: route.kind };

    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (err) {
      const issue: Issue = {
        path: '(root)',
        message: `the body is not valid JSON (${(err as Error).message.slice(0, 120)})`,
      };
      return {
        answer: failure(400, 'invalid-json', 'the body is not valid JSON', { issues: [issue] }),
        route: route.kind,
      };
    }

    // Jira Cloud names each delivery; its retries carry the same identifier.
    const deliveryId = route.kind === 'jira' ? headers[JIRA_DELIVERY_HEADER] : undefined;
    if (deliveryId !== undefined && !/^[\x21-\x7e]{1,200}$/.test(deliveryId)) {
      const issue: Issue = {
        path: JIRA_DELIVERY_HEADER,
        message: `${JIRA_DELIVERY_HEADER} must be 1 to 200 printable ASCII characters`,
      };
      return {
        answer: failure(400, 'invalid-request', 'the request is invalid', { issues: [issue] }),
        route: route.kind,
      };
    }

    let draft: unknown = parsed;
    let issues: Issue[] | undefined;
    let origins: Record<string, string> | undefined;
    if (route.kind === 'servicenow' || route.kind === 'jira') {
      const mapped = mapItsmBody(parsed, policy.itsm!);
      draft = mapped.draft;
      issues = mapped.issues;
      origins = mapped.origins;
    } else if (route.kind === 'teardown') {
      const mapped = mapTeardownHook(parsed);
      draft = mapped.draft;
      issues = mapped.issues;
    }

    try {
      const result = await submit(draft, { policy }, submitDeps, {
        ...(issues ? { issues } : {}),
        ...(origins ? { origins } : {}),
        ...(deliveryId ? { deliveryId } : {}),
        received: { route: route.kind, bytes: body.length, ...(deliveryId ? { deliveryId } : {}) },
      });
      const status = result.outcome === 'accepted' ? 202 : 200;
      return {
        answer: json(status, {
          requestId: result.requestId,
          state: result.state,
          ...(result.outcome === 'duplicate' ? { duplicate: true } : {}),
        }),
        requestId: result.requestId,
        route: route.kind,
      };
    } catch (err) {
      return {
        answer: errorAnswer(err),
        requestId: err instanceof RequestError ? err.requestId : undefined,
        route: route.kind,
      };
    }
  }

  function errorAnswer(err: unknown): HttpAnswer {
    if (err instanceof RequestValidationError) {
      return failure(400, 'invalid-request', 'the request is invalid', {
        issues: err.issues,
        requestId: err.requestId,
      });
    }
    if (err instanceof PolicyDeniedError) {
      return failure(403, 'forbidden', err.message, { rule: err.rule, requestId: err.requestId });
    }
    if (err instanceof IdempotencyConflictError) {
      return failure(409, 'idempotency-conflict', err.message, { originalRequestId: err.originalRequestId });
    }
    if (err instanceof SubmissionInProgressError) {
      return failure(409, 'in-progress', err.message, {
        originalRequestId: err.originalRequestId,
        headers: { 'retry-after': String(err.retryAfterSeconds) },
      });
    }
    if (err instanceof IntakeUnavailableError) {
      logger.error('intake unavailable', { error: err, cause: err.cause });
      return failure(503, 'unavailable', err.message, {
        requestId: err.requestId,
        headers: { 'retry-after': '5' },
      });
    }
    throw err;
  }

  async function getRequest(
    rawId: string,
    policy: SourcePolicy,
  ): Promise<{ answer: HttpAnswer; requestId?: string }> {
    const id = rawId.toLowerCase();
    if (!REQUEST_ID_PATTERN.test(id)) {
      return {
        answer: failure(400, 'invalid-id', 'the request id is not valid', {
          issues: [
            { path: 'id', message: 'a request id is a UUID such as 0b7d3c1e-5f7a-4d2b-9c1e-2a3b4c5d6e7f' },
          ],
        }),
      };
    }
    let record: Awaited<ReturnType<RequestStore['get']>>;
    let trail: Awaited<ReturnType<AuditLog['byRequest']>>;
    try {
      record = await deps.store.get(id);
      trail = record ? await deps.audit.byRequest(id) : [];
    } catch (err) {
      logger.error('request lookup failed', { error: err });
      return {
        answer: failure(503, 'unavailable', 'the requests table is unavailable; retry', {
          headers: { 'retry-after': '5' },
        }),
      };
    }
    // A source sees only requests of tenants it may act on; others are answered as unknown.
    if (!record || (!policy.allowedTenants.includes('*') && !policy.allowedTenants.includes(record.tenant))) {
      return { answer: failure(404, 'not-found', `request ${id} not found`) };
    }
    return {
      requestId: id,
      answer: json(200, {
        ...requestView(record),
        audit: trail.map((e) => ({
          at: e.at,
          type: e.type,
          ...(e.resource ? { resource: e.resource } : {}),
          ...(e.detail ? { detail: e.detail } : {}),
        })),
      }),
    };
  }
}

/**
 * Sources that suit a route: when no source matches the credential, the refusal of the only one
 * that suits is the one reported.
 */
function fitsRoute(route: Route): (s: SourcePolicy) => boolean {
  switch (route.kind) {
    case 'servicenow':
    case 'jira':
      return (s) => s.itsm?.system === route.kind;
    case 'teardown':
      return (s) => s.kind === 'autoscaling';
    case 'submit':
      return (s) => s.kind === 'api' || s.kind === 'cli';
    case 'get':
    case 'openapi':
      return () => true;
  }
}

/** Header naming a Jira Cloud webhook delivery (the same on Jira's retries of it). */
export const JIRA_DELIVERY_HEADER = 'x-atlassian-webhook-identifier';

/** A reason the authenticated source may not use this route, if any. */
function routeDenied(route: Route, policy: SourcePolicy): string | undefined {
  if ((route.kind === 'servicenow' || route.kind === 'jira') && policy.itsm?.system !== route.kind) {
    return `source ${policy.name} is not configured for ${route.kind} hooks`;
  }
  if (route.kind === 'teardown' && policy.kind !== 'autoscaling') {
    return `source ${policy.name} is not an autoscaling source`;
  }
  return undefined;
}

function stripStage(path: string, stage: string | undefined): string {
  if (stage && stage !== '$default' && path.startsWith(`/${stage}/`)) return path.slice(stage.length + 1);
  return path;
}

function lowerCase(
  headers: APIGatewayProxyEventV2['headers'] | undefined,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = Object.create(null);
  if (!headers || typeof headers !== 'object') return out;
  for (const [k, v] of Object.entries(headers)) {
    if (typeof v === 'string') out[k.toLowerCase()] = v;
  }
  return out;
}

/** The body as bytes; `undefined` when it is too large to even decode. */
function decodeBody(event: APIGatewayProxyEventV2): Buffer | undefined {
  const raw = typeof event.body === 'string' ? event.body : '';
  if (raw.length > 8 * 1024 * 1024) return undefined;
  return event.isBase64Encoded === true ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
}

/**
 * Built once per container. In Lambda (AWS_LAMBDA_FUNCTION_NAME is set) it is built at init, so a
 * configuration mistake fails the cold start with the field named, not the first request.
 */
let lazy: WebhookHandler | undefined = process.env.AWS_LAMBDA_FUNCTION_NAME
  ? createHandler(intakeFromEnv(process.env))
  : undefined;

/** The Lambda entry point; dependencies come from the environment on first use. */
export const handler: WebhookHandler = (event, context) => {
  if (!lazy) lazy = createHandler(intakeFromEnv(process.env));
  return lazy(event, context);
};
