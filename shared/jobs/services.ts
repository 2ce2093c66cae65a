import type { EC2Client } from '@aws-sdk/client-ec2';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ControlStore } from '../guardrails/control-store.ts';
import type { LifecycleCompleter } from '../intake/lifecycle-completer.ts';

/**
 * An AWS SDK client, or a function that makes it on first use. The worker's Lambda gives the
 * functions (a memoised `import()` of the SDK module), so a cold start loads no client it may never
 * need; tests and the local stack may give clients directly. Adapters accept both.
 *
 * @example
 * let made: Promise<EC2Client> | undefined; // made once, then reused
 * const ec2: ClientProvider<EC2Client> = () =>
 *   (made ??= import('@aws-sdk/client-ec2').then((m) => new m.EC2Client({})));
 */
export type ClientProvider<T> = T | (() => Promise<T>);

/**
 * AWS-side ports jobs may need, given by the worker's environment (`functions/worker/`). Each is
 * optional: a job that needs a missing one fails with a clear reason. More can be added here, or
 * by module augmentation from a job's own folder:
 *
 * @example
 * declare module '../services.ts' { interface JobServices { mySink?: MySink } }
 */
export interface JobServices {
  /** Coordination state shared by every worker (activation markers, leases); always given by the worker. */
  control?: ControlStore;
  /** Completes Auto Scaling lifecycle actions (teardown). */
  lifecycle?: LifecycleCompleter;
  /** The snapshots bucket and an S3 client for it (inventory snapshots). */
  snapshots?: { s3: ClientProvider<S3Client>; bucket: string };
  /** Finds a terminating instance's private IP (teardown without IP metadata). */
  ec2?: ClientProvider<EC2Client>;
}
