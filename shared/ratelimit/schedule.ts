import type { ResolvedWindow } from './limits.ts';

/**
 * GCRA ("virtual scheduling") arithmetic for one window, kept apart from storage so it can be tested
 * on its own. A window's state is its theoretical arrival time `tat`: a permit may be used at
 * `max(now, tat - tolerance)` and moves `tat` to `max(tat, now) + interval`.
 */

/** The slot a reservation obtained, from the tat it left behind (same formula for both forms). */
export function slotFromNewTat(w: ResolvedWindow, newTat: number, now: number): number {
  return Math.max(now, newTat - w.intervalMs - w.toleranceMs);
}

/** The slot a permit would get now, from a known tat (absent: never used). */
export function estimateSlot(w: ResolvedWindow, tat: number | undefined, now: number): number {
  if (tat === undefined || tat < now) return now;
  return Math.max(now, tat - w.toleranceMs);
}

/**
 * Picks the update form from a cached view, without reading. Busy or unknown windows use the
 * conflict-free atomic add. A cached tat in the past does not prove the window idle: other workers may
 * have kept adding since we looked. The backlog we saw then (`tat - seenAt`) says how busy the key was;
 * only a gap longer than that backlog makes idleness the better bet. A wrong guess costs one failed
 * write, which returns the true state.
 */
export function chooseForm(tat: number | undefined, seenAt: number, now: number): 'add' | 'anchor' {
  if (tat === undefined || tat >= now) return 'add';
  return now - tat > Math.max(0, tat - seenAt) ? 'anchor' : 'add';
}

/**
 * The latest time a permit's answer may arrive and its call still be made: `slotAt` plus half of the
 * slack's percentage part (`slackMs - jitterMs`). A call must reach Zscaler no later than its slot
 * plus the slack to keep every `limit + 1` calls at least a window apart (see `MoveRequest` in
 * `store.ts`); the other half and the absolute `jitterMs` are left for the call's own way there (event
 * loop, connection, network). A later answer is moved, not used as is.
 */
export function lateBound(windows: readonly ResolvedWindow[], slotAt: number): number {
  return slotAt + Math.min(...windows.map((w) => Math.max(0, w.slackMs - w.jitterMs) / 2));
}

/** The tat a late permit leaves when it is re-counted at `at` (as if taken then). */
export function movedTat(w: ResolvedWindow, tat: number, at: number): number {
  return Math.max(tat, at + w.intervalMs);
}
