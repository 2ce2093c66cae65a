/**
 * Paths as the Powertools router is given them. The router matches `new URL(…).pathname` and
 * percent-decodes parameters itself, so a raw API Gateway path would change on the way: dot
 * segments resolved (`/v1/x/../requests` would reach `/v1/requests`), `?` and `#` cutting the path,
 * `\` read as `/`, every trailing slash dropped, a malformed escape (`%E0%A4%A`) or a blank segment
 * thrown as the router's own 500/400. The webhook's answers to such paths predate the router and
 * stay as they were, so each segment is handed over as `~` + its percent-encoding: URL parsing
 * leaves that exactly as it is, an empty or dot segment is no longer special, and the router's decode
 * gives back the raw segment. Route templates get the same `~` on their literal segments.
 *
 * @example
 * routingTemplate('/v1/requests/{id}') // '/~/~v1/~requests/:id'
 * routingPath('/v1/requests/abc/')     // '/~/~v1/~requests/~abc'
 */
const MARK = '~';

/** A ROUTES path (`{name}` is one segment) as a Powertools route path. */
export function routingTemplate(template: string): `/${string}` {
  const segments = template
    .split('/')
    .map((s) => (s.startsWith('{') && s.endsWith('}') ? `:${s.slice(1, -1)}` : `${MARK}${s}`));
  return `/${segments.join('/')}`;
}

/** A request path (stage removed) as the router matches it; one trailing slash is ignored. */
export function routingPath(path: string): `/${string}` {
  const clean = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return `/${clean
    .split('/')
    .map((s) => `${MARK}${encodeURIComponent(s.toWellFormed())}`)
    .join('/')}`;
}

/**
 * A path parameter the router matched, as the route reads it: percent-decoded, or as sent when it
 * is not a valid escape (the route's own check then refuses it, naming the field).
 */
export function routeParam(matched: string): string {
  const raw = matched.startsWith(MARK) ? matched.slice(MARK.length) : matched;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
