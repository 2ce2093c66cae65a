import type { EC2Client } from '@aws-sdk/client-ec2';
import { InstanceLookupError } from './errors.ts';

/**
 * Where a terminating instance's private address comes from when its lifecycle event did not carry
 * one. Adapter: EC2 `DescribeInstances` (`Ec2InstanceAddresses`).
 *
 * @example
 * const ip = await new Ec2InstanceAddresses(ec2).privateIpOf('i-0abc123'); // '10.0.1.23' | undefined
 */
export interface InstanceAddresses {
  /** The instance's primary private IPv4 address; undefined when EC2 has no such instance or address. */
  privateIpOf(instanceId: string): Promise<string | undefined>;
}

/**
 * EC2 `DescribeInstances`. Takes a client or a function making it on first use; the SDK module is
 * loaded on the first lookup, never at import (it is the largest SDK client: a cold start cost).
 */
export class Ec2InstanceAddresses implements InstanceAddresses {
  readonly #ec2: EC2Client | (() => Promise<EC2Client>);

  constructor(ec2: EC2Client | (() => Promise<EC2Client>)) {
    this.#ec2 = ec2;
  }

  async privateIpOf(instanceId: string): Promise<string | undefined> {
    try {
      const [ec2, { DescribeInstancesCommand }] = await Promise.all([
        typeof this.#ec2 === 'function' ? this.#ec2() : this.#ec2,
        import('@aws-sdk/client-ec2'),
      ]);
      const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      for (const r of out.Reservations ?? []) {
        for (const i of r.Instances ?? [])
          if (i.InstanceId === instanceId && i.PrivateIpAddress) return i.PrivateIpAddress;
      }
      return undefined;
    } catch (error) {
      if ((error as { name?: string }).name === 'InvalidInstanceID.NotFound') return undefined;
      throw new InstanceLookupError(instanceId, { cause: error });
    }
  }
}
