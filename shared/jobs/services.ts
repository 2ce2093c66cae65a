import type { ControlStore } from '../guardrails/control-store.ts';
import type { LifecycleCompleter } from '../intake/lifecycle-completer.ts';
import type { ObjectStore } from '../snapshots/object-store.ts';
import type { InstanceAddresses } from './teardown/instance-address.ts';

/**
 * The ports jobs may need beyond Zscaler, given by the worker's environment (`functions/worker/`).
 * Each is a small interface with its adapters elsewhere (AWS ones load their SDK module on first
 * use, so a cold start pays for no client it may never need); jobs never see an SDK client. Each is
 * optional: a job that needs a missing one fails with a clear reason. More can be added here, or by
 * module augmentation from a job's own folder:
 *
 * @example
 * declare module '../services.ts' { interface JobServices { mySink?: MySink } }
 */
export interface JobServices {
  /** Coordination state shared by every worker (activation markers, leases); always given by the worker. */
  control?: ControlStore;
  /** Completes Auto Scaling lifecycle actions (teardown). */
  lifecycle?: LifecycleCompleter;
  /**
   * Where inventory snapshots are written (`S3ObjectStore` on the snapshots bucket, or
   * `MemoryObjectStore`), and the bucket's name, reported in the snapshot's outcome.
   */
  snapshots?: { store: ObjectStore; bucket: string };
  /** Finds a terminating instance's private IP (teardown without IP metadata): `Ec2InstanceAddresses`. */
  instanceAddresses?: InstanceAddresses;
}
