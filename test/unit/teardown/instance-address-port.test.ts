import { describe, expect, it } from 'vitest';
import type { JobContext } from '../../../shared/jobs/job.ts';
import type { JobServices } from '../../../shared/jobs/services.ts';
import { teardownJob } from '../../../shared/jobs/teardown/job.ts';
import { MemoryInstanceAddresses } from '../../../shared/jobs/teardown/memory-instance-addresses.ts';

const lifecycle = { asgName: 'asg', hookName: 'zcops-teardown', token: 'tok-1', instanceId: 'i-0abc' };

/** The first run's context: only what the teardown's first plan reads (no Zscaler client). */
function firstRun(request: Record<string, unknown>, services: JobServices) {
  return {
    request: {
      action: 'appConnector.teardown',
      provider: 'aws',
      instanceId: 'i-0abc',
      groupId: '100',
      lifecycle,
      ...request,
    },
    progress: undefined,
    dryRun: false,
    services,
    zpa: () => Promise.reject(new Error('the first run must not need Zscaler')),
  } as unknown as JobContext<'appConnector.teardown'>;
}

describe('teardown: the instance address comes through the InstanceAddresses port', () => {
  it('an event without an IP: the first plan asks the port and keeps the address for later runs', async () => {
    const addresses = new MemoryInstanceAddresses({ 'i-0abc': '10.0.0.9' });
    const plan = await teardownJob.plan(firstRun({}, { instanceAddresses: addresses }));
    expect(addresses.lookedUp).toEqual(['i-0abc']);
    expect(plan.calls.map((c) => c.operation)).toContain('ec2.describeInstances');
    expect(plan.data).toMatchObject({ phase: 'lifecycle', progress: { privateIp: '10.0.0.9' } });
  });

  it('an event with an IP, or no port given: the port is not asked', async () => {
    const addresses = new MemoryInstanceAddresses({ 'i-0abc': '10.0.0.9' });
    const withIp = await teardownJob.plan(
      firstRun({ privateIp: '10.0.0.7' }, { instanceAddresses: addresses }),
    );
    expect(addresses.lookedUp).toEqual([]);
    expect(withIp.data).toMatchObject({ progress: { privateIp: '10.0.0.7' } });
    const without = await teardownJob.plan(firstRun({}, {}));
    expect(without.calls.map((c) => c.operation)).not.toContain('ec2.describeInstances');
    expect(without.data).toMatchObject({ phase: 'lifecycle', progress: {} });
  });
});
