import { MemoryLifecycleCompleter } from '../shared/intake/lifecycle-completer.ts';
import type { LifecycleAction } from '../shared/intake/lifecycle-event.ts';

/**
 * Lifecycle completion when no Auto Scaling stand-in runs: records each CompleteLifecycleAction
 * (the demo and tests check them) and prints it. The token is never printed.
 *
 * @example
 * const completer = new PrintingLifecycleCompleter(console.log);
 */
export class PrintingLifecycleCompleter extends MemoryLifecycleCompleter {
  readonly #print: (line: string) => void;

  constructor(print: (line: string) => void) {
    super();
    this.#print = print;
  }

  override async complete(action: LifecycleAction, result: 'CONTINUE' | 'ABANDON'): Promise<void> {
    await super.complete(action, result);
    this.#print(
      `autoscaling: CompleteLifecycleAction ${result} for ${action.instanceId} (group ${action.asgName}, hook ${action.hookName})`,
    );
  }
}
