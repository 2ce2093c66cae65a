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

/** Busy or unknown windows use the conflict-free atomic add; a window known to be idle is re-anchored. */
export function chooseForm(tat: number | undefined, now: number): 'add' | 'anchor' {
  return tat !== undefined && tat < now ? 'anchor' : 'add';
}
