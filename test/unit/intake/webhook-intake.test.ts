import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  InvalidRequestIdError,
  MalformedBodyError,
  RouteNotAllowedError,
} from '../../../shared/intake/errors.ts';
import { JIRA_DELIVERY_HEADER } from '../../../shared/intake/translate.ts';
import { WebhookIntake } from '../../../shared/intake/webhook-intake.ts';
import {
  IntakeUnavailableError,
  RequestNotFoundError,
  RequestValidationError,
} from '../../../shared/requests/errors.ts';
import type { RequestStore } from '../../../shared/requests/request-store.ts';
import { SecretError } from '../../../shared/secrets/errors.ts';
import { MemorySecretSource } from '../../../shared/secrets/memory-secret-source.ts';
import { fixture, signedHeaders } from '../../fixtures/events/index.ts';
import { memoryDeps, SECRETS } from '../../fixtures/events/intake-setup.ts';

/** HTTP intake on in-memory stores: the calls the webhook's routes make. */
function setup() {
  const deps = memoryDeps();
  const intake = new WebhookIntake(deps);
  const call = (body: unknown, headers: Record<string, string>) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return { headers, body: Buffer.from(text) };
  };
  const signed = (body: unknown, key: string = SECRETS.apiHmac, source?: string) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return call(text, signedHeaders(key, text, deps.clock.now(), source));
  };
  const bearer = (body: unknown, token: string, extra: Record<string, string> = {}) =>
    call(body, { authorization: `Bearer ${token}`, ...extra });
  return { deps, intake, signed, bearer };
}

const del = {
  action: 'appConnector.delete',
  tenant: 'acme',
  reason: 'decommission',
  source: { ref: 'CHG0001' },
  connector: { id: '72057615512764537' },
};

describe('WebhookIntake.receive: authenticate, translate, accept', () => {
  it('accepts a canonical body for the source whose credential signed it, then answers the repeat as a duplicate', async () => {
    const s = setup();
    const first = await s.intake.receive('submit', s.signed(del));
    expect(first).toMatchObject({ outcome: 'accepted', state: 'QUEUED' });
    expect((await s.deps.store.get(first.requestId))?.sourceName).toBe('api');
    expect(s.deps.audit.events.find((e) => e.type === 'received')?.detail).toEqual({
      route: 'submit',
      bytes: JSON.stringify(del).length,
    });
    const again = await s.intake.receive('submit', s.signed(del));
    expect(again).toMatchObject({ outcome: 'duplicate', requestId: first.requestId });
    expect(s.deps.queue.messages).toHaveLength(1);
  });

  it('authenticates before reading the body: a stranger never learns the body is malformed', async () => {
    const s = setup();
    await expect(
      s.intake.receive('submit', { headers: {}, body: Buffer.from('{"action":') }),
    ).rejects.toThrow(AuthenticationError);
    const bad = s.intake.receive('submit', s.signed('{"action":'));
    await expect(bad).rejects.toThrow(MalformedBodyError);
    await expect(bad).rejects.toMatchObject({
      issues: [{ path: '(root)', message: expect.stringMatching(/^the body is not valid JSON \(/) }],
    });
    expect(s.deps.audit.events).toEqual([]);
  });

  it("holds a source to its channel: an ITSM hook is its own system's, the teardown hook an autoscaling source's", async () => {
    const s = setup();
    const sn = fixture('servicenow-change.json');
    await expect(s.intake.receive('servicenow', s.bearer(sn, SECRETS.jiraBearer))).rejects.toThrow(
      new RouteNotAllowedError('source jira is not configured for servicenow hooks'),
    );
    await expect(s.intake.receive('teardown', s.signed({}))).rejects.toThrow(
      new RouteNotAllowedError('source api is not an autoscaling source'),
    );
    expect(s.deps.queue.messages).toHaveLength(0);
  });

  it('translates an ITSM body through its mapping: issues name the ITSM field, the ticket dedupes', async () => {
    const s = setup();
    const bad = { ...fixture('servicenow-change.json'), u_latitude: '95' };
    const refused = s.intake.receive('servicenow', s.signed(bad, SECRETS.snHmac));
    await expect(refused).rejects.toThrow(RequestValidationError);
    await expect(refused).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'group.latitude', field: 'u_latitude' })],
    });
    const ok = await s.intake.receive(
      'servicenow',
      s.bearer(fixture('servicenow-change.json'), SECRETS.snBearer),
    );
    expect((await s.deps.store.get(ok.requestId))?.request).toMatchObject({
      action: 'appConnectorGroup.create',
      source: { kind: 'itsm', name: 'servicenow', ref: 'CHG0030001' },
    });
  });

  it('claims a Jira delivery id once, and refuses a malformed one naming the header', async () => {
    const s = setup();
    const jira = fixture('jira-issue-updated.json');
    const first = await s.intake.receive(
      'jira',
      s.bearer(jira, SECRETS.jiraBearer, { [JIRA_DELIVERY_HEADER]: 'd-1' }),
    );
    expect(first.outcome).toBe('accepted');
    const redelivered = await s.intake.receive(
      'jira',
      s.bearer(jira, SECRETS.jiraBearer, { [JIRA_DELIVERY_HEADER]: 'd-1' }),
    );
    expect(redelivered).toMatchObject({ outcome: 'duplicate', requestId: first.requestId });
    const bad = s.intake.receive(
      'jira',
      s.bearer(jira, SECRETS.jiraBearer, { [JIRA_DELIVERY_HEADER]: 'a b' }),
    );
    await expect(bad).rejects.toMatchObject({
      issues: [{ path: JIRA_DELIVERY_HEADER, message: expect.stringMatching(/printable ASCII/) }],
    });
  });

  it('turns a generic teardown hook into a teardown request of the autoscaling source', async () => {
    const s = setup();
    const hook = {
      tenant: 'acme',
      provider: 'gcp',
      instanceId: '1234567890123',
      privateIp: '10.1.2.3',
      groupId: '72057615512764441',
      eventId: 'evt-9',
    };
    const r = await s.intake.receive('teardown', s.signed(hook, SECRETS.genericHmac));
    expect((await s.deps.store.get(r.requestId))?.request).toMatchObject({
      action: 'appConnector.teardown',
      provider: 'gcp',
      idempotencyKey: 'teardown:evt-9',
      source: { kind: 'autoscaling', name: 'generic-scaling', ref: '1234567890123' },
    });
  });

  it("passes on a source secret that cannot be read (the caller may hold that source's credential)", async () => {
    const s = setup();
    const intake = new WebhookIntake({ ...s.deps, secrets: new MemorySecretSource({}) });
    await expect(intake.receive('submit', s.signed(del))).rejects.toThrow(SecretError);
  });
});

describe('WebhookIntake.lookUp: the visibility rule', () => {
  it('shows a request with its audit trail to a source that may act on its tenant, any id case', async () => {
    const s = setup();
    const { requestId } = await s.intake.receive('submit', s.signed(del));
    const view = await s.intake.lookUp(requestId.toUpperCase(), s.signed(''));
    expect(view).toMatchObject({
      requestId,
      state: 'QUEUED',
      tenant: 'acme',
      audit: [{ type: 'received' }, { type: 'validated' }, { type: 'queued' }],
    });
    // Jira may act on every tenant ('*').
    expect((await s.intake.lookUp(requestId, s.bearer('', SECRETS.jiraBearer))).requestId).toBe(requestId);
  });

  it('answers a request of a tenant the source may not act on as unknown', async () => {
    const s = setup();
    const { requestId } = await s.intake.receive('submit', s.signed(del));
    const record = (await s.deps.store.get(requestId))!;
    s.deps.store.requests.set(requestId, { ...record, tenant: 'globex' });
    await expect(s.intake.lookUp(requestId, s.signed(''))).rejects.toThrow(
      new RequestNotFoundError(requestId),
    );
    expect((await s.intake.lookUp(requestId, s.bearer('', SECRETS.jiraBearer))).tenant).toBe('globex');
  });

  it('refuses an id that is not a UUID naming `id`, and answers unavailable when the tables fail', async () => {
    const s = setup();
    await expect(s.intake.lookUp('../etc', s.signed(''))).rejects.toMatchObject({
      constructor: InvalidRequestIdError,
      issues: [{ path: 'id', message: expect.stringMatching(/UUID/) }],
    });
    await expect(s.intake.lookUp('00000000-0000-4000-8000-000000000000', s.signed(''))).rejects.toThrow(
      RequestNotFoundError,
    );
    const broken = {
      ...s.deps,
      store: { get: async () => Promise.reject(new Error('table down')) } as unknown as RequestStore,
    };
    await expect(
      new WebhookIntake(broken).lookUp('00000000-0000-4000-8000-000000000000', s.signed('')),
    ).rejects.toThrow(new IntakeUnavailableError('the requests table is unavailable; retry'));
    await expect(
      s.intake.lookUp('00000000-0000-4000-8000-000000000000', { headers: {}, body: Buffer.alloc(0) }),
    ).rejects.toThrow(AuthenticationError);
  });
});
