import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../../local/stack.ts';
import { WorkerMetrics } from '../../../shared/worker/worker-metrics.ts';
import { waitFor } from '../../fixtures/wait-for.ts';

describe('the local stack', () => {
  let stack: LocalStack;
  const stateDir = mkdtempSync(join(tmpdir(), 'zcops-stack-'));
  const lines: string[] = [];
  const fired: unknown[] = [];

  beforeAll(async () => {
    stack = await startLocalStack({
      stateDir,
      port: 0,
      pollWaitSeconds: 1,
      scheduleEveryMs: 1_000,
      onScheduleFired: (_t, r) => fired.push(r),
      print: (l) => lines.push(l),
    });
  });
  afterAll(() => stack?.stop());

  it('writes its profile for the CLI and the functions get the runtime configuration', () => {
    const profile = JSON.parse(readFileSync(join(stateDir, 'local.json'), 'utf8'));
    expect(profile).toMatchObject({
      v: 1,
      kind: 'local',
      pid: process.pid,
      tables: { requests: 'zcops-requests' },
    });
    expect(profile.config.tenants[0].name).toBe('acme');
    expect(stack.environment).toMatchObject({
      REQUESTS_TABLE: 'zcops-requests',
      ZCOPS_SECRETS_SOURCE: 'local',
    });
    expect(JSON.parse(stack.environment.ZCOPS_CONFIG!).tenants[0].zpa.baseUrl).toBe(stack.simulator!.url);
    // The running worker is wired as Lambda's: bounded Zscaler calls with the configured attempts, metrics.
    const { zscalerTimeoutSeconds: seconds, zscalerMaxAttempts } = stack.config.worker;
    expect(stack.deps.worker.client).toEqual({
      http: {
        connectTimeoutMs: Math.min(10, seconds) * 1000,
        headersTimeoutMs: seconds * 1000,
        bodyTimeoutMs: seconds * 1000,
      },
      retry: { maxAttempts: zscalerMaxAttempts },
    });
    expect(stack.deps.worker.metrics).toBeInstanceOf(WorkerMetrics);
    // Secrets stay in files, never in the profile.
    expect(readFileSync(join(stateDir, 'local.json'), 'utf8')).not.toContain(
      readFileSync(join(stateDir, 'servicenow.token'), 'utf8'),
    );
  });

  it('the printed first request works: a ServiceNow ticket creates a group, followed through GET /v1/requests/{id}', async () => {
    const token = readFileSync(join(stateDir, 'servicenow.token'), 'utf8');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const res = await fetch(`${stack.url}/v1/hooks/servicenow`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        number: 'CHG0031337',
        short_description: 'App Connectors for Lyon',
        u_zcops_action: 'Create App Connector group',
        u_zscaler_tenant: 'acme',
        u_group_name: 'Lyon App Connectors',
        u_location: 'Lyon, France',
        u_latitude: '45.764',
        u_longitude: '4.8357',
      }),
    });
    expect(res.status).toBe(202);
    const { requestId } = (await res.json()) as { requestId: string };
    const done = await waitFor(async () => {
      // A GET fits every source: the caller names itself.
      const r = await fetch(`${stack.url}/v1/requests/${requestId}`, {
        headers: { ...headers, 'x-zcops-source': 'servicenow' },
      });
      const body = (await r.json()) as { state: string; audit: { type: string }[] };
      return body.state === 'SUCCEEDED' ? body : undefined;
    });
    expect(done.audit.map((e) => e.type)).toContain('zscaler.call');
    expect(
      [...stack.simulator!.state.appConnectorGroups.values()].some((g) => g.name === 'Lyon App Connectors'),
    ).toBe(true);
    // The progress line is printed when the outcome is audited, a moment after the state is written.
    expect(await waitFor(async () => (lines.some((l) => l.includes('SUCCEEDED')) ? true : undefined))).toBe(
      true,
    );
    // The ticket callback reaches the ServiceNow stand-in and is printed from its side.
    const notes = await waitFor(async () => {
      const n = stack.itsm!.servicenow.notes('CHG0031337');
      return n.length > 0 ? n : undefined;
    });
    expect(notes[0]!.value).toContain('appConnectorGroup.create completed (SUCCEEDED)');
    // Printed once the callback is audited, a moment after the stand-in received it.
    const printed =
      'itsm stand-in: ServiceNow change_request CHG0031337 got a work_notes entry: "zcops: appConnectorGroup.create completed (SUCCEEDED)"';
    expect(await waitFor(async () => (lines.includes(printed) ? true : undefined))).toBe(true);
  });

  it('a terminating instance: EC2 answers its IP, the lifecycle action completes on the stand-in, the connector goes', async () => {
    const cp = stack.controlPlane!;
    expect(stack.environment).toMatchObject({
      AWS_ENDPOINT_URL_AUTO_SCALING: cp.endpoint,
      AWS_ENDPOINT_URL_EC2: cp.endpoint,
    });
    const connector = stack.simulator!.state.addConnector({
      name: 'found-by-ip',
      groupId: '72057615512764441',
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
      privateIp: '10.9.8.7',
    });
    const result = (await stack.emitTerminate({
      instanceId: 'i-0aa11bb22cc33dd44',
      privateIp: '10.9.8.7',
    })) as {
      outcome: string;
    };
    expect(result.outcome).toBe('accepted');
    await waitFor(async () => (stack.simulator!.state.connectors.has(connector.id) ? undefined : true));
    expect(cp.completions).toEqual([
      expect.objectContaining({
        instanceId: 'i-0aa11bb22cc33dd44',
        asgName: 'zpa-app-connectors',
        result: 'CONTINUE',
      }),
    ]);
    expect(cp.calls.map((c) => `${c.action} ${c.status}`)).toEqual([
      'DescribeInstances 200',
      'CompleteLifecycleAction 200',
    ]);
    expect(
      lines.some((l) => l.startsWith('aws stand-in: i-0aa11bb22cc33dd44 (10.9.8.7) is terminating')),
    ).toBe(true);
  });

  it('an unauthenticated call answers 401 and nothing is queued', async () => {
    const res = await fetch(`${stack.url}/v1/requests`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(401);
  });

  it('the schedule fires Scheduler events into the events function', async () => {
    const first = await waitFor(async () => fired[0]);
    expect(first).toMatchObject({ outcome: 'accepted' });
  });

  it('stops cleanly and removes its profile', async () => {
    await stack.stop();
    expect(existsSync(join(stateDir, 'local.json'))).toBe(false);
    expect(stack.eventSource.running).toBe(false);
    await expect(fetch(`${stack.url}/local/health`)).rejects.toThrow();
  });
});
