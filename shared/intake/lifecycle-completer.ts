import { type AutoScalingClient, CompleteLifecycleActionCommand } from '@aws-sdk/client-auto-scaling';
import type { LifecycleAction } from './lifecycle-event.ts';

/**
 * Completes an Auto Scaling lifecycle action, so a terminating instance never waits for its
 * heartbeat timeout. The events function uses it when a lifecycle event cannot become a request;
 * the worker uses it after the teardown.
 *
 * @example
 * await completer.complete(lifecycle, 'CONTINUE');
 */
export interface LifecycleCompleter {
  complete(action: LifecycleAction, result: 'CONTINUE' | 'ABANDON'): Promise<void>;
}

/** The Auto Scaling API behind the port. */
export class AwsLifecycleCompleter implements LifecycleCompleter {
  readonly #client: AutoScalingClient;

  constructor(client: AutoScalingClient) {
    this.#client = client;
  }

  async complete(action: LifecycleAction, result: 'CONTINUE' | 'ABANDON'): Promise<void> {
    await this.#client.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: action.asgName,
        LifecycleHookName: action.hookName,
        LifecycleActionToken: action.token,
        InstanceId: action.instanceId,
        LifecycleActionResult: result,
      }),
    );
  }
}

/** Records completions (tests, local stack without Auto Scaling). */
export class MemoryLifecycleCompleter implements LifecycleCompleter {
  readonly completed: { action: LifecycleAction; result: 'CONTINUE' | 'ABANDON' }[] = [];

  async complete(action: LifecycleAction, result: 'CONTINUE' | 'ABANDON'): Promise<void> {
    this.completed.push({ action: { ...action }, result });
  }
}
