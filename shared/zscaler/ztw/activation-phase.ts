/**
 * What an `adminActivateStatus` says about an activation that was asked for:
 * - `done` (ADM_ACTV_DONE) and `failed` (ADM_ACTV_FAIL): it ended;
 * - `pending` (ADM_ACTV_QUEUED, ADM_ACTIVATING): it is queued or running; nothing read now says
 *   whether a deletion will be applied, so no conclusion may be drawn yet;
 * - `unknown`: any other state (ADM_LOGGED_IN, ADM_EDITING, ADM_EXPIRED, a state not documented,
 *   none): the status does not tell about this activation; only reading the object does.
 *
 * @example
 * activationPhase('ADM_ACTIVATING') // 'pending'
 */
export type ActivationPhase = 'done' | 'failed' | 'pending' | 'unknown';

export function activationPhase(adminActivateStatus: string | undefined): ActivationPhase {
  switch (adminActivateStatus) {
    case 'ADM_ACTV_DONE':
      return 'done';
    case 'ADM_ACTV_FAIL':
      return 'failed';
    case 'ADM_ACTV_QUEUED':
    case 'ADM_ACTIVATING':
      return 'pending';
    default:
      return 'unknown';
  }
}
