import { HttpVerbs, isHttpMethod, Router } from '@aws-lambda-powertools/event-handler/http';
import type { Middleware } from '@aws-lambda-powertools/event-handler/types';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { WebhookIntake } from '../../shared/intake/webhook-intake.ts';
import { type ApiCall, apiCallOf, callOf } from './api-call.ts';
import { answerErrors } from './error-answers.ts';
import { failure, type HttpAnswer, json } from './http.ts';
import { openApiDocument } from './openapi.ts';
import { ROUTES, type RouteDefinition, routeKey } from './routes.ts';
import { routeParam, routingTemplate } from './routing-path.ts';

/** An answered call: the answer, and the route and request it concerned (for the log line). */
export interface ApiOutcome {
  answer: HttpAnswer;
  route: string;
  requestId?: string | undefined;
}

/** The intake calls the API makes (the service, or a test's recording double). */
export type IntakeCalls = Pick<WebhookIntake, 'receive' | 'lookUp'>;

export interface WebhookApiOptions {
  /** Bodies above this many bytes are refused (413) before anything reads them. */
  maxBodyBytes: number;
  logger: Logger;
}

/**
 * The webhook's HTTP API on Powertools' router: the routes of `ROUTES`, each turned into one call
 * of the intake service and its result (or typed error, `answerErrors`) into the answer. A path
 * that exists answers 405 with `Allow` for the methods it does not serve, any other path 404; a
 * body over the size cap 413 and a non-JSON content type on a POST 415, both before authentication.
 *
 * @example
 * const api = new WebhookApi(new WebhookIntake(deps), { maxBodyBytes: 65536, logger });
 * const { answer } = await api.answer(apiGatewayV2Event, context);
 */
export class WebhookApi {
  readonly #router: Router;
  readonly #logger: Logger;

  constructor(intake: IntakeCalls, options: WebhookApiOptions) {
    this.#logger = options.logger;
    const router = new Router({ logger: options.logger });
    for (const [path, served] of Map.groupBy(ROUTES, (r) => r.path)) {
      const allow = served.map((r) => r.method).join(', ');
      const notAllowed = `${path} accepts ${allow.replace(', ', ' or ')} only`;
      for (const method of Object.values(HttpVerbs)) {
        const def = served.find((r) => r.method === method);
        const at = { method, path: routingTemplate(path) };
        if (!def) {
          router.route(
            async () => failure(405, 'method-not-allowed', notAllowed, { headers: { allow } }),
            at,
          );
          continue;
        }
        const checks = [readRoute(def, options.maxBodyBytes), ...(method === 'POST' ? [jsonOnly] : [])];
        router.route(async (reqCtx) => answerRoute(intake, callOf(reqCtx.event)), {
          ...at,
          middleware: checks,
        });
      }
    }
    router.notFound(async () =>
      failure(404, 'not-found', `no such route; use ${ROUTES.map(routeKey).join(', ')}`),
    );
    answerErrors(router, options.logger);
    this.#router = router;
  }

  /**
   * Answers one API Gateway v2 event; anything else 400 `invalid-event` (Powertools would throw).
   * A method outside HTTP's verbs is routed as one no route serves, so it gets the 405 or 404 it
   * always got (Powertools would answer it 405 with an empty body).
   */
  async answer(event: APIGatewayProxyEventV2, context: Context | undefined): Promise<ApiOutcome> {
    const call = apiCallOf(event);
    if (!call) {
      return { answer: failure(400, 'invalid-event', 'not an API Gateway v2 HTTP event'), route: 'unknown' };
    }
    const http = call.routing.requestContext.http;
    if (!isHttpMethod(http.method)) http.method = UNSERVED;
    try {
      const answer = (await this.#router.resolve(call.routing, context ?? ({} as Context))) as HttpAnswer;
      return { answer, route: call.route, requestId: call.requestId };
    } catch (err) {
      // Only a bug lands here: every expected failure has its own answer.
      this.#logger.error('unexpected failure', { error: err });
      return { answer: failure(500, 'internal', 'internal error'), route: call.route };
    }
  }
}

/** The method no route declares: a method outside HTTP's verbs is routed as it. */
const UNSERVED = Object.values(HttpVerbs).find((v) => !ROUTES.some((r) => r.method === v)) ?? 'PATCH';

/** Reads the matched route into the call; refuses a body over the cap (the API description takes none). */
function readRoute(def: RouteDefinition, maxBodyBytes: number): Middleware {
  return async ({ reqCtx, next }) => {
    const call = callOf(reqCtx.event);
    const params: Record<string, string> = Object.create(null);
    for (const [k, v] of Object.entries(reqCtx.params)) params[k] = routeParam(v);
    call.target = def.route(params);
    call.route = call.target.kind;
    if (call.target.kind !== 'openapi' && (call.body === undefined || call.body.length > maxBodyBytes)) {
      return failure(413, 'too-large', `the body exceeds ${maxBodyBytes} bytes`);
    }
    await next();
  };
}

/** A POST body is JSON: no content type (taken as JSON), `application/json` or `application/…+json`. */
const jsonOnly: Middleware = async ({ reqCtx, next }) => {
  const type = callOf(reqCtx.event).headers['content-type'];
  if (type !== undefined && !/^application\/([a-z0-9.+-]*\+)?json\s*(;.*)?$/i.test(type.trim())) {
    return failure(415, 'unsupported-media-type', 'send the body as application/json');
  }
  await next();
};

/** One call of the intake service for the route, its result as the answer. */
async function answerRoute(intake: IntakeCalls, call: ApiCall): Promise<HttpAnswer> {
  const route = call.target;
  if (!route) throw new TypeError('a route was answered without readRoute');
  const request = { headers: call.headers, body: call.body ?? Buffer.alloc(0) };
  switch (route.kind) {
    // The API's description is public: it holds no secret and integrators read it before they have one.
    case 'openapi':
      return json(200, openApiDocument(), { 'cache-control': 'public, max-age=300' });
    case 'get': {
      const view = await intake.lookUp(route.id, request);
      call.requestId = view.requestId;
      return json(200, view);
    }
    default: {
      const result = await intake.receive(route.kind, request);
      call.requestId = result.requestId;
      const duplicate = result.outcome === 'duplicate';
      return json(duplicate ? 200 : 202, {
        requestId: result.requestId,
        state: result.state,
        ...(duplicate ? { duplicate: true } : {}),
      });
    }
  }
}
