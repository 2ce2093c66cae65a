import type { Engine, HandlerResult, RequestContext } from '../context.ts';
import type { RouteDef } from '../router.ts';

/**
 * Activation. `PUT /ecAdminActivateStatus/activate` applies pending edits (VM deletions) at once;
 * logging out (`DELETE /auth`) does too, and edits left idle for 30 minutes (scaled) are
 * auto-activated, as Zscaler does.
 */

export const AUTO_ACTIVATE_IDLE_MS = 30 * 60 * 1000;

export function activationBody(engine: Engine): Record<string, unknown> {
  const a = engine.state.activation;
  return {
    orgEditStatus: a.orgEditStatus,
    orgLastActivateStatus: a.orgLastActivateStatus,
    adminActivateStatus: a.adminActivateStatus,
    adminStatusMap: {},
  };
}

/** Runs the idle auto-activation when it is due (called before every ZTW call). */
export function autoActivateIfDue(engine: Engine): void {
  const at = engine.state.activation.lastEditAt;
  if (at !== undefined && engine.now() - at >= AUTO_ACTIVATE_IDLE_MS / engine.timeScale) {
    engine.state.activate('CAC_ACTV_TIMER');
  }
}

function status(ctx: RequestContext): HandlerResult {
  return { status: 200, body: activationBody(ctx.engine) };
}

function activate(ctx: RequestContext): HandlerResult {
  ctx.engine.state.activate('CAC_ACTV_UI');
  return { status: 200, body: activationBody(ctx.engine) };
}

export const activationRoutes: RouteDef[] = [
  { method: 'GET', path: '/ecAdminActivateStatus', handler: status },
  { method: 'PUT', path: '/ecAdminActivateStatus/activate', handler: activate },
];
