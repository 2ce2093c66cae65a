import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  ConflictError,
  NotFoundError,
  RateLimitedError,
  ResponseShapeError,
  RetryLaterError,
  TransientError,
  ValidationError,
} from '../../../shared/zscaler/errors.ts';
import { createZpaClient } from '../../../shared/zscaler/factory.ts';
import { fakeClock, recordingHooks, tenant } from './fakes.ts';

const ROOT = '/mgmtconfig/v1/admin/customers/123';
const token = { token_type: 'Bearer', access_token: 'tok-1', expires_in: '3600' };
const connector = { id: '217246660303024871', name: 'c1', enabled: true };

let agent: MockAgent;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(async () => {
  await agent.close();
});

function client(
  opts: {
    hooks?: ReturnType<typeof recordingHooks>;
    clock?: ReturnType<typeof fakeClock>;
    maxTotalWaitMs?: number;
  } = {},
) {
  const clock = opts.clock ?? fakeClock();
  return {
    clock,
    zpa: createZpaClient({
      tenant: tenant(),
      credentials: { authType: 'legacy', clientId: 'id', clientSecret: 's3cret' },
      clock,
      http: { dispatcher: agent },
      retry: { random: () => 0.5, baseDelayMs: 100, maxTotalWaitMs: opts.maxTotalWaitMs ?? 10_000 },
      ...(opts.hooks ? { hooks: opts.hooks } : {}),
    }),
  };
}

const pool = () => agent.get('http://zpa.test');
const signin = (body: object | string = token) =>
  pool().intercept({ path: '/signin', method: 'POST' }).reply(200, body);
/** A matcher that records what it sees and always matches. */
function seeing<T>(record: (value: T) => void): (value: T) => boolean {
  return (value) => {
    record(value);
    return true;
  };
}
const at = (suffix: string) => (p: string) => p.startsWith(`${ROOT}${suffix}`);

describe('ApiClient through the ZPA client (MockAgent, no network)', () => {
  it('signs in form-encoded, then sends the bearer token; hooks see every attempt with its rate class', async () => {
    let signinBody = '';
    pool()
      .intercept({
        path: '/signin',
        method: 'POST',
        body: seeing<string>((b) => {
          signinBody = b;
        }),
      })
      .reply(200, token);
    let auth: unknown;
    pool()
      .intercept({
        path: at('/connector/217246660303024871'),
        method: 'GET',
        headers: seeing<Record<string, string>>((h) => {
          auth = h.authorization;
        }),
      })
      .reply(200, connector);
    const hooks = recordingHooks(7);
    const { zpa } = client({ hooks });
    expect(await zpa.appConnectors.get('217246660303024871')).toMatchObject(connector);
    expect(signinBody).toBe('client_id=id&client_secret=s3cret');
    expect(auth).toBe('Bearer tok-1');
    expect(hooks.befores.map((c) => [c.operation, c.rateClass, c.method, c.attempt, c.idempotent])).toEqual([
      ['zpa.signin', 'none', 'POST', 1, true],
      ['appConnector.get', 'read', 'GET', 1, true],
    ]);
    expect(hooks.befores[1]?.path).toBe(`${ROOT}/connector/217246660303024871`);
    expect(hooks.befores.every((c) => c.tenant === 'acme' && c.api === 'zpa')).toBe(true);
    expect(hooks.afters.map((r) => [r.ok, r.status, r.limiterWaitMs])).toEqual([
      [true, 200, 7],
      [true, 200, 7],
    ]);
    // No secret in any call record.
    expect(JSON.stringify([hooks.befores, hooks.afters])).not.toMatch(/s3cret|tok-1/);
  });

  it('retries a GET after 429, honouring Retry-After as the floor, and reports each attempt', async () => {
    signin();
    pool()
      .intercept({ path: at('/connector/1'), method: 'GET' })
      .reply(
        429,
        { id: 'invalid.toomanyrequests', reason: 'Exceeded' },
        { headers: { 'retry-after': '2s' } },
      );
    pool()
      .intercept({ path: at('/connector/1'), method: 'GET' })
      .reply(200, { id: '1', name: 'c' });
    const hooks = recordingHooks();
    const { zpa, clock } = client({ hooks });
    await zpa.appConnectors.get('1');
    expect(clock.sleeps).toEqual([2_000]);
    const api = hooks.afters.filter((r) => r.call.operation === 'appConnector.get');
    expect(api.map((r) => [r.call.attempt, r.ok, r.status, r.errorClass, r.retryAfterMs])).toEqual([
      [1, false, 429, 'RateLimitedError', 2_000],
      [2, true, 200, undefined, undefined],
    ]);
  });

  it('defers with RetryLaterError(notBefore) instead of sleeping past the cap', async () => {
    signin();
    pool()
      .intercept({ path: at('/connector/1'), method: 'DELETE' })
      .reply(429, { id: 'invalid.toomanyrequests' }, { headers: { 'retry-after': '593' } });
    const { zpa, clock } = client();
    const start = clock.now();
    const err = await zpa.appConnectors.delete('1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLaterError);
    expect((err as RetryLaterError).notBefore).toBe(start + 593_000);
    expect((err as RetryLaterError).cause).toBeInstanceOf(RateLimitedError);
    expect(clock.sleeps).toEqual([]);
  });

  it('never retries a POST create on 503 or a reset: the TransientError surfaces after one attempt', async () => {
    signin();
    pool()
      .intercept({ path: at('/appConnectorGroup'), method: 'POST' })
      .reply(503, { id: 'retryable.server.error' });
    const hooks = recordingHooks();
    const { zpa } = client({ hooks });
    const body = { name: 'g', latitude: 1, longitude: 2, location: 'x' };
    await expect(zpa.appConnectorGroups.create(body)).rejects.toBeInstanceOf(TransientError);
    pool()
      .intercept({ path: at('/appConnectorGroup'), method: 'POST' })
      .replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    await expect(zpa.appConnectorGroups.create(body)).rejects.toBeInstanceOf(TransientError);
    // A 429 on create is not retried either: the job layer defers and looks up by name first.
    pool()
      .intercept({ path: at('/appConnectorGroup'), method: 'POST' })
      .reply(429, {}, { headers: { 'retry-after': '1' } });
    await expect(zpa.appConnectorGroups.create(body)).rejects.toBeInstanceOf(RateLimitedError);
    const creates = hooks.befores.filter((c) => c.operation === 'appConnectorGroup.create');
    expect(creates.map((c) => [c.attempt, c.idempotent, c.rateClass])).toEqual([
      [1, false, 'write'],
      [1, false, 'write'],
      [1, false, 'write'],
    ]);
  });

  it('sends the create body with defaults, enabled:true explicit, and parses the 201', async () => {
    signin();
    let sent: Record<string, unknown> = {};
    pool()
      .intercept({
        path: at('/appConnectorGroup'),
        method: 'POST',
        body: seeing<string>((b) => {
          sent = JSON.parse(b);
        }),
      })
      .reply(201, { id: '99', name: 'g', enabled: true });
    const { zpa } = client();
    const created = await zpa.appConnectorGroups.create({
      name: 'g',
      latitude: 1,
      longitude: 2,
      location: 'x',
    });
    expect(created.id).toBe('99');
    expect(sent).toMatchObject({
      enabled: true,
      upgradeDay: 'SUNDAY',
      upgradeTimeInSecs: '66600',
      latitude: '1',
    });
  });

  it('bulkDelete retries on 429/409 but not on 5xx', async () => {
    signin();
    pool()
      .intercept({ path: at('/connector/bulkDelete'), method: 'POST' })
      .reply(409, { id: 'api.concurrent.access.error' });
    pool()
      .intercept({ path: at('/connector/bulkDelete'), method: 'POST' })
      .reply(200, {});
    const { zpa } = client();
    await zpa.appConnectors.bulkDelete(['1', '2']);
    pool()
      .intercept({ path: at('/connector/bulkDelete'), method: 'POST' })
      .reply(500, {});
    await expect(zpa.appConnectors.bulkDelete(['1'])).rejects.toBeInstanceOf(TransientError);
    expect(agent.pendingInterceptors()).toEqual([]);
  });

  it('retries transient failures of idempotent calls until maxAttempts, then surfaces the error', async () => {
    signin();
    for (let i = 0; i < 4; i++)
      pool()
        .intercept({ path: at('/connector/1'), method: 'GET' })
        .reply(502, 'bad gateway');
    const { zpa, clock } = client();
    await expect(zpa.appConnectors.get('1')).rejects.toBeInstanceOf(TransientError);
    // Full jitter with random 0.5 and base 100: 50, 100, 200.
    expect(clock.sleeps).toEqual([50, 100, 200]);
  });

  it('a RetryLaterError from hooks.before propagates unchanged and no request is made', async () => {
    signin();
    const deferral = new RetryLaterError('limiter says later', 123, 'rate-limit');
    const hooks = recordingHooks();
    hooks.before = async (call) => {
      if (call.rateClass !== 'none') throw deferral;
      return 0;
    };
    const intercept = pool().intercept({ path: at('/connector/1'), method: 'DELETE' });
    intercept.reply(204, '');
    const { zpa } = client({ hooks });
    await expect(zpa.appConnectors.delete('1')).rejects.toBe(deferral);
    expect(agent.pendingInterceptors()).toHaveLength(1);
  });

  it('an after hook that throws does not fail the call', async () => {
    signin();
    pool()
      .intercept({ path: at('/connector/1'), method: 'DELETE' })
      .reply(204, '');
    const hooks = recordingHooks();
    hooks.after = () => {
      throw new Error('audit down');
    };
    const { zpa } = client({ hooks });
    await expect(zpa.appConnectors.delete('1')).resolves.toBeUndefined();
  });

  it('renews the token on 401 and repeats the call; a fresh token rejected twice in a row is an AuthError', async () => {
    signin({ ...token, access_token: 'old' });
    pool()
      .intercept({ path: at('/connector/1'), method: 'GET' })
      .reply(401, { id: 'authn.failed' });
    signin({ ...token, access_token: 'new' });
    let auth = '';
    pool()
      .intercept({
        path: at('/connector/1'),
        method: 'GET',
        headers: seeing<Record<string, string>>((h) => {
          auth = h.authorization ?? '';
        }),
      })
      .reply(200, { id: '1', name: 'c' });
    const { zpa } = client();
    await zpa.appConnectors.get('1');
    expect(auth).toBe('Bearer new');

    pool()
      .intercept({ path: at('/connector/2'), method: 'GET' })
      .reply(401, {});
    signin({ ...token, access_token: 'newer' });
    pool()
      .intercept({ path: at('/connector/2'), method: 'GET' })
      .reply(401, {});
    // One more renewal: an invalidation can race the renewal (the old client failed here).
    signin({ ...token, access_token: 'newest' });
    pool()
      .intercept({ path: at('/connector/2'), method: 'GET' })
      .reply(401, {});
    await expect(zpa.appConnectors.get('2')).rejects.toBeInstanceOf(AuthError);
    expect(agent.pendingInterceptors()).toEqual([]);
  });

  it('maps 404 and 400 resource.not.found on DELETE to NotFoundError, 409 to ConflictError after retries', async () => {
    signin();
    pool()
      .intercept({ path: at('/connector/1'), method: 'DELETE' })
      .reply(404, '');
    pool()
      .intercept({ path: at('/connector/2'), method: 'DELETE' })
      .reply(400, { id: 'resource.not.found' });
    for (let i = 0; i < 4; i++) {
      pool()
        .intercept({ path: at('/connector/3'), method: 'DELETE' })
        .reply(409, { id: 'api.concurrent.access.error' });
    }
    pool()
      .intercept({ path: at('/connector/4'), method: 'PUT' })
      .reply(400, { id: 'invalid.input', reason: 'bad', params: ['name'] });
    const { zpa } = client();
    await expect(zpa.appConnectors.delete('1')).rejects.toBeInstanceOf(NotFoundError);
    await expect(zpa.appConnectors.delete('2')).rejects.toBeInstanceOf(NotFoundError);
    await expect(zpa.appConnectors.delete('3')).rejects.toBeInstanceOf(ConflictError);
    await expect(zpa.appConnectors.update('4', { name: 'n' })).rejects.toMatchObject({
      name: 'ValidationError',
      id: 'invalid.input',
      params: ['name'],
    });
  });

  it('a body that does not match the schema is a ResponseShapeError', async () => {
    signin();
    pool()
      .intercept({ path: at('/connector/1'), method: 'GET' })
      .reply(200, { name: 'no id' });
    const { zpa } = client();
    const err = await zpa.appConnectors.get('1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect((err as ResponseShapeError).issues[0]?.path).toBe('id');
  });

  it('validates ids and bodies before any request', async () => {
    const { zpa } = client();
    await expect(zpa.appConnectors.get('../../admin')).rejects.toBeInstanceOf(ValidationError);
    await expect(zpa.appConnectors.delete('1?x=1')).rejects.toBeInstanceOf(ValidationError);
    await expect(zpa.appConnectors.get('1', { microtenantId: 'abc' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    const err = await zpa.appConnectorGroups
      .create({ name: 'g', latitude: 91, longitude: 2, location: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toMatch(/latitude: latitude must be a number between -90 and 90/);
    expect(agent.pendingInterceptors()).toEqual([]);
  });

  it('a non-JSON sign-in answer is an AuthError that says the tenant may have moved to OneAPI', async () => {
    pool().intercept({ path: '/signin', method: 'POST' }).reply(200, '<html>login moved</html>');
    const { zpa } = client();
    const err = await zpa.appConnectors.get('1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toMatch(/OneAPI/);
  });

  it('bad credentials at sign-in (400/401) are AuthError', async () => {
    pool().intercept({ path: '/signin', method: 'POST' }).reply(400, { id: 'invalid.credentials' });
    const { zpa } = client();
    await expect(zpa.appConnectors.get('1')).rejects.toBeInstanceOf(AuthError);
  });

  it('sends microtenantId and search as query parameters with %20', async () => {
    signin();
    let seen = '';
    pool()
      .intercept({
        path: (p) => {
          seen = p;
          return p.startsWith(`${ROOT}/connector?`);
        },
        method: 'GET',
      })
      .reply(200, { totalPages: '1', list: [connector] });
    const { zpa } = client();
    const items = [];
    for await (const c of zpa.appConnectors.search(
      [
        { field: 'controlChannelStatus', op: 'EQ', value: 'ZPN_STATUS_DISCONNECTED' },
        { field: 'lastBrokerDisconnectTimeDuration', op: 'GT', value: '15d' },
      ],
      { microtenantId: '0' },
    )) {
      items.push(c);
    }
    expect(items).toHaveLength(1);
    expect(seen).toBe(
      `${ROOT}/connector?page=1&pagesize=500&search=controlChannelStatus%20EQ%20ZPN_STATUS_DISCONNECTED%20AND%20lastBrokerDisconnectTimeDuration%20GT%2015d&microtenantId=0`,
    );
  });
});
