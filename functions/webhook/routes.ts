/** The webhook's routes. */
export type Route =
  | { kind: 'submit' }
  | { kind: 'servicenow' }
  | { kind: 'jira' }
  | { kind: 'teardown' }
  | { kind: 'get'; id: string }
  | { kind: 'openapi' };

export type RouteMatch = { route: Route } | { status: 404 | 405; allow?: string; message: string };

/** One route the webhook serves, in API Gateway's route-key form (`{name}` is one path segment). */
export interface RouteDefinition {
  method: 'GET' | 'POST';
  path: string;
  /** The route for the path's parameters (raw, percent-decoded). */
  route: (params: Readonly<Record<string, string>>) => Route;
}

/**
 * The one route table: the handler matches requests against it and the HTTP API construct
 * (infra/constructs/api.ts) deploys exactly these route keys, so a route served is a route deployed.
 */
export const ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', path: '/v1/requests', route: () => ({ kind: 'submit' }) },
  { method: 'GET', path: '/v1/requests/{id}', route: (p) => ({ kind: 'get', id: p.id ?? '' }) },
  { method: 'POST', path: '/v1/hooks/servicenow', route: () => ({ kind: 'servicenow' }) },
  { method: 'POST', path: '/v1/hooks/jira', route: () => ({ kind: 'jira' }) },
  { method: 'POST', path: '/v1/hooks/teardown', route: () => ({ kind: 'teardown' }) },
  { method: 'GET', path: '/v1/openapi.json', route: () => ({ kind: 'openapi' }) },
];

/** Every method and path the webhook serves, in OpenAPI's path syntax (checked against docs/openapi.json). */
export const ROUTE_TABLE: readonly { method: 'GET' | 'POST'; path: string }[] = ROUTES.map(
  ({ method, path }) => ({
    method,
    path,
  }),
);

/** `GET /v1/requests/{id}`: the route key API Gateway uses. */
export const routeKey = (r: Pick<RouteDefinition, 'method' | 'path'>): string => `${r.method} ${r.path}`;

interface CompiledRoute {
  def: RouteDefinition;
  segments: readonly string[];
}

const COMPILED: readonly CompiledRoute[] = ROUTES.map((def) => ({ def, segments: def.path.split('/') }));

/**
 * The parameters when `segments` (a path split on `/`) fits `pattern`; parameters live in a
 * null-prototype object so a segment such as `__proto__` stays data.
 */
function paramsOf(
  pattern: readonly string[],
  segments: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = Object.create(null);
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i] as string;
    const got = segments[i] as string;
    if (want.startsWith('{') && want.endsWith('}')) params[want.slice(1, -1)] = decode(got);
    else if (want !== got) return undefined;
  }
  return params;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Matches method and path (stage prefix already removed) against `ROUTES`. The request id of
 * `GET /v1/requests/{id}` is returned raw (percent-decoded); the caller validates it.
 *
 * @example
 * matchRoute('POST', '/v1/hooks/jira') // { route: { kind: 'jira' } }
 */
export function matchRoute(method: string, path: string): RouteMatch {
  const clean = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const segments = clean.split('/');
  const allowed: string[] = [];
  let template = '';
  for (const { def, segments: pattern } of COMPILED) {
    const params = paramsOf(pattern, segments);
    if (!params) continue;
    if (def.method === method) return { route: def.route(params) };
    allowed.push(def.method);
    template ||= def.path;
  }
  if (allowed.length > 0) {
    const allow = [...new Set(allowed)].join(', ');
    const shown = template.includes('{') ? template : clean;
    return { status: 405, allow, message: `${shown} accepts ${allow.replace(', ', ' or ')} only` };
  }
  return {
    status: 404,
    message: `no such route; use ${ROUTES.map(routeKey).join(', ')}`,
  };
}
