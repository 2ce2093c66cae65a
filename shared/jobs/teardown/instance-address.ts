/**
 * Where a terminating instance's private address comes from when its lifecycle event did not carry
 * one: a port of the teardown job. Adapters: EC2 `DescribeInstances` (`shared/aws/ec2-instance-addresses.ts`)
 * and in-memory (`memory-instance-addresses.ts`).
 *
 * @example
 * const ip = await addresses.privateIpOf('i-0abc123'); // '10.0.1.23' | undefined
 */
export interface InstanceAddresses {
  /**
   * The instance's primary private IPv4 address; undefined when there is no such instance or
   * address. Any other failure throws `InstanceLookupError` (the job retries).
   */
  privateIpOf(instanceId: string): Promise<string | undefined>;
}
