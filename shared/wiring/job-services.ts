import { AwsLifecycleCompleter, type LifecycleCompleter } from '../intake/lifecycle-completer.ts';
import type { JobServices } from '../jobs/services.ts';
import type { AwsClientSource } from './aws-client-source.ts';

/**
 * The AWS-side services jobs use (lifecycle completion, EC2 lookups, the snapshots bucket), the
 * one place they are made. The worker adds the control store itself (`job-context.ts`).
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
    ec2: aws.ec2,
    // Without a bucket, snapshot jobs fail with a clear reason rather than at init.
    ...(options.bucket ? { snapshots: { s3: aws.s3, bucket: options.bucket } } : {}),
  };
}
