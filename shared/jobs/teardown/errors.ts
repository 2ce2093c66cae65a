/** Errors of the autoscaling teardown. */

export class TeardownError extends Error {
  override readonly name: string = 'TeardownError';
}

/** EC2 could not tell the instance's private address (not a "no such instance" answer). */
export class InstanceLookupError extends TeardownError {
  override readonly name = 'InstanceLookupError';
  readonly instanceId: string;

  constructor(instanceId: string, options?: { cause?: unknown }) {
    super(`could not read instance ${instanceId} from EC2`, options);
    this.instanceId = instanceId;
  }
}
