import type { HandlerResult, RequestContext } from '../context.ts';
import { ZtwApiError } from '../errors.ts';
import type { RouteDef } from '../router.ts';
import type { EcGroupRecord, EcVmRecord } from '../state/model.ts';
import { renderEcGroup, renderEcVm } from '../state/render.ts';

/**
 * Cloud & Branch Connector groups and VMs. `GET /ecgroup` answers a bare array (no totals) paged by
 * `page` (from 1) and `pageSize` (default 100, clamped to 1000); its VMs carry no instance id (nor
 * does any answer: the official SDK models have none), so a VM is found by instance id only through
 * `GET /ecVm/uuid/{vmInstanceId}`. Deleting a VM marks it pending: it stays visible (GET 200) until
 * an activation applies it, after which GET answers 404; a second DELETE of a pending VM answers
 * 404 (already deleted).
 */

export const ZTW_DEFAULT_PAGE_SIZE = 100;
export const ZTW_MAX_PAGE_SIZE = 1000;

function intParam(raw: string | undefined, name: string): number {
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) {
    throw new ZtwApiError(400, 'INVALID_INPUT_ARGUMENT', `${name} must be an integer`);
  }
  return Number(raw);
}

function positive(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const n = intParam(raw, name);
  if (n < 1) throw new ZtwApiError(400, 'INVALID_INPUT_ARGUMENT', `${name} must be ≥ 1`);
  return n;
}

function group(ctx: RequestContext): EcGroupRecord {
  const id = intParam(ctx.params.id, 'id');
  const g = ctx.engine.state.ecGroups.get(id);
  if (!g) throw new ZtwApiError(404, 'RESOURCE_NOT_FOUND', `Cloud & Branch Connector group ${id} not found`);
  return g;
}

function vm(ctx: RequestContext): { g: EcGroupRecord; v: EcVmRecord } {
  const g = group(ctx);
  const vmId = intParam(ctx.params.vmid, 'vmid');
  const v = g.vms.find((x) => x.id === vmId);
  if (!v) throw new ZtwApiError(404, 'RESOURCE_NOT_FOUND', `VM ${vmId} not found in group ${g.id}`);
  return { g, v };
}

function list(ctx: RequestContext): HandlerResult {
  const page = positive(ctx.query.get('page'), 1, 'page');
  const pageSize = Math.min(
    positive(ctx.query.get('pageSize'), ZTW_DEFAULT_PAGE_SIZE, 'pageSize'),
    ZTW_MAX_PAGE_SIZE,
  );
  const all = [...ctx.engine.state.ecGroups.values()];
  const slice = all.slice((page - 1) * pageSize, page * pageSize);
  return { status: 200, body: slice.map(renderEcGroup) };
}

function get(ctx: RequestContext): HandlerResult {
  return { status: 200, body: renderEcGroup(group(ctx)) };
}

function getVm(ctx: RequestContext): HandlerResult {
  return { status: 200, body: renderEcVm(vm(ctx).v) };
}

function markDeleted(ctx: RequestContext, v: EcVmRecord, what: string): HandlerResult {
  if (v.pendingDeletion) throw new ZtwApiError(404, 'RESOURCE_NOT_FOUND', `${what} is already deleted`);
  ctx.engine.state.markVmDeleted(v);
  return { status: 200, body: {} };
}

function deleteVm(ctx: RequestContext): HandlerResult {
  const { v } = vm(ctx);
  return markDeleted(ctx, v, `VM ${v.id}`);
}

function byInstanceId(ctx: RequestContext): EcVmRecord {
  const instanceId = ctx.params.instanceId ?? '';
  const found = ctx.engine.state.findVmByInstanceId(instanceId);
  if (!found) throw new ZtwApiError(404, 'RESOURCE_NOT_FOUND', `no VM with instance id ${instanceId}`);
  return found.vm;
}

function getByInstanceId(ctx: RequestContext): HandlerResult {
  return { status: 200, body: renderEcVm(byInstanceId(ctx)) };
}

function deleteByInstanceId(ctx: RequestContext): HandlerResult {
  const v = byInstanceId(ctx);
  return markDeleted(ctx, v, `VM ${v.id}`);
}

export const ecGroupRoutes: RouteDef[] = [
  { method: 'GET', path: '/ecgroup', handler: list },
  { method: 'GET', path: '/ecgroup/:id', handler: get },
  { method: 'GET', path: '/ecgroup/:id/vm/:vmid', handler: getVm },
  { method: 'DELETE', path: '/ecgroup/:id/vm/:vmid', handler: deleteVm },
  { method: 'GET', path: '/ecVm/uuid/:instanceId', handler: getByInstanceId },
  { method: 'DELETE', path: '/ecVm/uuid/:instanceId', handler: deleteByInstanceId },
];
