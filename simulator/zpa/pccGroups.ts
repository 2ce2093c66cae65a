import type { HandlerResult, RequestContext } from '../context.ts';
import { ZpaApiError } from '../errors.ts';
import type { RouteDef } from '../router.ts';
import type { PccGroupRecord } from '../state/model.ts';
import { DEFAULT_MICROTENANT } from '../state/model.ts';
import { renderPccGroup } from '../state/render.ts';
import { assertUniqueName } from './appConnectorGroups.ts';
import { parseZpaPaging, zpaPage } from './paging.ts';
import type { FieldReader } from './search.ts';
import { matchesAll, parseSearch } from './search.ts';
import type { GroupFields } from './validation.ts';
import { microtenantParam, notFound, validateGroup, zpaId } from './validation.ts';

/**
 * Private Cloud Controller groups. Unknown ids: GET answers 400 `resource.not.found`, PUT and
 * DELETE answer 404 `resource.not.found`. List and summary carry `totalCount` (as the docs show).
 * Deleting a group with controllers: 400 `site.controller.group.not.empty`.
 */

const SEARCH_FIELDS: Record<string, FieldReader<PccGroupRecord>> = {
  name: { kind: 'string', get: (g) => g.name },
  enabled: { kind: 'boolean', get: (g) => g.enabled },
};

function applyFields(g: PccGroupRecord, f: GroupFields, now: number): void {
  g.name = f.name;
  g.description = f.description;
  g.enabled = f.enabled;
  g.latitude = f.latitude;
  g.longitude = f.longitude;
  g.location = f.location;
  g.countryCode = f.countryCode ?? g.countryCode;
  g.cityCountry = `${f.location.split(',')[0]}, ${g.countryCode}`;
  g.upgradeDay = f.upgradeDay;
  g.upgradeTimeInSecs = f.upgradeTimeInSecs;
  g.overrideVersionProfile = f.overrideVersionProfile;
  g.versionProfileId = f.versionProfileId;
  g.siteId = f.siteId;
  g.siteName = f.siteName;
  g.modifiedTime = now;
}

function filtered(ctx: RequestContext): { items: PccGroupRecord[]; isSearch: boolean } {
  const { state } = ctx.engine;
  const microtenantId = microtenantParam(state, ctx.query);
  const search = ctx.query.get('search');
  const terms = search === undefined ? [] : parseSearch(search, SEARCH_FIELDS);
  const items = [...state.pccGroups.values()].filter(
    (g) =>
      (microtenantId === undefined || g.microtenantId === microtenantId) &&
      (terms.length === 0 || matchesAll(g, terms, SEARCH_FIELDS, state.nowSeconds())),
  );
  return { items, isSearch: search !== undefined };
}

function lookup(ctx: RequestContext, status: 400 | 404): PccGroupRecord {
  const id = zpaId(ctx.params.id, 'privateCloudControllerGroupId');
  const { state } = ctx.engine;
  const microtenantId = microtenantParam(state, ctx.query);
  const g = state.pccGroups.get(id);
  if (!g || (microtenantId !== undefined && g.microtenantId !== microtenantId)) {
    throw notFound(status, 'Private Cloud Controller group', id);
  }
  return g;
}

function create(ctx: RequestContext): HandlerResult {
  const { state } = ctx.engine;
  const microtenantId = microtenantParam(state, ctx.query) ?? DEFAULT_MICROTENANT;
  const fields = validateGroup(state, ctx.body, 'pccGroup');
  assertUniqueName(state.pccGroups.values(), fields.name);
  const g = state.addPccGroup({ name: fields.name, countryCode: fields.countryCode ?? '', microtenantId });
  applyFields(g, fields, state.nowSeconds());
  return { status: 201, body: renderPccGroup(state, g, 'get') };
}

function list(ctx: RequestContext): HandlerResult {
  const { state } = ctx.engine;
  const paging = parseZpaPaging(ctx.query);
  const { items } = filtered(ctx);
  return {
    status: 200,
    body: zpaPage(items, paging, (g) => renderPccGroup(state, g, 'list'), { withTotalCount: true }),
  };
}

function summary(ctx: RequestContext): HandlerResult {
  const paging = parseZpaPaging(ctx.query);
  const { items } = filtered(ctx);
  return {
    status: 200,
    body: zpaPage(items, paging, (g) => ({ id: g.id, name: g.name, enabled: g.enabled }), {
      withTotalCount: true,
    }),
  };
}

function get(ctx: RequestContext): HandlerResult {
  return { status: 200, body: renderPccGroup(ctx.engine.state, lookup(ctx, 400), 'get') };
}

function update(ctx: RequestContext): HandlerResult {
  const { state } = ctx.engine;
  const g = lookup(ctx, 404);
  const fields = validateGroup(state, ctx.body, 'pccGroup');
  assertUniqueName(state.pccGroups.values(), fields.name, g.id);
  applyFields(g, fields, state.nowSeconds());
  return { status: 204 };
}

function remove(ctx: RequestContext): HandlerResult {
  const g = lookup(ctx, 404);
  if (g.siteControllers.length > 0) {
    throw new ZpaApiError(
      400,
      'site.controller.group.not.empty',
      `Private Cloud Controller group ${g.name} has ${g.siteControllers.length} controller(s); delete them first`,
      [g.id, String(g.siteControllers.length)],
    );
  }
  ctx.engine.state.pccGroups.delete(g.id);
  return { status: 204 };
}

export const pccGroupRoutes: RouteDef[] = [
  { method: 'POST', path: '/privateCloudControllerGroup', handler: create },
  { method: 'GET', path: '/privateCloudControllerGroup', handler: list },
  { method: 'GET', path: '/privateCloudControllerGroup/summary', handler: summary },
  { method: 'GET', path: '/privateCloudControllerGroup/:id', handler: get },
  { method: 'PUT', path: '/privateCloudControllerGroup/:id', handler: update },
  { method: 'DELETE', path: '/privateCloudControllerGroup/:id', handler: remove },
];
