import type { HandlerResult, RequestContext } from '../context.ts';
import type { RouteDef } from '../router.ts';
import type { CloudConnectorGroupRecord } from '../state/model.ts';
import { parseZpaPaging, zpaPage } from './paging.ts';
import type { FieldReader } from './search.ts';
import { matchesAll, parseSearch } from './search.ts';
import { microtenantParam, notFound, zpaId } from './validation.ts';

/** Cloud Connector groups (read-only). Unknown ids answer 404 `resource.not.found`. */

const SEARCH_FIELDS: Record<string, FieldReader<CloudConnectorGroupRecord>> = {
  name: { kind: 'string', get: (g) => g.name },
  enabled: { kind: 'boolean', get: (g) => g.body.enabled !== false },
};

function list(ctx: RequestContext): HandlerResult {
  const { state } = ctx.engine;
  const paging = parseZpaPaging(ctx.query);
  const microtenantId = microtenantParam(state, ctx.query);
  const search = ctx.query.get('search');
  const terms = search === undefined ? [] : parseSearch(search, SEARCH_FIELDS);
  const items = [...state.cloudConnectorGroups.values()].filter(
    (g) =>
      (microtenantId === undefined || g.microtenantId === microtenantId) &&
      (terms.length === 0 || matchesAll(g, terms, SEARCH_FIELDS, state.nowSeconds())),
  );
  return {
    status: 200,
    body: zpaPage(items, paging, (g) => g.body, { withTotalCount: search !== undefined }),
  };
}

function get(ctx: RequestContext): HandlerResult {
  const id = zpaId(ctx.params.id);
  const g = ctx.engine.state.cloudConnectorGroups.get(id);
  if (!g) throw notFound(404, 'Cloud Connector group', id);
  return { status: 200, body: g.body };
}

export const cloudConnectorGroupRoutes: RouteDef[] = [
  { method: 'GET', path: '/cloudConnectorGroup', handler: list },
  { method: 'GET', path: '/cloudConnectorGroup/:id', handler: get },
];
