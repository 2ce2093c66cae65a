import type { HandlerResult, RequestContext } from '../context.ts';
import type { RouteDef } from '../router.ts';
import type { VersionProfileRecord } from '../state/model.ts';
import { renderVersionProfile } from '../state/render.ts';
import { parseZpaPaging, zpaPage } from './paging.ts';
import type { FieldReader } from './search.ts';
import { matchesAll, parseSearch } from './search.ts';

/** `GET …/visible/versionProfiles` (paged, `search=name EQ …` supported). */

const SEARCH_FIELDS: Record<string, FieldReader<VersionProfileRecord>> = {
  name: { kind: 'string', get: (p) => p.name },
};

function list(ctx: RequestContext): HandlerResult {
  const { state } = ctx.engine;
  const paging = parseZpaPaging(ctx.query);
  const search = ctx.query.get('search');
  const terms = search === undefined ? [] : parseSearch(search, SEARCH_FIELDS);
  const items = [...state.versionProfiles.values()].filter(
    (p) => terms.length === 0 || matchesAll(p, terms, SEARCH_FIELDS, state.nowSeconds()),
  );
  return {
    status: 200,
    body: zpaPage(items, paging, renderVersionProfile, { withTotalCount: search !== undefined }),
  };
}

export const versionProfileRoutes: RouteDef[] = [
  { method: 'GET', path: '/visible/versionProfiles', handler: list },
];
