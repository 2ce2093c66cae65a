import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningHttpServer,
  startLocalHttpServer,
  type TerminatingInstance,
} from '../../../local/http-server.ts';
import { LifecycleDetailSchema } from '../../../shared/intake/lifecycle-event.ts';
import { ScheduleEventSchema } from '../../../shared/intake/schedule-event.ts';

describe('the local HTTP server (API Gateway and EventBridge stand-in)', () => {
  let server: RunningHttpServer;
  const apiEvents: APIGatewayProxyEventV2[] = [];
  const busEvents: Record<string, unknown>[] = [];
  const terminating: TerminatingInstance[] = [];
  const lines: string[] = [];

  beforeAll(async () => {
    server = await startLocalHttpServer({
      port: 0,
      webhook: async (event) => {
        apiEvents.push(event);
        return {
          statusCode: 202,
          headers: { 'content-type': 'application/json', 'x-seen': event.rawPath },
          body: JSON.stringify({ requestId: 'r-1', state: 'QUEUED' }),
        };
      },
      events: async (event) => {
        busEvents.push(event as Record<string, unknown>);
        return { outcome: 'accepted', requestId: 'r-2' };
      },
      terminateDefaults: {
        asgName: 'zpa-app-connectors',
        metadata: { tenant: 'acme', groupId: '72057615512764441' },
      },
      onTerminate: (t) => terminating.push(t),
      log: (l) => lines.push(l),
    });
  });
  afterAll(() => server.stop());

  it('turns /v1/* into an API Gateway v2 event and writes the structured result back', async () => {
    const res = await fetch(`${server.url}/v1/hooks/servicenow?dry=1`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer abc',
        'x-zcops-source': 'servicenow',
      },
      body: '{"number":"CHG1"}',
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-seen')).toBe('/v1/hooks/servicenow');
    expect(await res.json()).toEqual({ requestId: 'r-1', state: 'QUEUED' });
    const e = apiEvents.at(-1)!;
    expect(e).toMatchObject({
      version: '2.0',
      rawPath: '/v1/hooks/servicenow',
      rawQueryString: 'dry=1',
      body: '{"number":"CHG1"}',
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST', path: '/v1/hooks/servicenow' }, stage: '$default' },
    });
    expect(e.headers.authorization).toBe('Bearer abc');
    expect(e.headers['x-zcops-source']).toBe('servicenow');
    expect(e.requestContext.http.sourceIp).toBe('127.0.0.1');
    expect(lines.some((l) => l.startsWith('POST /v1/hooks/servicenow → 202'))).toBe(true);
  });

  it('POST /local/asg/terminate emits a terminate lifecycle event with the defaults', async () => {
    const res = await fetch(`${server.url}/local/asg/terminate`, {
      method: 'POST',
      body: JSON.stringify({ instanceId: 'i-0123456789abcdef0', connectorName: 'aws-{instanceId}' }),
    });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { result: unknown }).result).toEqual({
      outcome: 'accepted',
      requestId: 'r-2',
    });
    const e = busEvents.at(-1)!;
    expect(e['detail-type']).toBe('EC2 Instance-terminate Lifecycle Action');
    const detail = LifecycleDetailSchema.parse(e.detail);
    expect(detail.AutoScalingGroupName).toBe('zpa-app-connectors');
    expect(JSON.parse(detail.NotificationMetadata!)).toEqual({
      tenant: 'acme',
      groupId: '72057615512764441',
      connectorName: 'aws-{instanceId}',
    });
  });

  it('tells onTerminate the instance, its hook and the token the event carries, before emitting it', async () => {
    const res = await fetch(`${server.url}/local/asg/terminate`, {
      method: 'POST',
      body: JSON.stringify({ instanceId: 'i-0abcdef0123456789', privateIp: '10.1.2.3', hookName: 'h-1' }),
    });
    expect(res.status).toBe(202);
    const detail = LifecycleDetailSchema.parse(busEvents.at(-1)!.detail);
    expect(terminating.at(-1)).toEqual({
      asgName: 'zpa-app-connectors',
      hookName: 'h-1',
      instanceId: 'i-0abcdef0123456789',
      token: detail.LifecycleActionToken,
      privateIp: '10.1.2.3',
    });
    const before = busEvents.length;
    for (const privateIp of ['10.1.2', '300.1.2.3', 7]) {
      const bad = await fetch(`${server.url}/local/asg/terminate`, {
        method: 'POST',
        body: JSON.stringify({ instanceId: 'i-0abcdef0123456789', privateIp }),
      });
      expect(bad.status).toBe(400);
    }
    expect(busEvents.length).toBe(before);
  });

  it('POST /local/schedule/run emits a Scheduler event', async () => {
    const res = await fetch(`${server.url}/local/schedule/run`, {
      method: 'POST',
      body: '{"tenant":"acme"}',
    });
    expect(res.status).toBe(202);
    const parsed = ScheduleEventSchema.parse(busEvents.at(-1));
    expect(parsed.detail.tenant).toBe('acme');
  });

  it('answers bad local requests with 400/404/405 and never reaches the handlers', async () => {
    const before = busEvents.length;
    expect((await fetch(`${server.url}/local/asg/terminate`, { method: 'POST', body: '{}' })).status).toBe(
      400,
    );
    expect((await fetch(`${server.url}/local/asg/terminate`, { method: 'POST', body: 'nope' })).status).toBe(
      400,
    );
    expect((await fetch(`${server.url}/local/schedule/run`, { method: 'POST', body: '{}' })).status).toBe(
      400,
    );
    expect((await fetch(`${server.url}/local/asg/terminate`)).status).toBe(405);
    expect((await fetch(`${server.url}/local/elsewhere`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${server.url}/local/health`)).status).toBe(200);
    expect(busEvents.length).toBe(before);
  });
});
