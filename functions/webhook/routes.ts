/** The webhook's routes. */
export type Route =
  | { kind: 'submit' }
  | { kind: 'servicenow' }
  | { kind: 'jira' }
  | { kind: 'teardown' }
  | { kind: 'get'; id: string }
  | { kind: 'openapi' };

export type RouteMatch = { route: Route } | { status: 404 | 405; allow?: string; message: string };

// A Map, not an object literal: a path such as `toString` or `__proto__` must not find a prototype member.
const POSTS: ReadonlyMap<string, Route> = new Map([
  ['/v1/requests', { kind: 'submit' }],
  ['/v1/hooks/servicenow', { kind: 'servicenow' }],
  ['/v1/hooks/jira', { kind: 'jira' }],
  ['/v1/hooks/teardown', { kind: 'teardown' }],
]);

/** GETs of a fixed path (the request lookup `GET /v1/requests/{id}` is matched below). */
const GETS: ReadonlyMap<string, Route> = new Map([['/v1/openapi.json', { kind: 'openapi' }]]);

/** Every method and path the webhook serves, in OpenAPI's path syntax (checked against docs/openapi.json). */
export const ROUTE_TABLE: readonly { method: 'GET' | 'POST'; path: string }[] = [
  ...[...POSTS.keys()].map((path) => ({ method: 'POST' as const, path })),
  { method: 'GET', path: '/v1/requests/{id}' },
  ...[...GETS.keys()].map((path) => ({ method: 'GET' as const, path })),
];

/**
 * Matches method and path (stage prefix already removed). The request id of
 * `GET /v1/requests/{id}` is returned raw (percent-decoded); the caller validates it.
 *
 * @example
 * matchRoute('POST', '/v1/hooks/jira') // { route: { kind: 'jira' } }
 */
export function matchRoute(method: string, path: string): RouteMatch {
  const clean = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const post = POSTS.get(clean);
  if (post) {
    return method === 'POST'
      ? { route: post }
      : { status: 405, allow: 'POST', message: `${clean} accepts POST only` };
  }
  const fixedGet = GETS.get(clean);
  if (fixedGet) {
    return method === 'GET'
      ? { route: fixedGet }
      : { status: 405, allow: 'GET', message: `${clean} accepts GET only` };
  }
  const get = /^\/v1\/requests\/([^/]*)$/.exec(clean);
  if (get) {
    if (method !== 'GET') return { status: 405, allow: 'GET', message: '/v1/requests/{id} accepts GET only' };
    let id: string;
    try {
      id = decodeURIComponent(get[1] ?? '');
    } catch {
      id = get[1] ?? '';
    }
    return { route: { kind: 'get', id } };
  }
  return {
    status: 404,
    message:
      'no such route; use POST /v1/requests, POST /v1/hooks/{servicenow|jira|teardown}, GET /v1/requests/{id} or GET /v1/openapi.json',
  };
}
