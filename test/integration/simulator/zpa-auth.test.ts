import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../simulator/index.ts';
import { SIMULATOR_CREDENTIALS, startSimulator } from '../../../simulator/index.ts';
import { manualClock } from '../../fixtures/manual-clock.ts';
import {
  type Client,
  client,
  ONEAPI_ZPA_BASE,
  oneApiLogin,
  SIM_START,
  ZPA_BASE,
  zpaLogin,
} from './helpers.ts';

const C = SIMULATOR_CREDENTIALS.zpa;
const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('ZPA authentication', () => {
  const clock = manualClock(SIM_START);
  let sim: RunningSimulator;
  let c: Client;
  beforeAll(async () => {
    sim = await startSimulator({ clock, rateLimits: false, tokenTtlSeconds: 3600, timeScale: 2 });
    c = client(sim);
  });
  afterAll(async () => {
    await c.close();
    await sim.stop();
  });

  it('signs in with form credentials and answers expires_in as a string (scaled)', async () => {
    const r = await c.call('POST', '/signin', {
      headers: form,
      body: `client_id=${C.clientId}&client_secret=${C.clientSecret}`,
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ token_type: 'Bearer', expires_in: '1800' });
    expect(typeof r.json.access_token).toBe('string');
  });

  it('rejects bad legacy credentials with 401', async () => {
    const r = await c.call('POST', '/signin', {
      headers: form,
      body: `client_id=${C.clientId}&client_secret=nope`,
    });
    expect(r.status).toBe(401);
    expect(r.json.id).toBe('authn.failed');
    expect(r.text).not.toContain(C.clientSecret);
  });

  it('issues OneAPI tokens with a numeric expires_in and OAuth2 errors', async () => {
    const ok = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: C.clientId,
      client_secret: C.clientSecret,
      audience: 'https://api.zscaler.com',
    });
    const r = await c.call('POST', '/oauth2/v1/token', { headers: form, body: ok.toString() });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ token_type: 'Bearer', expires_in: 1800 });

    const badGrant = new URLSearchParams(ok);
    badGrant.set('grant_type', 'password');
    expect(
      (await c.call('POST', '/oauth2/v1/token', { headers: form, body: badGrant.toString() })).json.error,
    ).toBe('unsupported_grant_type');
    const noAudience = new URLSearchParams(ok);
    noAudience.delete('audience');
    const r2 = await c.call('POST', '/oauth2/v1/token', { headers: form, body: noAudience.toString() });
    expect(r2.status).toBe(400);
    expect(r2.json.error).toBe('invalid_request');
    const badSecret = new URLSearchParams(ok);
    badSecret.set('client_secret', 'x');
    const r3 = await c.call('POST', '/oauth2/v1/token', { headers: form, body: badSecret.toString() });
    expect(r3.status).toBe(401);
    expect(r3.json.error).toBe('invalid_client');
  });

  it('requires a bearer token and keeps legacy and OneAPI tokens apart', async () => {
    expect((await c.call('GET', `${ZPA_BASE}/connector`)).status).toBe(401);
    const legacy = await zpaLogin(c);
    const oneapi = await oneApiLogin(c);
    expect((await c.call('GET', `${ZPA_BASE}/connector`, { headers: legacy })).status).toBe(200);
    expect((await c.call('GET', `${ONEAPI_ZPA_BASE}/connector`, { headers: oneapi })).status).toBe(200);
    const cross = await c.call('GET', `${ONEAPI_ZPA_BASE}/connector`, { headers: legacy });
    expect(cross.status).toBe(401);
    expect(cross.json.id).toBe('invalid.token');
    expect((await c.call('GET', `${ZPA_BASE}/connector`, { headers: oneapi })).status).toBe(401);
  });

  it('answers 403 for another customer id', async () => {
    const h = await zpaLogin(c);
    const r = await c.call('GET', '/mgmtconfig/v1/admin/customers/1234/connector', { headers: h });
    expect(r.status).toBe(403);
    expect(r.json.id).toBe('authz.failed');
  });

  it('expires tokens after the (scaled) TTL', async () => {
    const h = await zpaLogin(c);
    clock.advance(1799_000);
    expect((await c.call('GET', `${ZPA_BASE}/connector`, { headers: h })).status).toBe(200);
    clock.advance(1000);
    const r = await c.call('GET', `${ZPA_BASE}/connector`, { headers: h });
    expect(r.status).toBe(401);
    expect(r.json.id).toBe('invalid.token');
  });

  it('logs auth calls as unlimited and never logs the token', async () => {
    const entry = sim.callLog.find((e) => e.path === '/signin');
    expect(entry).toMatchObject({ api: 'auth', rateClass: 'none', status: 200 });
    const authed = sim.callLog.find((e) => e.api === 'zpa' && e.status === 200);
    expect(authed?.tenant).toBe(C.customerId);
    expect(authed?.sessionId).toMatch(/^t\d+$/);
    expect(JSON.stringify(sim.callLog)).not.toContain(C.clientSecret);
  });
});
