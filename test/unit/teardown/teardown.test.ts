import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { Ec2InstanceAddresses } from '../../../shared/aws/ec2-instance-addresses.ts';
import { MemoryLifecycleCompleter } from '../../../shared/intake/lifecycle-completer.ts';
import { completeLifecycle } from '../../../shared/jobs/teardown/complete-lifecycle.ts';
import { InstanceLookupError } from '../../../shared/jobs/teardown/errors.ts';
import { MemoryInstanceAddresses } from '../../../shared/jobs/teardown/memory-instance-addresses.ts';
import { progressFields, readProgress } from '../../../shared/jobs/teardown/progress.ts';

const action = { asgName: 'asg', hookName: 'h', token: 'tok-1', instanceId: 'i-0abc' };

describe('lifecycle completion', () => {
  it('completes with CONTINUE', async () => {
    const completer = new MemoryLifecycleCompleter();
    expect(await completeLifecycle(completer, action)).toEqual({ kind: 'completed' });
    expect(completer.completed).toEqual([{ action, result: 'CONTINUE' }]);
  });

  it('ValidationError (nothing active) moves on; other errors retry; no completer moves on', async () => {
    const failing = (name: string) => ({
      async complete() {
        throw Object.assign(new Error('No active Lifecycle Action found with token tok-1'), { name });
      },
    });
    expect(await completeLifecycle(failing('ValidationError'), action)).toMatchObject({ kind: 'gone' });
    expect(await completeLifecycle(failing('Throttling'), action)).toMatchObject({
      kind: 'retry',
      note: expect.stringContaining('Throttling'),
    });
    expect(await completeLifecycle(undefined, action)).toMatchObject({
      kind: 'gone',
      note: expect.stringContaining('no lifecycle completer'),
    });
  });
});

describe('instance addresses (EC2)', () => {
  const ec2 = mockClient(EC2Client);
  afterEach(() => ec2.reset());

  it('the primary private IP of the instance', async () => {
    ec2.on(DescribeInstancesCommand, { InstanceIds: ['i-0abc'] }).resolves({
      Reservations: [{ Instances: [{ InstanceId: 'i-0abc', PrivateIpAddress: '10.0.0.9' }] }],
    });
    expect(await new Ec2InstanceAddresses(new EC2Client({ region: 'us-east-1' })).privateIpOf('i-0abc')).toBe(
      '10.0.0.9',
    );
  });

  it('no such instance is undefined; other failures are InstanceLookupError', async () => {
    const addresses = new Ec2InstanceAddresses(new EC2Client({ region: 'us-east-1' }));
    ec2
      .on(DescribeInstancesCommand)
      .rejectsOnce(Object.assign(new Error('gone'), { name: 'InvalidInstanceID.NotFound' }));
    expect(await addresses.privateIpOf('i-0abc')).toBeUndefined();
    ec2
      .on(DescribeInstancesCommand)
      .rejectsOnce(Object.assign(new Error('denied'), { name: 'UnauthorizedOperation' }));
    await expect(addresses.privateIpOf('i-0abc')).rejects.toBeInstanceOf(InstanceLookupError);
  });

  it('a client provider is called at the first lookup, not before, and once', async () => {
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [{ InstanceId: 'i-0abc', PrivateIpAddress: '10.0.0.9' }] }],
    });
    let made = 0;
    const addresses = new Ec2InstanceAddresses(async () => {
      made++;
      return new EC2Client({ region: 'us-east-1' });
    });
    expect(made).toBe(0);
    expect(await addresses.privateIpOf('i-0abc')).toBe('10.0.0.9');
    expect(await addresses.privateIpOf('i-0abc')).toBe('10.0.0.9');
    expect(made).toBe(1);
  });

  it('a client provider that failed is asked again at the next lookup', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    let calls = 0;
    const addresses = new Ec2InstanceAddresses(async () => {
      calls++;
      if (calls === 1) throw new Error('no credentials yet');
      return new EC2Client({ region: 'us-east-1' });
    });
    await expect(addresses.privateIpOf('i-0abc')).rejects.toBeInstanceOf(InstanceLookupError);
    expect(await addresses.privateIpOf('i-0abc')).toBeUndefined();
    expect(calls).toBe(2);
  });
});

describe('instance addresses (in memory)', () => {
  it('answers the known address, undefined otherwise, and records each lookup', async () => {
    const addresses = new MemoryInstanceAddresses({ 'i-0abc': '10.0.0.9' });
    expect(await addresses.privateIpOf('i-0abc')).toBe('10.0.0.9');
    expect(await addresses.privateIpOf('i-0def')).toBeUndefined();
    expect(addresses.lookedUp).toEqual(['i-0abc', 'i-0def']);
  });
});

describe('teardown progress', () => {
  it('reads what a previous run handed over; anything unreadable starts over', () => {
    expect(readProgress({ lifecycleDone: true, connectorId: '7', other: 1 })).toMatchObject({
      lifecycleDone: true,
      connectorId: '7',
    });
    expect(readProgress({ lifecycleDone: 'yes' })).toEqual({});
    expect(readProgress(undefined)).toEqual({});
    expect(progressFields({ lifecycleDone: true, privateIp: '10.0.0.1', extra: 'x' } as never)).toEqual({
      lifecycleDone: true,
      privateIp: '10.0.0.1',
    });
  });
});
