import type { InstanceAddresses } from './instance-address.ts';

/**
 * Instance addresses held in memory (tests, benchmarks): `known` maps an instance id to its private
 * IP; every lookup is recorded in `lookedUp`.
 *
 * @example
 * const addresses = new MemoryInstanceAddresses({ 'i-0abc': '10.0.0.9' });
 */
export class MemoryInstanceAddresses implements InstanceAddresses {
  readonly known: Map<string, string>;
  readonly lookedUp: string[] = [];

  constructor(known: Readonly<Record<string, string>> = {}) {
    this.known = new Map(Object.entries(known));
  }

  async privateIpOf(instanceId: string): Promise<string | undefined> {
    this.lookedUp.push(instanceId);
    return this.known.get(instanceId);
  }
}
