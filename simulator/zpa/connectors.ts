import type { HandlerResult, RequestContext } from '../context.ts';
import { ZpaApiError } from '../errors.ts';
import type { RouteDef } from '../router.ts';
import type { ConnectorRecord } from '../state/model.ts';
import { renderConnector } from '../state/render.ts';
import { parseZpaPaging, zpaPage } from './paging.ts';
import type { FieldReader } from './search.ts';
import { matchesAll, parseSearch } from './search.ts';
import { microtenantParam, notFound, objectBody, zpaId } from './validation.ts';

/**
 * App Connectors. Unknown ids: GET and DELETE answer 400 `resource.not.found`, PUT answers 404
 * `resource.not.found`. Bulk delete ignores unknown ids; one Deception connector fails the whole
 * request with 400 and deletes nothing.
 */

const since = (t: number | undefined, now: number) => (t === undefined ? undefined : now - t);

export const CONNECTOR_SEARCH_FIELDS: Record<string, FieldReader<ConnectorRecord>> = {
  name: { kind: 'string', get: (c) => c.name },
  enabled: { kind: 'boolean', get: (c) => c.enabled },
  controlChannelStatus: { kind: 'string', get: (c) => c.controlChannelStatus },
  currentVersion: { kind: 'version', get: (c) => c.currentVersion },
  expectedVersion: { kind: 'version', get: (c) => c.expectedVersion },
  lastBrokerConnectTimeDuration: { kind: 'duration', get: (c, now) => since(c.lastBrokerConnectTime, now) },
  lastBrokerDisconnectTimeDuration: {
    kind: 'duration',
    get: (c, now) => since(c.lastBrokerDisconnectTime, now),
  },
};

function listConnectors(ctx: RequestContext): HandlerResult {
  const { state } = ctx.engine;
  const paging = parseZpaPaging(ctx.query);
  const microtenantId = microtenantParam(state, ctx.query);
  const search = ctx.query.get('search');
  const terms = search === undefined ? [] : parseSearch(search, CONNECTOR_SEARCH_FIELDS);
  const now = state.nowSeconds();
  const items: ConnectorRecord[] = [];
  for (const c of state.connectors.values()) {
    if (microtenantId !== undefined && c.microtenantId !== microtenantId) continue;
    if (terms.length > 0 && !matchesAll(c, terms, CONNECTOR_SEARCH_FIELDS, now)) continue;
    items.push(c);
  }
  const isSearch = search !== undefined;
  return {
    status: 200,
    body: zpaPage(items, paging, (c) => renderConnector(state, c, { withMicrotenantName: isSearch }), {
      withTotalCount: isSearch,
    }),
  };
}

function lookup(ctx: RequestContext, status: 400 | 404): ConnectorRecord {
  const id = zpaId(ctx.params.id, 'connectorId');
  const { state } = ctx.engine;
  const microtenantId = microtenantParam(state, ctx.query);
  const c = state.connectors.get(id);
  if (!c || (microtenantId !== undefined && c.microtenantId !== microtenantId)) {
    throw notFound(status, 'App Connector', id);
  }
  return c;
}

function deceptionError(c: ConnectorRecord): ZpaApiError {
  return new ZpaApiError(
    400,
    'deception.connector.not.editable',
    `App Connector ${c.id} is configured by Zscaler Deception and cannot be updated or deleted`,
    [c.id],
  );
}

function getConnector(ctx: RequestContext): HandlerResult {
  return { status: 200, body: renderConnector(ctx.engine.state, lookup(ctx, 400)) };
}

function updateConnector(ctx: RequestContext): HandlerResult {
  const c = lookup(ctx, 404);
  const body = objectBody(ctx.body);
  if (c.deception) throw deceptionError(c);
  if (body.name !== undefined) {
    if (typeof body.name !== 'string' || body.name.trim() === '') {
      throw new ZpaApiError(400, 'required.field.missing', 'name must not be empty', ['name']);
    }
  }
  if (body.enabled !== undefined && typeof body.enabled !== 'boolean') {
    throw new ZpaApiError(400, 'invalid.boolean.value', 'enabled must be true or false', ['enabled']);
  }
  if (typeof body.name === 'string') c.name = body.name.trim();
  if (typeof body.description === 'string') c.description = body.description;
  if (typeof body.enabled === 'boolean') c.enabled = body.enabled;
  c.modifiedTime = ctx.engine.state.nowSeconds();
  return { status: 204 };
}

function deleteConnector(ctx: RequestContext): HandlerResult {
  const c = lookup(ctx, 400);
  if (c.deception) throw deceptionError(c);
  ctx.engine.state.removeConnector(c.id);
  return { status: 204 };
}

function bulkDelete(ctx: RequestContext): HandlerResult {
  const body = objectBody(ctx.body);
  const ids = body.ids;
  if (!Array.isArray(ids) || ids.length === 0) {
    throw new ZpaApiError(400, 'required.field.missing', 'ids must be a non-empty array', ['ids']);
  }
  const wanted = ids.map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : ''));
  for (const id of wanted) zpaId(id, 'ids');
  const { state } = ctx.engine;
  for (const id of wanted) {
    const c = state.connectors.get(id);
    if (c?.deception) throw deceptionError(c);
  }
  for (const id of wanted) state.removeConnector(id);
  return { status: 200 };
}

export const connectorRoutes: RouteDef[] = [
  { method: 'POST', path: '/connector/bulkDelete', handler: bulkDelete },
  { method: 'GET', path: '/connector', handler: listConnectors },
  { method: 'GET', path: '/connector/:id', handler: getConnector },
  { method: 'PUT', path: '/connector/:id', handler: updateConnector },
  { method: 'DELETE', path: '/connector/:id', handler: deleteConnector },
];
