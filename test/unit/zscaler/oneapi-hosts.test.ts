import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { TenantCredentialsSchema } from '../../../shared/config/tenant.ts';
import { AuthError } from '../../../shared/zscaler/errors.ts';
import { closeAll, createZpaClient } from '../../../shared/zscaler/factory.ts';
import { oneApiHosts, zpaUrls, ztwApiRoot } from '../../../shared/zscaler/urls.ts';
import { oneApiTokenUrl } from '../../../shared/zscaler/zpa/auth/oneapi-token.ts';
import { fakeClock, tenant } from './fakes.ts';

const hostless = tenant({
  zpa: { cloud: 'PRODUCTION', customerId: '123' },
  ztw: { cloud: 'zscalertwo.net' },
});

describe('OneAPI hosts per cloud', () => {
  it('production: <vanity>.zslogin.net and api.zsapi.net', () => {
    expect(oneApiHosts('acme')).toEqual({
      tokenUrl: 'https://acme.zslogin.net/oauth2/v1/token',
      apiBase: 'https://api.zsapi.net',
    });
    expect(oneApiHosts('acme', 'PRODUCTION')).toEqual(oneApiHosts('acme'));
    expect(zpaUrls(hostless, 'oneapi').apiRoot).toBe(
      'https://api.zsapi.net/zpa/mgmtconfig/v1/admin/customers/123',
    );
    expect(ztwApiRoot(hostless, 'oneapi')).toBe('https://api.zsapi.net/ztw/api/v1');
  });

  it('another cloud: <vanity>.zslogin<cloud>.net and api.<cloud>.zsapi.net', () => {
    expect(oneApiHosts('acme', 'beta')).toEqual({
      tokenUrl: 'https://acme.zsloginbeta.net/oauth2/v1/token',
      apiBase: 'https://api.beta.zsapi.net',
    });
    expect(zpaUrls(hostless, 'oneapi', 'beta').apiRoot).toBe(
      'https://api.beta.zsapi.net/zpa/mgmtconfig/v1/admin/customers/123',
    );
    expect(ztwApiRoot(hostless, 'oneapi', 'beta')).toBe('https://api.beta.zsapi.net/ztw/api/v1');
    // Legacy hosts do not move with the OneAPI cloud.
    expect(zpaUrls(hostless, 'legacy', 'beta').apiRoot).toMatch(/^https:\/\/config\.private\.zscaler\.com\//);
    expect(oneApiTokenUrl({ clientId: 'i', clientSecret: 's', vanityDomain: 'acme', cloud: 'beta' })).toBe(
      'https://acme.zsloginbeta.net/oauth2/v1/token',
    );
  });

  it('the credentials name the cloud; a bad cloud or vanity names its field', () => {
    const base = { authType: 'oneapi', clientId: 'i', clientSecret: 's', vanityDomain: 'acme' };
    expect(TenantCredentialsSchema.parse({ zpa: { ...base, cloud: 'BETA' } }).zpa).toMatchObject({
      cloud: 'beta',
    });
    expect(TenantCredentialsSchema.parse({ zpa: { ...base, cloud: 'PRODUCTION' } }).zpa).toMatchObject({
      cloud: '',
    });
    const bad = TenantCredentialsSchema.safeParse({
      zpa: { ...base, cloud: 'beta.net', vanityDomain: 'https://acme' },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['zpa.cloud', 'zpa.vanityDomain']));
  });

  it('the client asks the cloud token host, then the cloud API gateway', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://acme.zsloginbeta.net')
      .intercept({ path: '/oauth2/v1/token', method: 'POST' })
      .reply(200, { access_token: 't', token_type: 'Bearer', expires_in: 3600 });
    agent
      .get('https://api.beta.zsapi.net')
      .intercept({ path: '/zpa/mgmtconfig/v1/admin/customers/123/connector/1', method: 'GET' })
      .reply(200, { id: '1', name: 'c', description: null });
    const zpa = createZpaClient({
      tenant: hostless,
      credentials: {
        authType: 'oneapi',
        clientId: 'i',
        clientSecret: 's',
        vanityDomain: 'acme',
        cloud: 'beta',
        audience: 'https://api.zscaler.com',
      },
      clock: fakeClock(),
      http: { dispatcher: agent },
    });
    expect(await zpa.appConnectors.get('1')).toMatchObject({ id: '1', name: 'c' });
    expect(agent.pendingInterceptors()).toEqual([]);
    await closeAll();
    await agent.close();
  });

  it('a refusal that echoes the secret is masked', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://acme.zslogin.net')
      .intercept({ path: '/oauth2/v1/token', method: 'POST' })
      .reply(400, { error: 'invalid_request', error_description: 'client_secret s3cr3t-value is malformed' });
    const zpa = createZpaClient({
      tenant: hostless,
      credentials: {
        authType: 'oneapi',
        clientId: 'i',
        clientSecret: 's3cr3t-value',
        vanityDomain: 'acme',
        audience: 'https://api.zscaler.com',
      },
      clock: fakeClock(),
      http: { dispatcher: agent },
    });
    const err = await zpa.appConnectors.get('1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toContain('invalid_request: client_secret *** is malformed');
    expect((err as Error).message).not.toContain('s3cr3t-value');
    expect((err as AuthError).reason).not.toContain('s3cr3t-value');
    await closeAll();
    await agent.close();
  });
});
