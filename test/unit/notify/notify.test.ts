import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../../shared/notify/backoff.ts';
import { deliverJira, deliverServiceNow } from '../../../shared/notify/channels.ts';
import { parseNotifySettings } from '../../../shared/notify/config.ts';
import { authorizationHeader, loadCallbackAuth } from '../../../shared/notify/credentials.ts';
import {
  CallbackCredentialsError,
  NotifyConfigError,
  TicketNotFoundError,
} from '../../../shared/notify/errors.ts';
import type { HttpCall, HttpSend } from '../../../shared/notify/http.ts';
import { outcomeOf, outcomeText } from '../../../shared/notify/message.ts';
import { MemorySecretSource } from '../../../shared/secrets/memory-secret-source.ts';
import { settledRecord } from './record.ts';

const retry = { attempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, timeoutMs: 1000 };

describe('notify settings', () => {
  it('applies defaults', () => {
    const s = parseNotifySettings({
      callbacks: [
        { kind: 'servicenow', source: 'sn', instanceUrl: 'https://acme.service-now.com', secretName: 'x' },
      ],
    });
    expect(s.callbacks[0]).toMatchObject({ table: 'change_request', field: 'work_notes' });
    expect(s.retry).toEqual({ attempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, timeoutMs: 10_000 });
    expect(s.notifyOn).toEqual(['SUCCEEDED', 'FAILED', 'REJECTED', 'DEAD_LETTERED', 'HELD']);
    expect(parseNotifySettings(undefined).callbacks).toEqual([]);
  });

  it('names every bad field', () => {
    try {
      parseNotifySettings({
        callbacks: [
          { kind: 'jira', source: 'j', baseUrl: 'ftp://x', secretName: 's' },
          { kind: 'servicenow', source: 'sn', instanceUrl: 'https://x', table: 'bad table', secretName: 's' },
        ],
        retry: { attempts: 0 },
        notifyOn: ['RUNNING'],
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NotifyConfigError);
      const paths = (e as NotifyConfigError).issues.map((i) => i.path);
      expect(paths).toEqual(
        expect.arrayContaining(['callbacks.0.baseUrl', 'callbacks.1.table', 'retry.attempts', 'notifyOn.0']),
      );
    }
  });
});

describe('notify settings: one callback per source', () => {
  it('refuses a source with two callbacks', () => {
    expect(() =>
      parseNotifySettings({
        callbacks: [
          { kind: 'jira', source: 'j', baseUrl: 'https://x', secretName: 's' },
          { kind: 'generic', source: 'j', url: 'https://x', secretName: 's' },
        ],
      }),
    ).toThrow(/callbacks\.1\.source: source "j" has two callbacks/);
  });
});

describe('back-off', () => {
  it('full jitter under an exponential ceiling, capped, never below Retry-After', () => {
    expect(backoffMs(retry, 1, undefined, () => 0.999)).toBe(499);
    expect(backoffMs(retry, 3, undefined, () => 0.5)).toBe(1000);
    expect(backoffMs(retry, 10, undefined, () => 0.999)).toBe(9990);
    expect(backoffMs(retry, 1, 3000, () => 0)).toBe(3000);
    expect(backoffMs(retry, 1, 60_000, () => 0)).toBe(10_000);
  });
});

describe('outcome text', () => {
  it('headline, request, reason and a bounded result', () => {
    const text = outcomeText(
      outcomeOf(
        settledRecord({
          state: 'FAILED',
          error: { message: 'protected name' },
          result: { ids: 'x'.repeat(3000) },
        }),
      ),
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('zcops: appConnector.delete failed (FAILED)');
    expect(lines).toContain('Reason: protected name');
    expect(text.length).toBeLessThan(1700);
    expect(text).toContain('…');
  });
});

describe('callback credentials', () => {
  const secrets = new MemorySecretSource({
    sn: { username: 'u', password: 'secret-password' },
    tok: { token: 'bearer-token-value' },
    jira: { email: 'e@x', apiToken: 'jira-api-token' },
    key: 'plain-hmac-key',
    bad: { nope: true },
  });

  it('reads each kind’s shapes', async () => {
    expect(await loadCallbackAuth(secrets, 'servicenow', 'sn')).toEqual({
      type: 'basic',
      username: 'u',
      password: 'secret-password',
    });
    expect(await loadCallbackAuth(secrets, 'jira', 'tok')).toEqual({
      type: 'bearer',
      token: 'bearer-token-value',
    });
    expect(await loadCallbackAuth(secrets, 'jira', 'jira')).toMatchObject({ type: 'basic', username: 'e@x' });
    expect(await loadCallbackAuth(secrets, 'generic', 'key')).toEqual({
      type: 'hmac',
      key: 'plain-hmac-key',
    });
    expect(authorizationHeader({ type: 'basic', username: 'a', password: 'b' })).toBe(`Basic ${btoa('a:b')}`);
  });

  it('a wrong shape names the secret, never the value', async () => {
    const e = await loadCallbackAuth(secrets, 'servicenow', 'bad').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CallbackCredentialsError);
    expect((e as Error).message).toContain('bad');
    expect((e as Error).message).not.toContain('nope');
  });
});

describe('channels (fake transport)', () => {
  function fake(answers: { status: number; json?: unknown }[]): HttpSend & { calls: HttpCall[] } {
    const calls: HttpCall[] = [];
    const send = (async (call: HttpCall) => {
      calls.push(call);
      const a = answers.shift() ?? { status: 200 };
      return { status: a.status, json: a.json };
    }) as HttpSend & { calls: HttpCall[] };
    send.calls = calls;
    return send;
  }
  const sn = {
    kind: 'servicenow' as const,
    source: 'sn',
    instanceUrl: 'https://acme.service-now.com/',
    table: 'change_request',
    field: 'work_notes' as const,
    secretName: 's',
  };
  const ctx = (send: HttpSend) => ({
    send,
    auth: { type: 'bearer' as const, token: 't' },
    timeoutMs: 1000,
    nowMs: 0,
  });

  it('ServiceNow refuses a ticket that could extend the encoded query', async () => {
    const send = fake([]);
    const message = outcomeOf(settledRecord({ ticket: 'CHG1^ORnumber!=x' }));
    await expect(deliverServiceNow(sn, message, ctx(send))).rejects.toBeInstanceOf(TicketNotFoundError);
    expect(send.calls).toHaveLength(0);
  });

  it('ServiceNow: lookup then PATCH of the found sys_id', async () => {
    const sysId = 'a'.repeat(32);
    const send = fake([
      { status: 200, json: { result: [{ sys_id: sysId }] } },
      { status: 200, json: {} },
    ]);
    const done = await deliverServiceNow(sn, outcomeOf(settledRecord()), ctx(send));
    expect(done).toEqual({ status: 200, ref: sysId });
    expect(send.calls[0]?.url).toBe(
      'https://acme.service-now.com/api/now/table/change_request?sysparm_query=number%3DCHG0030001&sysparm_fields=sys_id&sysparm_limit=1',
    );
    expect(send.calls[1]).toMatchObject({
      method: 'PATCH',
      url: `https://acme.service-now.com/api/now/table/change_request/${sysId}`,
    });
    expect(JSON.parse(send.calls[1]?.body ?? '{}').work_notes).toContain('Request: req-0001');
  });

  it('ServiceNow: no record found is TicketNotFoundError', async () => {
    const send = fake([{ status: 200, json: { result: [] } }]);
    await expect(deliverServiceNow(sn, outcomeOf(settledRecord()), ctx(send))).rejects.toBeInstanceOf(
      TicketNotFoundError,
    );
  });

  it('Jira refuses keys that are not issue keys; v3 sends ADF', async () => {
    const jira = {
      kind: 'jira' as const,
      source: 'j',
      baseUrl: 'https://x.atlassian.net',
      apiVersion: '3' as const,
      secretName: 's',
    };
    await expect(
      deliverJira(jira, outcomeOf(settledRecord({ ticket: '../../admin' })), ctx(fake([]))),
    ).rejects.toBeInstanceOf(TicketNotFoundError);
    const send = fake([{ status: 201, json: { id: '10001' } }]);
    expect(await deliverJira(jira, outcomeOf(settledRecord({ ticket: 'OPS-1' })), ctx(send))).toEqual({
      status: 201,
      ref: '10001',
    });
    const body = JSON.parse(send.calls[0]?.body ?? '{}');
    expect(body.body.type).toBe('doc');
    expect(send.calls[0]?.url).toBe('https://x.atlassian.net/rest/api/3/issue/OPS-1/comment');
  });
});
