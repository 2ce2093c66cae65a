import type { HandlerResult, RequestContext } from '../context.ts';
import { ZpaApiError } from '../errors.ts';
import type { RouteDef } from '../router.ts';
import type { AppConnectorGroupRecord } from '../state/model.ts';
import { DEFAULT_MICROTENANT } from '../state/model.ts';
import { renderAppConnectorGroup, renderAppConnectorGroupCreated } from '../state/render.ts';
import type { SimulatorState } from '../state/store.ts';
import { parseZpaPaging, zpaPage } from './paging.ts';
import type { FieldReader } from './search.ts';
import { matchesAll, parseSearch } from './search.ts';
import type { GroupFields } from './validation.ts';
import { microtenantParam, notFound, validateGroup, zpaId } from './validation.ts';

/**
 * App Connector groups. Create answers 201 without `id` (as the docs' example does). Unknown ids
 * answer 404 `resource.not.found` on GET, PUT and DELETE.
 * Names are unique per tenant, case-insensitively: 400 `duplicate.name`. Deleting a group that
 * still has connectors: 400 `connector.group.not.empty`.
 */

const SEARCH_FIELDS: Record<string, FieldReader<AppConnectorGroupRecord>> = {
  name: { kind: 'string', get: (g) => g.name },
  enabled: { kind: 'boolean', get: (g) => g.enabled },
  location: { kind: 'string', get: (g) => g.location },
};

/** 400 duplicate.name when another record already has this name (case-insensitive). */
export function assertUniqueName(
  records: Iterable<{ id: string; name: string }>,
  name: string,
  exceptId?: string,
): void {
  const lower = name.toLowerCase();
  for (const r of records) {
    if (r.id !== exceptId && r.name.toLowerCase() === lower) {
      throw new ZpaApiError(400, 'duplicate.name', `A resource with name ${name} already exists`, [
        name,
        r.id,
      ]);
    }
  }
}

function applyFields(g: AppConnectorGroupRecord, f: GroupFields, now: number): void {
  g.name = f.name;
  g.description = f.description;
  g.enabled = f.enabled;
  g.latitude = f.latitude;
  g.longitude = f.longitude;
  g.location = f.location;
  g.upgradeDay = f.upgradeDay;
  g.upgradeTimeInSecs = f.upgradeTimeInSecs;
  g.overrideVersionProfile = f.overrideVersionProfile;
  g.versionProfileId = f.versionProfileId ?? '0';
  g.dnsQueryType = f.dnsQueryType;
  g.tcpQuickAckApp = f.tcpQuickAckApp;
  g.tcpQuickAckAssistant = f.tcpQuickAckAssistant;
  g.tcpQuickAckReadAssistant = f.tcpQuickAckReadAssistant;
  g.useInDrMode = f.useInDrMode;
  g.wafDisabled = f.wafDisabled;
  if (f.countryCode !== undefined) g.countryCode = f.countryCode;
  g.modifiedTime = now;
}

function lookup(ctx: RequestContext): AppConnectorGroupRecord {
  const id = zpaId(ctx.params.id, 'appConnectorGroupId');
  const { state } = ctx.engine;
  const microtenantId = microtenantParam(state, ctx.query);
  const g = state.appConnectorGroups.get(id);
  if (!g || (microtenantId !== undefined && g.microtenantId !== microtenantId)) {
    throw notFound(404, 'App Connector group', id);
  }
  return g;
}

function deceptionError(g: AppConnectorGroupRecord): ZpaApiError {
  return new ZpaApiError(
    400,
    'deception.connector.group.not.editable',
    `App Connector group ${g.id} is configured by Zscaler Deception and cannot be updated or deleted`,
    [g.id],
  );
}

function create(ctx: RequestContext): HandlerResult {
  const { state } = ctx.engine;
  const microtenantId = microtenantParam(state, ctx.query) ?? DEFAULT_MICROTENANT;
  const fields = validateGroup(state, ctx.body, 'appConnectorGroup');
  assertUniqueName(state.appConnectorGroups.values(), fields.name);
  const g = state.addAppConnectorGroup({ name: fields.name, microtenantId });
  applyFields(g, fields, state.nowSeconds());
  g.cityCountry = g.location;
  return { status: 201, body: renderAppConnectorGroupCreated(g) };
}

function list(ctx: RequestContext): HandlerResult {
  const { state } = ctx.engine;
  const paging = parseZpaPaging(ctx.query);
  const microtenantId = microtenantParam(state, ctx.query);
  const search = ctx.query.get('search');
  const terms = search === undefined ? [] : parseSearch(search, SEARCH_FIELDS);
  const now = state.nowSeconds();
  const items: AppConnectorGroupRecord[] = [];
  for (const g of state.appConnectorGroups.values()) {
    if (microtenantId !== undefined && g.microtenantId !== microtenantId) continue;
    if (terms.length > 0 && !matchesAll(g, terms, SEARCH_FIELDS, now)) continue;
    items.push(g);
  }
  const isSearch = search !== undefined;
  return {
    status: 200,
    body: zpaPage(
      items,
      paging,
      (g) => renderAppConnectorGroup(state, g, { withMicrotenantName: isSearch }),
      {
        withTotalCount: isSearch,
      },
    ),
  };
}

function get(ctx: RequestContext): HandlerResult {
  return { status: 200, body: renderAppConnectorGroup(ctx.engine.state, lookup(ctx)) };
}

function update(ctx: RequestContext): HandlerResult {
  const { state } = ctx.engine;
  const g = lookup(ctx);
  if (g.deception) throw deceptionError(g);
  const fields = validateGroup(state, ctx.body, 'appConnectorGroup');
  assertUniqueName(state.appConnectorGroups.values(), fields.name, g.id);
  applyFields(g, fields, state.nowSeconds());
  return { status: 204 };
}

function remove(ctx: RequestContext): HandlerResult {
  const { state } = ctx.engine;
  const g = lookup(ctx);
  if (g.deception) throw deceptionError(g);
  assertGroupEmpty(state, g);
  state.appConnectorGroups.delete(g.id);
  return { status: 204 };
}

function assertGroupEmpty(state: SimulatorState, g: AppConnectorGroupRecord): void {
  const n = state.connectorCountInGroup(g.id);
  if (n > 0) {
    throw new ZpaApiError(
      400,
      'connector.group.not.empty',
      `App Connector group ${g.name} has ${n} App Connector(s); delete them first`,
      [g.id, String(n)],
    );
  }
}

export const appConnectorGroupRoutes: RouteDef[] = [
  { method: 'POST', path: '/appConnectorGroup', handler: create },
  { method: 'GET', path: '/appConnectorGroup', handler: list },
  { method: 'GET', path: '/appConnectorGroup/:id', handler: get },
  { method: 'PUT', path: '/appConnectorGroup/:id', handler: update },
  { method: 'DELETE', path: '/appConnectorGroup/:id', handler: remove },
];
