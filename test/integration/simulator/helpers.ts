import { Agent, request } from 'undici';
import type { RunningSimulator } from '../../../simulator/index.ts';
import { obfuscateApiKey, SIMULATOR_CREDENTIALS } from '../../../simulator/index.ts';

/** Where the simulator tests' manual clock starts (deterministic windows and expiries). */
export const SIM_START = Date.UTC(2025, 0, 15, 12, 0, 0);

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are inspected loosely.
  json: any;
}

/** A raw HTTP client over one keep-alive pool; `close()` it in afterAll. */
export function client(sim: RunningSimulator, options: { headersTimeout?: number } = {}) {
  const dispatcher = new Agent({ headersTimeout: options.headersTimeout ?? 10_000, keepAliveTimeout: 1000 });
  async function call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    init: { headers?: Record<string, string>; body?: string; json?: unknown } = {},
  ): Promise<Answer> {
    const headers = { ...init.headers };
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['content-type'] = 'application/json';
    }
    const res = await request(`${sim.url}${path}`, { method, headers, body, dispatcher });
    const text = await res.body.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, headers: res.headers, text, json };
  }
  return { call, close: () => dispatcher.close() };
}

const C = SIMULATOR_CREDENTIALS;
export const ZPA_BASE = `/mgmtconfig/v1/admin/customers/${C.zpa.customerId}`;
export const ONEAPI_ZPA_BASE = `/zpa${ZPA_BASE}`;

export type Client = ReturnType<typeof client>;

/** Legacy sign-in; returns the Authorization header. */
export async function zpaLogin(c: Client): Promise<Record<string, string>> {
  const r = await c.call('POST', '/signin', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `client_id=${encodeURIComponent(C.zpa.clientId)}&client_secret=${encodeURIComponent(C.zpa.clientSecret)}`,
  });
  if (r.status !== 200) throw new Error(`signin failed: ${r.status} ${r.text}`);
  return { authorization: `Bearer ${r.json.access_token}` };
}

/** OneAPI client-credentials token; returns the Authorization header. */
export async function oneApiLogin(c: Client): Promise<Record<string, string>> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: C.zpa.clientId,
    client_secret: C.zpa.clientSecret,
    audience: 'https://api.zscaler.com',
  });
  const r = await c.call('POST', '/oauth2/v1/token', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  if (r.status !== 200) throw new Error(`token failed: ${r.status} ${r.text}`);
  return { authorization: `Bearer ${r.json.access_token}` };
}

/** ZTW legacy session at the simulator's clock time; returns the Cookie header. */
export async function ztwLogin(c: Client, now: number): Promise<Record<string, string>> {
  const r = await c.call('POST', '/api/v1/auth', {
    json: {
      apiKey: obfuscateApiKey(C.ztw.apiKey, now),
      username: C.ztw.username,
      password: C.ztw.password,
      timestamp: now,
    },
  });
  if (r.status !== 200) throw new Error(`auth failed: ${r.status} ${r.text}`);
  const cookie = String(r.headers['set-cookie']).split(';')[0] ?? '';
  return { cookie };
}
