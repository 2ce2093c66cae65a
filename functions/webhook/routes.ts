/** The webhook's routes. */
export type Route =
  | { kind: 'submit' }
  | { kind: 'servicenow' }
  | { kind: 'jira' }
  | { kind: 'teardown' }
  | { kind: 'get'; id: string }
  | { kind: 'openapi' };

/** One route the webhook serves, in API Gateway's route-key form (`{name}` is one path segment). */
export interface RouteDefinition {
  method: 'GET' | 'POST';
  path: string;
  /** The route for the path's parameters (raw, percent-decoded). */
  route: (params: Readonly<Record<string, string>>) => Route;
}

/**
 * The one route table: the webhook's router (webhook-api.ts) serves exactly these routes and the
 * HTTP API construct (infra/constructs/api.ts) deploys exactly these route keys, so a route served
 * is a route deployed.
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
