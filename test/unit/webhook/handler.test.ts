import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/webhook/handler.ts';
import { fixture, httpEvent, signedHeaders } from '../../fixtures/events/index.ts';
import { BOUND_GROUP, memoryDeps, quietObservability, SECRETS } from '../../fixtures/events/intake-setup.ts';

function setup() {
  const deps = memoryDeps();
  const handler = createHandler({ ...deps, ...quietObservability() });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return handler(httpEvent({ path, body: text, headers }));
  };
  const signed = (path: string, body: unknown, key: string = SECRETS.apiHmac, source = 'api', extra = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return post(path, text, { ...signedHeaders(key, text, deps.clock.now(), source), ...extra });
  };
  return { deps, handler, post, signed };
}

const del = {
  action: 'appConnector.delete',
  tenant: 'acme',
  reason: 'decommission',
  source: { ref: 'CHG0001' },
  connector: { id: '72057615512764537' },
};
const body = (answer: { body: string }) => JSON.parse(answer.body);

describe('webhook: POST /v1/requests', () => {
  it('202 with requestId and state for a signed valid request; the job is queued', async () => {
    const s = setup();
    const a = await s.signed('/v1/requests', del);
    expect(a.statusCode).toBe(202);
    expect(body(a)).toEqual({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), state: 'QUEUED' });
    expect(s.deps.queue.messages).toHaveLength(1);
  });

  it('accepts a bearer token, base64 bodies, and +json content types', async () => {
    const s = setup();
    const text = JSON.stringify({ ...del, idempotencyKey: 'b-1' });
    const a = await s.handler(
      httpEvent({
        path: '/v1/requests',
        body: text,
        base64: true,
        headers: {
          authorization: `Bearer ${SECRETS.apiBearer}`,
          'x-zcops-source': 'api',
          'content-type': 'application/vnd.zcops+json; charset=utf-8',
        },
      }),
    );
    expect(a.statusCode).toBe(202);
  });

  it('400 lists every issue with path and message; nothing is queued', async () => {
    const s = setup();
    const a = await s.signed('/v1/requests', {
      action: 'appConnector.delete',
      tenant: 'acme',
      connector: { id: 'x/../1' },
      bogus: 1,
    });
    expect(a.statusCode).toBe(400);
    const b = body(a);
    expect(b.error.code).toBe('invalid-request');
    expect(b.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      '(root)',
      'connector.id',
      'reason',
    ]);
    expect(b.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await s.signed('/v1/requests', '{"action":');
    expect(bad.statusCode).toBe(400);
    expect(body(bad).error.code).toBe('invalid-json');
    expect(s.deps.queue.messages).toHaveLength(0);
  });

  it('401: no credentials, bad signature, stale timestamp, wrong token, unknown source', async () => {
    const s = setup();
    const text = JSON.stringify(del);
    const now = s.deps.clock.now();
    const cases: [Record<string, string>, RegExp][] = [
      [{ 'x-zcops-source': 'api' }, /missing credentials/],
      [{ ...signedHeaders('wrong-key-wrong-key-wrong', text, now, 'api') }, /does not match/],
      [{ ...signedHeaders(SECRETS.apiHmac, text, now - 301_000, 'api') }, /replay window/],
      [{ ...signedHeaders(SECRETS.apiHmac, text, now + 301_000, 'api') }, /replay window/],
      [{ ...signedHeaders(SECRETS.apiHmac, `${text} `, now, 'api') }, /does not match/],
      [{ authorization: 'Bearer nope', 'x-zcops-source': 'api' }, /not valid/],
      [{ authorization: `Bearer ${SECRETS.apiBearer}`, 'x-zcops-source': 'ghost' }, /unknown source/],
      [{ authorization: `Bearer ${SECRETS.jiraBearer}`, 'x-zcops-source': 'api' }, /not valid/],
      [{ authorization: 'Basic abc', 'x-zcops-source': 'api' }, /Bearer/],
    ];
    for (const [headers, message] of cases) {
      const a = await s.post('/v1/requests', text, headers);
      expect(a.statusCode, JSON.stringify(headers)).toBe(401);
      expect(body(a).error.message).toMatch(message);
    }
    // A replay inside the window of the same signed body is answered as the same request.
    const headers = signedHeaders(SECRETS.apiHmac, text, now, 'api');
    const first = await s.post('/v1/requests', text, headers);
    const replay = await s.post('/v1/requests', text, headers);
    expect(replay.statusCode).toBe(200);
    expect(body(replay)).toMatchObject({ requestId: body(first).requestId, duplicate: true });
    expect(s.deps.queue.messages).toHaveLength(1);
  });

  it('403 on policy denials, naming the rule', async () => {
    const s = setup();
    const a = await s.signed('/v1/requests', { ...del, tenant: 'globex' });
    expect(a.statusCode).toBe(403);
    expect(body(a).error).toMatchObject({ code: 'forbidden', rule: 'tenant' });
    const group = {
      action: 'appConnectorGroup.create',
      tenant: 'acme',
      reason: 'r',
      group: { name: 'g', latitude: 1, longitude: 1, location: 'l' },
    };
    expect((await s.signed('/v1/requests', group)).statusCode).toBe(403);
    expect(s.deps.queue.messages).toHaveLength(0);
  });

  it('409 when an idempotency key is reused with another body; 200 with the original for a true duplicate', async () => {
    const s = setup();
    const first = await s.signed('/v1/requests', { ...del, idempotencyKey: 'k-1' });
    const dup = await s.signed('/v1/requests', { ...del, idempotencyKey: 'k-1' });
    expect(dup.statusCode).toBe(200);
    expect(body(dup)).toEqual({ requestId: body(first).requestId, state: 'QUEUED', duplicate: true });
    const conflict = await s.signed('/v1/requests', { ...del, idempotencyKey: 'k-1', reason: 'changed' });
    expect(conflict.statusCode).toBe(409);
    expect(body(conflict).error).toMatchObject({
      code: 'idempotency-conflict',
      originalRequestId: body(first).requestId,
    });
  });

  it('413 over the size cap, 415 for non-JSON, 404/405 for routes, 503 when the queue fails', async () => {
    const s = setup();
    const big = JSON.stringify({ ...del, reason: 'x'.repeat(70 * 1024) });
    expect((await s.signed('/v1/requests', big)).statusCode).toBe(413);
    const form = await s.signed('/v1/requests', del, SECRETS.apiHmac, 'api', {
      'content-type': 'text/plain',
    });
    expect(form.statusCode).toBe(415);
    expect((await s.signed('/v1/nope', del)).statusCode).toBe(404);
    const wrongMethod = await s.handler(httpEvent({ method: 'PUT', path: '/v1/requests', body: '' }));
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers?.allow).toBe('POST');
    s.deps.queue.failNext = 1;
    const down = await s.signed('/v1/requests', { ...del, idempotencyKey: 'k-9' });
    expect(down.statusCode).toBe(503);
    expect(down.headers?.['retry-after']).toBe('5');
    expect((await s.signed('/v1/requests', { ...del, idempotencyKey: 'k-9' })).statusCode).toBe(202);
  });

  it('400 for something that is not an API Gateway v2 event', async () => {
    const s = setup();
    expect((await s.handler({} as never)).statusCode).toBe(400);
  });
});

describe('webhook: ITSM hooks', () => {
  it('maps a ServiceNow change request (shared JSON secret) onto a group creation', async () => {
    const s = setup();
    const sn = fixture('servicenow-change.json');
    const a = await s.signed('/v1/hooks/servicenow', sn, SECRETS.snHmac, '');
    expect(a.statusCode).toBe(202);
    const record = await s.deps.store.get(body(a).requestId);
    expect(record?.request).toMatchObject({
      action: 'appConnectorGroup.create',
      tenant: 'acme',
      source: { kind: 'itsm', name: 'servicenow', ref: 'CHG0030001' },
      group: {
        name: 'SJC App Connectors',
        latitude: '37.3382082',
        upgradeDay: 'SUNDAY',
        upgradeTimeInSecs: '66600',
      },
      requestedBy: '6816f79cc0a8016401c5a33be04be441',
    });
    // The same ticket sent again is the same request.
    const again = await s.post('/v1/hooks/servicenow', JSON.stringify(sn), {
      authorization: `Bearer ${SECRETS.snBearer}`,
    });
    expect(body(again)).toMatchObject({ requestId: body(a).requestId, duplicate: true });
  });

  it('names the ServiceNow field in each issue', async () => {
    const s = setup();
    const sn = { ...fixture('servicenow-change.json'), u_latitude: '95', u_zcops_action: 'Frobnicate' };
    const a = await s.signed('/v1/hooks/servicenow', sn, SECRETS.snHmac, 'servicenow');
    expect(a.statusCode).toBe(400);
    expect(body(a).error.issues).toEqual([
      expect.objectContaining({ path: 'action', field: 'u_zcops_action' }),
    ]);
    const sn2 = { ...fixture('servicenow-change.json'), u_latitude: '95' };
    const b = await s.signed('/v1/hooks/servicenow', sn2, SECRETS.snHmac, 'servicenow');
    expect(body(b).error.issues).toEqual([
      expect.objectContaining({ path: 'group.latitude', field: 'u_latitude' }),
    ]);
  });

  it('maps a Jira issue webhook (bearer) onto a connector deletion', async () => {
    const s = setup();
    const a = await s.post('/v1/hooks/jira', JSON.stringify(fixture('jira-issue-updated.json')), {
      authorization: `Bearer ${SECRETS.jiraBearer}`,
    });
    expect(a.statusCode).toBe(202);
    const record = await s.deps.store.get(body(a).requestId);
    expect(record?.request).toMatchObject({
      action: 'appConnector.delete',
      connector: { by: 'id', id: '72057615512764537' },
      source: { ref: 'OPS-42', kind: 'itsm', name: 'jira' },
      reason: 'Remove App Connector of decommissioned VM',
      requestedBy: 'ada@example.com',
    });
  });

  it("403 when a source posts to another system's hook", async () => {
    const s = setup();
    const a = await s.post('/v1/hooks/servicenow', JSON.stringify(fixture('servicenow-change.json')), {
      authorization: `Bearer ${SECRETS.jiraBearer}`,
      'x-zcops-source': 'jira',
    });
    expect(a.statusCode).toBe(403);
  });
});

describe('webhook: generic teardown hook', () => {
  it('turns an Azure scale-in into a teardown request in the bound group', async () => {
    const s = setup();
    const hook = {
      tenant: 'acme',
      provider: 'azure',
      instanceId: '4f6c1b7e-1111-2222-3333-444455556666',
      privateIp: '10.1.2.3',
      groupId: BOUND_GROUP,
      scaleSet: 'vmss-connectors',
      eventId: 'evt-1',
    };
    const a = await s.signed('/v1/hooks/teardown', hook, SECRETS.genericHmac, '');
    expect(a.statusCode).toBe(202);
    const record = await s.deps.store.get(body(a).requestId);
    expect(record?.request).toMatchObject({
      action: 'appConnector.teardown',
      provider: 'azure',
      privateIp: '10.1.2.3',
    });
    const other = await s.signed(
      '/v1/hooks/teardown',
      { ...hook, groupId: '1', eventId: 'evt-2' },
      SECRETS.genericHmac,
      '',
    );
    expect(other.statusCode).toBe(403);
    const wrong = await s.signed('/v1/hooks/teardown', { ...hook, color: 'red' }, SECRETS.genericHmac, '');
    expect(wrong.statusCode).toBe(400);
    expect(body(wrong).error.issues[0].message).toMatch(/Unrecognized key/);
  });
});

describe('webhook: GET /v1/requests/{id}', () => {
  it('answers state and audit trail, redacting the lifecycle token', async () => {
    const s = setup();
    const created = body(await s.signed('/v1/requests', del));
    const get = (id: string, headers = signedHeaders(SECRETS.apiHmac, '', s.deps.clock.now(), 'api')) =>
      s.handler(httpEvent({ method: 'GET', path: `/v1/requests/${id}`, headers }));
    const a = await get(created.requestId);
    expect(a.statusCode).toBe(200);
    expect(body(a)).toMatchObject({
      requestId: created.requestId,
      state: 'QUEUED',
      action: 'appConnector.delete',
      ticket: 'CHG0001',
      audit: [{ type: 'received' }, { type: 'validated' }, { type: 'queued' }],
    });
    expect((await get(created.requestId.toUpperCase())).statusCode).toBe(200);
    expect((await get('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    for (const id of ['..%2F..%2Fetc', 'abc', '%E0%A4%A', 'x'.repeat(5000)]) {
      const r = await get(id);
      expect(r.statusCode, id).toBe(400);
      expect(body(r).error.issues[0].path).toBe('id');
    }
    expect((await s.handler(httpEvent({ method: 'GET', path: '/v1/requests/a/b' }))).statusCode).toBe(404);
    expect((await get(created.requestId, { 'x-zcops-source': 'api' })).statusCode).toBe(401);
    // Jira may act on every tenant, so it sees it; a source bound to other tenants would get 404.
    const jira = await get(created.requestId, {
      authorization: `Bearer ${SECRETS.jiraBearer}`,
      'x-zcops-source': 'jira',
    } as never);
    expect(jira.statusCode).toBe(200);
  });
});
