import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalConfigError } from '../../../local/errors.ts';
import { defaultLocalConfig } from '../../../local/local-config.ts';
import { type LocalStack, startLocalStack } from '../../../local/stack.ts';
import { type RunningSimulator, SIMULATOR_CREDENTIALS, startSimulator } from '../../../simulator/index.ts';
import { waitFor } from '../../fixtures/wait-for.ts';

/**
 * "Real tenant" mode, with a simulator standing in for the real tenant so the test stays offline:
 * the stack starts no simulator of its own, takes the credentials from the tenant file's text, and
 * without --live records every request as a dry run (planned and audited, nothing written).
 */
describe('the local stack against a real tenant', () => {
  let sim: RunningSimulator;
  let stack: LocalStack;
  const stateDir = mkdtempSync(join(tmpdir(), 'zcops-real-'));
  const credentials = JSON.stringify({
    acme: {
      zpa: {
        authType: 'legacy',
        clientId: SIMULATOR_CREDENTIALS.zpa.clientId,
        clientSecret: SIMULATOR_CREDENTIALS.zpa.clientSecret,
      },
    },
  });

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    stack = await startLocalStack({
      stateDir,
      port: 0,
      pollWaitSeconds: 1,
      schedules: false,
      config: defaultLocalConfig(sim.url),
      tenantCredentials: { text: credentials, origin: 'tenants.json' },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await sim?.stop();
  });

  it('runs no simulator of its own and defaults to dry-run', () => {
    expect(stack.simulator).toBeUndefined();
    expect(stack.tenantMode).toBe('real');
    expect(stack.forceDryRun).toBe(true);
    expect(stack.profile.forceDryRun).toBe(true);
  });

  it('a ticket asking for a group is planned and audited, and nothing is created', async () => {
    const token = readFileSync(join(stateDir, 'servicenow.token'), 'utf8');
    const headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'x-zcops-source': 'servicenow',
    };
    const before = sim.state.appConnectorGroups.size;
    const res = await fetch(`${stack.url}/v1/hooks/servicenow`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        number: 'CHG0060001',
        short_description: 'dry run please',
        u_zcops_action: 'Create App Connector group',
        u_zscaler_tenant: 'acme',
        u_group_name: 'Real Tenant Group',
        u_location: 'Paris, France',
        u_latitude: '48.85',
        u_longitude: '2.35',
      }),
    });
    expect(res.status).toBe(202);
    const { requestId } = (await res.json()) as { requestId: string };
    type View = { state: string; request: { dryRun?: boolean }; audit: { type: string }[] };
    const body = await waitFor(
      async () => {
        const view = (await (
          await fetch(`${stack.url}/v1/requests/${requestId}`, { headers })
        ).json()) as View;
        return ['SUCCEEDED', 'FAILED'].includes(view.state) && view;
      },
      { intervalMs: 100, what: `request ${requestId} to settle` },
    );
    expect(body.state).toBe('SUCCEEDED');
    expect(body.request.dryRun).toBe(true);
    expect(body.audit.map((e) => e.type)).toContain('planned');
    expect(sim.state.appConnectorGroups.size).toBe(before);
    expect(sim.callLog.some((c) => c.method === 'POST' && c.path.includes('appConnectorGroup'))).toBe(false);
  });

  it('credentials that do not fit are refused naming the field, never the value', async () => {
    await expect(
      startLocalStack({
        stateDir,
        port: 0,
        schedules: false,
        config: defaultLocalConfig(sim.url),
        tenantCredentials: {
          text: JSON.stringify({
            acme: { zpa: { authType: 'legacy', clientId: 'id-123456', clientSecret: '' } },
          }),
          origin: 'tenants.json',
        },
      }),
    ).rejects.toThrow(LocalConfigError);
    const err = await startLocalStack({
      stateDir,
      port: 0,
      schedules: false,
      config: defaultLocalConfig(sim.url),
      tenantCredentials: {
        text: JSON.stringify({
          acme: { zpa: { authType: 'legacy', clientId: 'id-123456', clientSecret: '' } },
        }),
        origin: 'tenants.json',
      },
    }).catch((e: Error) => e);
    expect((err as Error).message).toContain('acme.zpa.clientSecret');
    expect((err as Error).message).not.toContain('id-123456');
  });
});
