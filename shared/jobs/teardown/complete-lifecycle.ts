import type { LifecycleCompleter } from '../../intake/lifecycle-completer.ts';
import type { LifecycleAction } from '../../intake/lifecycle-event.ts';

/** How a completion attempt ended. */
export type CompletionOutcome =
  /** Auto Scaling accepted CONTINUE. */
  | { kind: 'completed' }
  /** Nothing left to complete (already completed, heartbeat timed out, no completer): move on. */
  | { kind: 'gone'; note: string }
  /** Could not reach Auto Scaling or was throttled: try again later. */
  | { kind: 'retry'; note: string };

/**
 * Completes the lifecycle action with CONTINUE. Auto Scaling answers `ValidationError` ("No active
 * Lifecycle Action found") when the action was already completed or timed out: nothing is left to
 * do. Anything else (network, throttling) is worth another try.
 *
 * @example
 * const r = await completeLifecycle(services.lifecycle, request.lifecycle);
 */
export async function completeLifecycle(
  completer: LifecycleCompleter | undefined,
  action: LifecycleAction,
): Promise<CompletionOutcome> {
  if (!completer) return { kind: 'gone', note: 'no lifecycle completer is configured for the worker' };
  try {
    await completer.complete(action, 'CONTINUE');
    return { kind: 'completed' };
  } catch (error) {
    const e = error as { name?: string; message?: string };
    if (e.name === 'ValidationError') {
      return {
        kind: 'gone',
        note: `Auto Scaling has no active lifecycle action for this token (${e.message ?? 'ValidationError'})`,
      };
    }
    return { kind: 'retry', note: `${e.name ?? 'Error'}: ${e.message ?? 'lifecycle completion failed'}` };
  }
}
