import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AwsControlPlane, startAwsControlPlane } from '../../../local/services/aws-control-plane.ts';
import { Ec2InstanceAddresses } from '../../../shared/aws/ec2-instance-addresses.ts';
import { AwsLifecycleCompleter } from '../../../shared/intake/lifecycle-completer.ts';
import type { CanonicalRequestInput } from '../../../shared/requests/request.ts';
import type { ConnectorRecord } from '../../../simulator/index.ts';
import { type Harness, startHarness, TENANT } from '../worker/harness.ts';

let h: Harness;
let aws: AwsControlPlane;
let groupId: string;
let otherGroupId: string;
let seq = 0;
const awsConfig = () => ({
  endpoint: aws.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 1,
});

beforeAll(async () => {
  h = await startHarness({ config: { worker: { teardownGraceSeconds: 900, pollIntervalSeconds: 60 } } });
  [groupId, otherGroupId] = [...h.sim.state.appConnectorGroups.keys()] as [string, string];
  aws = await startAwsControlPlane();
  h.deps.services = {
    lifecycle: new AwsLifecycleCompleter(new AutoScalingClient(awsConfig())),
    instanceAddresses: new Ec2InstanceAddresses(new EC2Client(awsConfig())),
  };
});
afterAll(async () => {
  await aws?.stop();
  await h?.stop();
});
beforeEach(() => {
  h.sim.reset();
});

/** A terminating instance running a connected connector in `group`, with its pending lifecycle action. */
function instance(
  opts: { name?: string; group?: string; status?: ConnectorRecord['controlChannelStatus'] } = {},
) {
  seq++;
  const instanceId = `i-0${(0xabc000 + seq).toString(16)}def0123`;
  const privateIp = `10.20.0.${seq}`;
  const connector = h.sim.state.addConnector({
    groupId: opts.group ?? groupId,
    name: opts.name ?? `asg-connector-${seq}`,
    privateIp,
    controlChannelStatus: opts.status ?? 'ZPN_STATUS_AUTHENTICATED',
    currentVersion: '24.338.1',
  });
  aws.addInstance({ instanceId, privateIp });
  const lifecycle = {
    asgName: 'zpa-connectors',
    hookName: 'zcops-teardown',
    token: `tok-${seq}-0000-aaaa`,
    instanceId,
  };
  aws.addLifecycleAction(lifecycle);
  const request = (extra: Record<string, unknown> = {}): CanonicalRequestInput =>
    ({
      action: 'appConnector.teardown',
      tenant: TENANT,
      reason: 'scale-in',
      source: { kind: 'autoscaling', name: 'asg', ref: instanceId },
      provider: 'aws',
      instanceId,
      groupId: opts.group ?? groupId,
      lifecycle,
      ...extra,
    }) as CanonicalRequestInput;
  return { instanceId, privateIp, connector, lifecycle, request };
}

const types = async (requestId: string) => (await h.trail(requestId)).map((e) => e.type);

describe('autoscaling teardown end to end (simulator, dynalite, AWS control-plane stand-in)', () => {
  it('completes the lifecycle action first, waits for DISCONNECTED, then deletes the connector once', async () => {
    const t = instance();
    const r = await h.submit(t.request());

    // Run 1: private IP from EC2 (the event had none), CONTINUE at once, back on the queue.
    expect(await h.deliverNext()).toMatchObject({ kind: 'deferred' });
    expect(aws.completions).toContainEqual(expect.objectContaining({ ...t.lifecycle, result: 'CONTINUE' }));
    expect(aws.calls.filter((c) => c.action === 'DescribeInstances').length).toBeGreaterThan(0);
    expect(h.writes()).toEqual([]);
    let rec = await h.store.get(r.requestId);
    expect(rec).toMatchObject({ state: 'DEFERRED' });
    expect(rec?.result).toMatchObject({ lifecycleDone: true, privateIp: t.privateIp });

    // The instance is gone from EC2 by now; the address learned in run 1 is kept.
    aws.addInstance({ instanceId: t.instanceId, state: 'terminated' });
    // Run 2: the connector is still connected: defer by the poll interval, nothing deleted.
    expect(await h.deliverNext()).toMatchObject({ kind: 'deferred' });
    rec = await h.store.get(r.requestId);
    expect(rec?.stateReason).toContain('waiting for connector');
    expect(rec?.result).toMatchObject({ connectorId: t.connector.id });
    expect(h.writes()).toEqual([]);

    // The instance shuts down: its connector disconnects. Run 3 deletes it and confirms.
    h.sim.state.setConnectorStatus(t.connector.id, 'ZPN_STATUS_DISCONNECTED');
    const before = h.clock.now();
    expect(await h.deliverNext()).toMatchObject({ kind: 'settled', state: 'SUCCEEDED' });
    expect(h.clock.now() - before).toBeGreaterThanOrEqual(60_000);
    expect(h.writes()).toEqual([
      expect.stringMatching(new RegExp(`^DELETE .*/connector/${t.connector.id}$`)),
    ]);
    expect(h.sim.state.connectors.has(t.connector.id)).toBe(false);
    rec = await h.store.get(r.requestId);
    expect(rec?.result).toMatchObject({ deleted: t.connector.id, confirmed: true, lifecycleDone: true });
    expect(aws.completions.filter((c) => c.token === t.lifecycle.token)).toHaveLength(1);

    const trail = await types(r.requestId);
    expect(trail).toContain('lifecycle.completed');
    expect(trail.filter((x) => x === 'planned').length).toBe(3);
    expect(trail).toContain('succeeded');
    const completed = (await h.trail(r.requestId)).find((e) => e.type === 'lifecycle.completed');
    expect(completed?.detail).toMatchObject({
      result: 'CONTINUE',
      completed: true,
      instanceId: t.instanceId,
    });
    expect(completed?.resource).toBe(`${TENANT}:instance/${t.instanceId}`);
    // The token never lands in the audit.
    expect(JSON.stringify(await h.trail(r.requestId))).not.toContain(t.lifecycle.token);

    // A redelivered message changes nothing.
    await h.deps.queue.send({
      v: 1,
      requestId: r.requestId,
      tenant: TENANT,
      action: 'appConnector.teardown',
      enqueuedAt: new Date().toISOString(),
      deferrals: 0,
    });
    h.sim.reset();
    await h.drain();
    expect(h.writes()).toEqual([]);
  });

  it('uses the private IP of the event when given; an already DISCONNECTED connector goes on the second run', async () => {
    const t = instance({ status: 'ZPN_STATUS_DISCONNECTED' });
    const describesBefore = aws.calls.filter((c) => c.action === 'DescribeInstances').length;
    const r = await h.submit(t.request({ privateIp: t.privateIp }));
    await h.drain();
    expect((await h.store.get(r.requestId))?.state).toBe('SUCCEEDED');
    expect(aws.calls.filter((c) => c.action === 'DescribeInstances').length).toBe(describesBefore);
    expect(h.sim.state.connectors.has(t.connector.id)).toBe(false);
  });

  it('still connected after the grace period without force: FAILED with the reason, lifecycle completed, nothing deleted', async () => {
    const t = instance();
    const r = await h.submit(t.request());
    await h.drain({ max: 30 });
    const rec = await h.store.get(r.requestId);
    expect(rec?.state).toBe('FAILED');
    expect(rec?.error?.message).toMatch(/still connected 900 s after the termination; .*needs force/);
    expect(aws.completions.some((c) => c.token === t.lifecycle.token)).toBe(true);
    expect(h.sim.state.connectors.has(t.connector.id)).toBe(true);
    expect(h.writes()).toEqual([]);
  });

  it('a protected connector is never deleted, but the instance is released', async () => {
    const t = instance({ name: 'Do Not Delete - bastion connector', status: 'ZPN_STATUS_DISCONNECTED' });
    const r = await h.submit(t.request({ privateIp: t.privateIp }));
    await h.drain();
    const rec = await h.store.get(r.requestId);
    expect(rec?.state).toBe('REJECTED');
    expect(aws.completions.some((c) => c.token === t.lifecycle.token)).toBe(true);
    expect(h.sim.state.connectors.has(t.connector.id)).toBe(true);
    expect(await types(r.requestId)).toContain('guardrail');
  });

  it('no connector for the instance in its group: SUCCEEDED with nothing to delete', async () => {
    const t = instance({ group: otherGroupId });
    const r = await h.submit(t.request({ privateIp: t.privateIp, groupId }));
    await h.drain();
    const rec = await h.store.get(r.requestId);
    expect(rec?.state).toBe('SUCCEEDED');
    expect(rec?.result).toMatchObject({ connector: null, lifecycleDone: true });
    expect(h.writes()).toEqual([]);
  });

  it('a lifecycle action Auto Scaling no longer knows is recorded and the teardown goes on', async () => {
    const t = instance({ status: 'ZPN_STATUS_DISCONNECTED' });
    const r = await h.submit(
      t.request({ privateIp: t.privateIp, lifecycle: { ...t.lifecycle, token: 'tok-expired-0000' } }),
    );
    await h.drain();
    const rec = await h.store.get(r.requestId);
    expect(rec?.state).toBe('SUCCEEDED');
    expect(rec?.result).toMatchObject({
      lifecycleNote: expect.stringContaining('no active lifecycle action'),
    });
    const note = (await h.trail(r.requestId)).find((e) => e.type === 'lifecycle.completed');
    expect(note?.detail).toMatchObject({ completed: false });
  });

  it('a throttled completion is retried later, not failed', async () => {
    const t = instance({ status: 'ZPN_STATUS_DISCONNECTED' });
    aws.throttleNext('CompleteLifecycleAction', 1);
    const r = await h.submit(t.request({ privateIp: t.privateIp }));
    expect(await h.deliverNext()).toMatchObject({ kind: 'deferred' });
    expect((await h.store.get(r.requestId))?.stateReason).toContain('lifecycle action not completed yet');
    await h.drain();
    expect((await h.store.get(r.requestId))?.state).toBe('SUCCEEDED');
    expect(aws.completions.filter((c) => c.token === t.lifecycle.token)).toHaveLength(1);
  });

  it('dry-run plans the completion and the deletion and makes neither', async () => {
    const t = instance({ status: 'ZPN_STATUS_DISCONNECTED' });
    const r = await h.submit(t.request({ privateIp: t.privateIp, dryRun: true }));
    await h.drain();
    const rec = await h.store.get(r.requestId);
    expect(rec?.state).toBe('SUCCEEDED');
    expect(aws.completions.some((c) => c.token === t.lifecycle.token)).toBe(false);
    expect(h.sim.state.connectors.has(t.connector.id)).toBe(true);
    const planned = (await h.trail(r.requestId)).find((e) => e.type === 'planned');
    const ops = ((planned?.detail?.calls ?? []) as { operation: string }[]).map((c) => c.operation);
    expect(ops).toEqual(
      expect.arrayContaining(['autoscaling.completeLifecycleAction', 'appConnector.delete']),
    );
  });
});
