import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Route } from './routes.ts';
import { routingPath } from './routing-path.ts';

/**
 * One HTTP call as the webhook reads it from an API Gateway v2 event: lower-case headers, the body
 * as the bytes that were sent (a signature covers those, so a base64 body is decoded here, never
 * re-encoded as text), and the event the Powertools router routes: method and `routingPath` only.
 * Headers and body never reach the router: its web `Request` throws on header names or values HTTP
 * does not allow (the webhook answers such calls like any other, never 500) and turns a base64 body
 * into UTF-8 text.
 * `target` is the matched route; `route` (its kind) and `requestId` are filled in while answering,
 * for the invocation's log line.
 */
export interface ApiCall {
  headers: Record<string, string | undefined>;
  /** `undefined` when the body is too large to even decode. */
  body: Buffer | undefined;
  routing: APIGatewayProxyEventV2;
  target?: Route;
  route: string;
  requestId?: string | undefined;
}

const calls = new WeakMap<object, ApiCall>();

/**
 * The call an API Gateway v2 event carries; `undefined` for anything else (the function answers
 * 400). The stage prefix of a named stage is removed from the path.
 *
 * @example
 * const call = apiCallOf(event);
 * const answer = call && (await router.resolve(call.routing, context));
 */
export function apiCallOf(event: APIGatewayProxyEventV2 | undefined): ApiCall | undefined {
  const http = event?.requestContext?.http;
  if (!event || !http || typeof http.method !== 'string' || typeof event.rawPath !== 'string')
    return undefined;
  const routing: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: '$default',
    rawPath: routingPath(stripStage(event.rawPath, event.requestContext.stage)),
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: {
      ...event.requestContext,
      domainName: 'webhook.invalid',
      http: { ...http, method: http.method.toUpperCase() },
    },
  };
  const call: ApiCall = {
    headers: lowerCase(event.headers),
    body: decodeBody(event),
    routing,
    route: 'unknown',
  };
  calls.set(routing, call);
  return call;
}

/** The call behind the event the router hands a route, middleware or error handler. */
export function callOf(routing: object): ApiCall {
  const call = calls.get(routing);
  if (!call) throw new TypeError('the router was given an event apiCallOf did not make');
  return call;
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
