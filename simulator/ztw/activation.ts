import type { Engine, HandlerResult, RequestContext } from '../context.ts';
import type { RouteDef } from '../router.ts';

/**
 * Activation. `PUT /ecAdminActivateStatus/activate` asks for an activation of pending edits (VM
 * deletions) and answers at once, while it is still queued (another admin's edit holds the queue)
 * or running; a deletion is visible (404) only once it is done. Logging out (`DELETE /auth`) asks
 * for one too, and edits left idle for 30 minutes (scaled) are auto-activated, as Zscaler does.
 * `GET /ecAdminActivateStatus` follows it: ADM_EDITING → ADM_ACTV_QUEUED → ADM_ACTIVATING →
 * ADM_ACTV_DONE (or ADM_ACTV_FAIL).
 */

export const AUTO_ACTIVATE_IDLE_MS = 30 * 60 * 1000;

/** Default time an activation runs (unscaled); `SimulatorOptions.activationSeconds` changes it. */
export const DEFAULT_ACTIVATION_MS = 3_000;

export function activationBody(engine: Engine): Record<string, unknown> {
  const a = engine.state.activation;
  return {
    orgEditStatus: a.orgEditStatus,
    orgLastActivateStatus: a.orgLastActivateStatus,
    adminActivateStatus: a.adminActivateStatus,
    // The real answer carries fields the client has no use for, some of them null.
    adminStatusMap: null,
  };
}

/** Moves activations along and runs the idle auto-activation when due (before every ZTW call). */
export function autoActivateIfDue(engine: Engine): void {
  engine.state.tickActivation();
  const a = engine.state.activation;
  if (
    a.lastEditAt !== undefined &&
    !a.running &&
    a.orgEditStatus === 'EDITS_PRESENT' &&
    engine.now() - a.lastEditAt >= AUTO_ACTIVATE_IDLE_MS / engine.timeScale
  ) {
    a.lastEditAt = undefined;
    engine.state.requestActivation('CAC_ACTV_TIMER');
  }
}

function status(ctx: RequestContext): HandlerResult {
  return { status: 200, body: activationBody(ctx.engine) };
}

function activate(ctx: RequestContext): HandlerResult {
  ctx.engine.state.requestActivation('CAC_ACTV_UI');
  return { status: 200, body: activationBody(ctx.engine) };
}

export const activationRoutes: RouteDef[] = [
  { method: 'GET', path: '/ecAdminActivateStatus', handler: status },
  { method: 'PUT', path: '/ecAdminActivateStatus/activate', handler: activate },
];
