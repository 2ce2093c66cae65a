import type { Handler } from './context.ts';

/** A route relative to its API's mount point, e.g. `GET /connector/:id`. */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  handler: Handler;
}

interface CompiledRoute extends RouteDef {
  regex: RegExp;
  names: string[];
}

export type RouteMatch =
  | { kind: 'found'; route: RouteDef; params: Record<string, string> }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' };

/**
 * A tiny first-match router. Declare literal segments before parameters
 * (`/connector/bulkDelete` before `/connector/:id`).
 *
 * @example
 * const r = new Router([{ method: 'GET', path: '/connector/:id', handler }]);
 * r.match('GET', '/connector/42'); // { kind: 'found', params: { id: '42' } }
 */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: RouteDef[]) {
    this.routes = routes.map((r) => {
      const names: string[] = [];
      const source = r.path
        .split('/')
        .map((seg) => {
          if (seg.startsWith(':')) {
            names.push(seg.slice(1));
            return '([^/]+)';
          }
          return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/');
      return { ...r, regex: new RegExp(`^${source}/?$`), names };
    });
  }

  match(method: string, path: string): RouteMatch {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method) continue;
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => {
        params[n] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { kind: 'found', route: r, params };
    }
    return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
  }
}
