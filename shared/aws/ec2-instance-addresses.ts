import type { EC2Client } from '@aws-sdk/client-ec2';
import { madeOnce } from '../core/made-once.ts';
import { InstanceLookupError } from '../jobs/teardown/errors.ts';
import type { InstanceAddresses } from '../jobs/teardown/instance-address.ts';

/**
 * The `InstanceAddresses` port on EC2 `DescribeInstances`. Takes a client or a function making it
 * on first use; the SDK module is loaded on the first lookup, never at import (it is the largest
 * SDK client: a cold start cost), and a made client is reused (made again after a failure).
 *
 * @example
 * const addresses = new Ec2InstanceAddresses(async () => new (await import('@aws-sdk/client-ec2')).EC2Client({}));
 * await addresses.privateIpOf('i-0abc123'); // '10.0.1.23' | undefined
 */
export class Ec2InstanceAddresses implements InstanceAddresses {
  readonly #ec2: () => Promise<EC2Client>;

  constructor(ec2: EC2Client | (() => Promise<EC2Client>)) {
    this.#ec2 = madeOnce(ec2);
  }

  async privateIpOf(instanceId: string): Promise<string | undefined> {
    try {
      const [ec2, { DescribeInstancesCommand }] = await Promise.all([
        this.#ec2(),
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
