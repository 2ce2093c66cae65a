import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLocalConfig, onSimulator } from '../../../local/local-config.ts';
import { simulatorTenantSecrets } from '../../../local/secrets.ts';
import { TenantCredentialsSchema } from '../../../shared/config/tenant.ts';
import { closeAll, createZtwClient } from '../../../shared/zscaler/factory.ts';
import { type RunningSimulator, startSimulator } from '../../../simulator/index.ts';

/**
 * Found by the chaos run: every ecVm.delete on the local stack failed "POST /auth answered 404: No
 * API serves /auth". A tenant's `ztw.baseUrl` is the Cloud & Branch Connector API root (…/api/v1
 * for the legacy session API), unlike `zpa.baseUrl`, which is a host; the local configuration
 * pointed it at the simulator's bare URL.
 */
describe('the local stack reaches the simulator’s Cloud & Branch Connector API', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 'docs', rateLimits: false });
  });
  afterAll(async () => {
    await closeAll();
    await sim?.stop();
  });

  it.each([
    ['the default local configuration', () => defaultLocalConfig(sim.url)],
    [
      'a configuration moved onto the simulator',
      () => onSimulator(defaultLocalConfig('https://x.invalid'), sim.url),
    ],
  ])('%s: a ZTW session opens and lists ecgroups', async (_name, config) => {
    const c = config();
    const tenant = c.tenants[0]!;
    const credentials = TenantCredentialsSchema.parse(simulatorTenantSecrets(c)[tenant.secretName]);
    const ztw = createZtwClient({ tenant, credentials: credentials.ztw! });
    const groups = [];
    for await (const g of ztw.listEcGroups()) groups.push(g);
    await ztw.close();
    expect(groups.length).toBeGreaterThan(0);
  });
});
