import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
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

/**
 * The Auto Scaling API behind the port. The SDK module is loaded on the first completion, not at
 * import: most invocations never complete an action, and loading it costs a cold start tens of ms.
 * Give a client, or a function that makes one on first use (default: `new AutoScalingClient({})`).
 *
 * @example
 * const completer = new AwsLifecycleCompleter(); // the client is made on first use
 * const local = new AwsLifecycleCompleter(new AutoScalingClient({ endpoint }));
 */
export class AwsLifecycleCompleter implements LifecycleCompleter {
  readonly #client: () => Promise<AutoScalingClient>;

  constructor(client?: AutoScalingClient | (() => Promise<AutoScalingClient>)) {
    let made: Promise<AutoScalingClient> | undefined;
    const make =
      typeof client === 'function'
        ? client
        : client
          ? async () => client
          : async () => new (await import('@aws-sdk/client-auto-scaling')).AutoScalingClient({});
    // Made once; a failed load is retried on the next completion.
    this.#client = () => {
      made ??= make().catch((error: unknown) => {
        made = undefined;
        throw error;
      });
      return made;
    };
  }

  async complete(action: LifecycleAction, result: 'CONTINUE' | 'ABANDON'): Promise<void> {
    const [client, { CompleteLifecycleActionCommand }] = await Promise.all([
      this.#client(),
      import('@aws-sdk/client-auto-scaling'),
    ]);
    await client.send(
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
