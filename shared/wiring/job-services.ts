import { Ec2InstanceAddresses } from '../aws/ec2-instance-addresses.ts';
import { AwsLifecycleCompleter, type LifecycleCompleter } from '../intake/lifecycle-completer.ts';
import type { JobServices } from '../jobs/services.ts';
import { S3ObjectStore } from '../snapshots/s3-object-store.ts';
import type { AwsClientSource } from './aws-client-source.ts';

/**
 * The AWS-side services jobs use (lifecycle completion, instance addresses, the snapshots bucket),
 * the one place they are made. Jobs see ports only; the adapters make their client on first use.
 * The worker adds the control store itself (`job-context.ts`).
 *
 * @example
 * const services = buildJobServices(aws, { bucket: settings.snapshotsBucket });
 */
export function buildJobServices(
  aws: AwsClientSource,
  options: { bucket?: string | undefined; lifecycle?: LifecycleCompleter | undefined },
): JobServices {
  return {
    lifecycle: options.lifecycle ?? new AwsLifecycleCompleter(aws.autoscaling),
    instanceAddresses: new Ec2InstanceAddresses(aws.ec2),
    // Without a bucket, snapshot jobs fail with a clear reason rather than at init.
    ...(options.bucket
      ? { snapshots: { store: new S3ObjectStore(aws.s3, options.bucket), bucket: options.bucket } }
      : {}),
  };
}
