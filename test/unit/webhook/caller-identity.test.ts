import { describe, expect, it } from 'vitest';
import { AcceptedAnswerSchema, ErrorAnswerSchema } from '../../../functions/webhook/answers.ts';
import { createHandler } from '../../../functions/webhook/handler.ts';
import { sign, signBody } from '../../../shared/core/webhook-signature.ts';
import { loadIntakeConfig } from '../../../shared/intake/config.ts';
import { fixture, httpEvent } from '../../fixtures/events/index.ts';
import { memoryDeps, quietObservability, RAW_CONFIG, SECRETS } from '../../fixtures/events/intake-setup.ts';

/** The Jira webhook secret, as typed into Jira's System > WebHooks form. */
const JIRA_WEBHOOK_SECRET = 'jira-webhook-secret-0f0e0d0c0b0a';

/** The test config, with the Jira source also holding an HMAC key (Jira's own webhook secret). */
function setup(mutate: (raw: typeof RAW_CONFIG) => void = () => {}) {
  const deps = memoryDeps();
  const raw = structuredClone(RAW_CONFIG);
  const jira = raw.sources.find((s) => s.name === 'jira')!;
  jira.auth = { bearerSecretName: 'zcops/sources/jira', hmacSecretName: 'zcops/sources/jira-hmac' } as never;
  mutate(raw);
  deps.secrets.set('zcops/sources/jira-hmac', JIRA_WEBHOOK_SECRET);
  const config = loadIntakeConfig(raw);
  const handler = createHandler({ ...deps, config, ...quietObservability() });
  const call = (path: string, text: string, headers: Record<string, string>) =>
    handler(httpEvent({ path, body: text, headers }));
  return { deps, handler, call };
}

const cleanup = {
  action: 'appConnector.cleanup',
  tenant: 'acme',
  reason: 'weekly',
  disconnectedFor: '15d',
};
const json = (a: { body: string }) => JSON.parse(a.body);

/** Headers Jira Cloud sends with a webhook delivery configured with a secret. */
function jiraHeaders(secret: string, body: string, delivery: string): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'x-hub-signature': signBody(secret, body),
    'x-atlassian-webhook-identifier': delivery,
    'user-agent': 'Atlassian Webhook HTTP Client',
  };
}

describe('a caller is identified by its credential', () => {
  it('a bearer token alone reaches its source (no X-Zcops-Source)', async () => {
    const s = setup();
    const text = JSON.stringify({ ...cleanup, idempotencyKey: 'bearer-only' });
    const a = await s.call('/v1/requests', text, { authorization: `Bearer ${SECRETS.apiBearer}` });
    expect(a.statusCode).toBe(202);
    const id = AcceptedAnswerSchema.parse(json(a)).requestId;
    expect((await s.deps.store.get(id))?.sourceName).toBe('api');
  });

  it('an HMAC signature alone reaches its source', async () => {
    const s = setup();
    const text = JSON.stringify({ ...cleanup, idempotencyKey: 'hmac-only' });
    const ts = String(Math.floor(s.deps.clock.now() / 1000));
    const a = await s.call('/v1/requests', text, {
      'x-zcops-timestamp': ts,
      'x-zcops-signature': sign(SECRETS.apiHmac, ts, text),
    });
    expect(a.statusCode).toBe(202);
    expect((await s.deps.store.get(json(a).requestId))?.sourceName).toBe('api');
    // ServiceNow's key, without any header, finds ServiceNow's source.
    const sn = JSON.stringify(fixture('servicenow-change.json'));
    const b = await s.call('/v1/hooks/servicenow', sn, {
      'x-zcops-timestamp': ts,
      'x-zcops-signature': sign(SECRETS.snHmac, ts, sn),
    });
    expect(b.statusCode).toBe(202);
    expect((await s.deps.store.get(json(b).requestId))?.sourceName).toBe('servicenow');
  });

  it('refuses a credential no source holds, and one that two sources hold unless the header names one', async () => {
    const s = setup((raw) => {
      // A second api source sharing the first one's bearer secret.
      raw.sources.push({ ...structuredClone(raw.sources[0]!), name: 'api-copy' });
    });
    const text = JSON.stringify(cleanup);
    const wrong = await s.call('/v1/requests', text, { authorization: 'Bearer not-a-token-of-anyone' });
    expect(wrong.statusCode).toBe(401);
    expect(ErrorAnswerSchema.parse(json(wrong)).error.code).toBe('unauthenticated');
    const both = await s.call('/v1/requests', text, { authorization: `Bearer ${SECRETS.apiBearer}` });
    expect(both.statusCode).toBe(401);
    expect(json(both).error.message).toMatch(/several sources \(api, api-copy\).*x-zcops-source/);
    const hinted = await s.call('/v1/requests', text, {
      authorization: `Bearer ${SECRETS.apiBearer}`,
      'x-zcops-source': 'api-copy',
    });
    expect(hinted.statusCode).toBe(202);
    expect((await s.deps.store.get(json(hinted).requestId))?.sourceName).toBe('api-copy');
  });

  it('a source whose secret cannot be read does not lock the others out', async () => {
    const s = setup((raw) => {
      raw.sources.push({
        ...structuredClone(raw.sources[0]!),
        name: 'broken',
        auth: { bearerSecretName: 'missing/secret' },
      } as never);
    });
    const a = await s.call('/v1/requests', JSON.stringify(cleanup), {
      authorization: `Bearer ${SECRETS.apiBearer}`,
    });
    expect(a.statusCode).toBe(202);
    // No source matched and one could not be checked: the caller may hold that one's token (503, retry).
    const b = await s.call('/v1/requests', JSON.stringify(cleanup), {
      authorization: 'Bearer nobody-has-this-token',
    });
    expect(b.statusCode).toBe(503);
  });
});

describe("Jira Cloud's own webhook", () => {
  const issue = fixture('jira-issue-updated.json');
  const text = JSON.stringify(issue);

  it('a delivery signed as Jira signs it is accepted; a tampered one is refused with 401', async () => {
    const s = setup();
    const ok = await s.call('/v1/hooks/jira', text, jiraHeaders(JIRA_WEBHOOK_SECRET, text, 'd-1'));
    expect(ok.statusCode).toBe(202);
    expect((await s.deps.store.get(json(ok).requestId))?.ticket).toBe('OPS-42');

    const tampered = text.replace('72057615512764537', '72057615512764538');
    const bad = await s.call('/v1/hooks/jira', tampered, jiraHeaders(JIRA_WEBHOOK_SECRET, text, 'd-2'));
    expect(bad.statusCode).toBe(401);
    expect(json(bad).error.message).toMatch(/x-hub-signature does not match/);
    const wrongSecret = await s.call(
      '/v1/hooks/jira',
      text,
      jiraHeaders('another-secret-entirely', text, 'd-3'),
    );
    expect(wrongSecret.statusCode).toBe(401);
    expect(s.deps.queue.messages).toHaveLength(1);
  });

  it('a redelivery with the same identifier answers the original; the identifier with another body is a conflict', async () => {
    const s = setup();
    const first = await s.call('/v1/hooks/jira', text, jiraHeaders(JIRA_WEBHOOK_SECRET, text, 'delivery-7'));
    expect(first.statusCode).toBe(202);
    const again = await s.call('/v1/hooks/jira', text, jiraHeaders(JIRA_WEBHOOK_SECRET, text, 'delivery-7'));
    expect(again.statusCode).toBe(200);
    expect(json(again)).toEqual({ requestId: json(first).requestId, state: 'QUEUED', duplicate: true });
    // The delivery key is what answers: another ticket under the same delivery id is refused.
    const other = structuredClone(issue) as { issue: { key: string } };
    other.issue.key = 'OPS-43';
    const otherText = JSON.stringify(other);
    const conflict = await s.call(
      '/v1/hooks/jira',
      otherText,
      jiraHeaders(JIRA_WEBHOOK_SECRET, otherText, 'delivery-7'),
    );
    expect(conflict.statusCode).toBe(409);
    expect(json(conflict).error).toMatchObject({
      code: 'idempotency-conflict',
      originalRequestId: json(first).requestId,
    });
    // A new delivery about the same ticket, action and target is still the same request.
    const resent = await s.call('/v1/hooks/jira', text, jiraHeaders(JIRA_WEBHOOK_SECRET, text, 'delivery-8'));
    expect(json(resent)).toMatchObject({ requestId: json(first).requestId, duplicate: true });
    const audit = await s.deps.audit.byRequest(json(first).requestId);
    expect(audit.find((e) => e.type === 'received')?.detail).toMatchObject({ deliveryId: 'delivery-7' });
    expect(s.deps.queue.messages).toHaveLength(1);
  });

  it('the body-only signature is refused on other routes, and a malformed identifier is a 400', async () => {
    const s = setup();
    const body = JSON.stringify(cleanup);
    const a = await s.call('/v1/requests', body, { 'x-hub-signature': signBody(JIRA_WEBHOOK_SECRET, body) });
    expect(a.statusCode).toBe(401);
    expect(json(a).error.message).toMatch(/\/v1\/hooks\/jira only/);
    const b = await s.call('/v1/hooks/jira', text, jiraHeaders(JIRA_WEBHOOK_SECRET, text, 'has space'));
    expect(b.statusCode).toBe(400);
    expect(json(b).error.issues[0].path).toBe('x-atlassian-webhook-identifier');
  });
});
