import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ItsmStandIns, startItsmStandIns } from '../../../local/services/itsm-stand-ins.ts';
import { MemoryAuditLog } from '../../../shared/audit/memory-audit-log.ts';
import { parseNotifySettings } from '../../../shared/notify/config.ts';
import { TicketNotifier } from '../../../shared/notify/ticket-notifier.ts';
import { MemorySecretSource } from '../../../shared/secrets/memory-secret-source.ts';
import { manualClock } from '../../fixtures/manual-clock.ts';
import { settledRecord } from '../../unit/notify/record.ts';

let itsm: ItsmStandIns;
let secrets: MemorySecretSource;
let audit: MemoryAuditLog;
/** Starts at the real time; back-off sleeps are recorded and skipped (the stand-ins answer at once). */
const clock = manualClock(Date.now());
const sleeps = clock.sleeps;

beforeAll(async () => {
  itsm = await startItsmStandIns();
  secrets = new MemorySecretSource({
    'zcops/itsm/servicenow': itsm.credentials.servicenow,
    'zcops/itsm/servicenow-oauth': itsm.credentials.servicenowToken,
    'zcops/itsm/jira': itsm.credentials.jira,
    'zcops/itsm/generic': itsm.credentials.generic,
  });
  itsm.servicenow.addRecord('change_request', 'CHG0030001');
  itsm.servicenow.addRecord('sc_req_item', 'RITM0010001');
  itsm.jira.addIssue('OPS-42');
});
afterAll(async () => {
  await itsm.stop();
});
beforeEach(() => {
  audit = new MemoryAuditLog();
  sleeps.length = 0;
  for (const s of [itsm.servicenow, itsm.jira, itsm.generic]) {
    s.received.length = 0;
    s.failNext(0);
  }
});

function notifier(retryAttempts = 3) {
  const settings = parseNotifySettings({
    callbacks: [
      {
        kind: 'servicenow',
        source: 'servicenow',
        instanceUrl: itsm.servicenow.url,
        secretName: 'zcops/itsm/servicenow',
      },
      {
        kind: 'servicenow',
        source: 'servicenow-ritm',
        instanceUrl: itsm.servicenow.url,
        table: 'sc_req_item',
        secretName: 'zcops/itsm/servicenow-oauth',
      },
      { kind: 'jira', source: 'jira', baseUrl: itsm.jira.url, secretName: 'zcops/itsm/jira' },
      {
        kind: 'jira',
        source: 'jira-dc',
        baseUrl: itsm.jira.url,
        apiVersion: '2',
        secretName: 'zcops/itsm/jira',
      },
      {
        kind: 'generic',
        source: 'hook',
        url: `${itsm.generic.url}/zcops/outcome`,
        secretName: 'zcops/itsm/generic',
      },
    ],
    retry: { attempts: retryAttempts, baseDelayMs: 100, maxDelayMs: 2000, timeoutMs: 2000 },
  });
  return new TicketNotifier({ settings, secrets, audit, clock, random: () => 0.5 });
}

const callbacks = () => audit.events.filter((e) => e.type === 'callback');

describe('ticket callbacks over loopback', () => {
  it('ServiceNow: finds the change by number and writes a work note (basic auth)', async () => {
    const report = await notifier().notify(settledRecord());
    expect(report).toMatchObject({ channel: 'servicenow', ok: true, attempts: 1, status: 200 });
    const notes = itsm.servicenow.notes('CHG0030001');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.field).toBe('work_notes');
    expect(notes[0]?.value).toContain('zcops: appConnector.delete completed (SUCCEEDED)');
    expect(notes[0]?.value).toContain('Request: req-0001');
    const [lookup, patch] = itsm.servicenow.received;
    expect(lookup?.method).toBe('GET');
    expect(decodeURIComponent(lookup?.query ?? '')).toContain('sysparm_query=number=CHG0030001');
    expect(patch?.method).toBe('PATCH');
    expect(patch?.path).toMatch(/^\/api\/now\/table\/change_request\/[0-9a-f]{32}$/);
    expect(callbacks()).toHaveLength(1);
    expect(callbacks()[0]).toMatchObject({
      requestId: 'req-0001',
      ticket: 'CHG0030001',
      detail: { channel: 'servicenow', ok: true, attempts: 1, state: 'SUCCEEDED' },
    });
  });

  it('knows from the trail whether it already told a settlement (for a redelivery after a crash)', async () => {
    const n = notifier();
    const held = settledRecord({ state: 'HELD', result: undefined });
    const done = settledRecord();
    expect(n.alreadyTold(done, [])).toBe(false);
    await n.notify(held);
    // A HELD request's callback does not count for its later final state.
    expect(
      n.alreadyTold(
        done,
        audit.events.filter((e) => e.requestId === done.requestId),
      ),
    ).toBe(false);
    await n.notify(done);
    expect(
      n.alreadyTold(
        done,
        audit.events.filter((e) => e.requestId === done.requestId),
      ),
    ).toBe(true);
    // A source without a callback has nothing to tell.
    expect(n.alreadyTold(settledRecord({ sourceName: 'no-such-source' }), [])).toBe(true);
  });

  it('ServiceNow with an OAuth token on another table; a HELD request is told too', async () => {
    const record = settledRecord({
      sourceName: 'servicenow-ritm',
      ticket: 'RITM0010001',
      state: 'HELD',
      stateReason: 'guardrail:deletion-cap: 20 deletions in the last hour',
      result: undefined,
    });
    const report = await notifier().notify(record);
    expect(report?.ok).toBe(true);
    expect(itsm.servicenow.notes('RITM0010001')[0]?.value).toContain('is held for approval (HELD)');
    expect(itsm.servicenow.received[0]?.headers.authorization).toMatch(/^Bearer /);
  });

  it('Jira v3: an ADF comment; Jira v2: plain text', async () => {
    const failed = settledRecord({
      sourceName: 'jira',
      ticket: 'OPS-42',
      state: 'FAILED',
      error: { message: 'connector 1 is protected ("do not delete")' },
      result: undefined,
    });
    expect(await notifier().notify(failed)).toMatchObject({ channel: 'jira', ok: true, status: 201 });
    expect(await notifier().notify({ ...failed, sourceName: 'jira-dc' })).toMatchObject({ ok: true });
    const comments = itsm.jira.comments('OPS-42');
    expect(comments.map((c) => c.apiVersion)).toEqual(['3', '2']);
    for (const c of comments) {
      expect(c.text).toContain('zcops: appConnector.delete failed (FAILED)');
      expect(c.text).toContain('Reason: connector 1 is protected ("do not delete")');
    }
  });

  it('generic: a signed POST the receiver can verify', async () => {
    const report = await notifier().notify(settledRecord({ sourceName: 'hook', ticket: 'EXT-1' }));
    expect(report).toMatchObject({ channel: 'generic', ok: true, status: 204 });
    expect(itsm.generic.deliveries).toHaveLength(1);
    expect(itsm.generic.deliveries[0]).toMatchObject({
      signatureValid: true,
      body: { type: 'zcops.request.settled', requestId: 'req-0001', state: 'SUCCEEDED', ticket: 'EXT-1' },
    });
  });

  it('retries 503s with back-off (honouring Retry-After) and then succeeds', async () => {
    itsm.jira.failNext(2, 503, '1');
    const record = settledRecord({ sourceName: 'jira', ticket: 'OPS-42' });
    const report = await notifier(4).notify(record);
    expect(report).toMatchObject({ ok: true, attempts: 3 });
    expect(sleeps).toEqual([1000, 1000]);
    expect(itsm.jira.received.map((r) => r.status)).toEqual([503, 503, 201]);
  });

  it('a callback that keeps failing is audited as failed after the last attempt', async () => {
    itsm.servicenow.failNext(10, 500);
    const report = await notifier(3).notify(settledRecord());
    expect(report).toMatchObject({ ok: false, attempts: 3, status: 500 });
    expect(sleeps).toHaveLength(2);
    expect(callbacks()[0]?.detail).toMatchObject({ ok: false, attempts: 3, status: 500 });
  });

  it('4xx (bad credentials, unknown ticket) is not retried; failures never throw', async () => {
    secrets.set('zcops/itsm/jira-bad', { email: 'zcops@example.com', apiToken: 'wrong-token-value' });
    const settings = parseNotifySettings({
      callbacks: [
        { kind: 'jira', source: 'jira', baseUrl: itsm.jira.url, secretName: 'zcops/itsm/jira-bad' },
      ],
    });
    const bad = new TicketNotifier({ settings, secrets, audit, clock });
    const report = await bad.notify(settledRecord({ sourceName: 'jira', ticket: 'OPS-42' }));
    expect(report).toMatchObject({ ok: false, attempts: 1, status: 401 });
    const unknown = await notifier().notify(settledRecord({ ticket: 'CHG9999999' }));
    expect(unknown).toMatchObject({ ok: false, attempts: 1 });
    expect(unknown?.error).toContain('TicketNotFoundError');
    // Nothing in the audit carries a credential.
    const text = JSON.stringify(audit.events);
    expect(text).not.toContain('wrong-token-value');
    expect(text).not.toContain(JSON.parse(itsm.credentials.jira).apiToken);
  });

  it('an unreachable callback URL is retried, then audited; nothing else happens', async () => {
    const settings = parseNotifySettings({
      callbacks: [
        { kind: 'generic', source: 'hook', url: 'http://127.0.0.1:9/down', secretName: 'zcops/itsm/generic' },
      ],
      retry: { attempts: 2, baseDelayMs: 10, timeoutMs: 500 },
    });
    const down = new TicketNotifier({ settings, secrets, audit, clock });
    const record = settledRecord({ sourceName: 'hook' });
    const before = JSON.stringify(record);
    await expect(down.settled(record)).resolves.toBeUndefined();
    expect(JSON.stringify(record)).toBe(before);
    expect(callbacks()[0]?.detail).toMatchObject({ channel: 'generic', ok: false, attempts: 2 });
  });

  it('requests from non-ITSM sources, without a callback, or in a non-settled state are not told', async () => {
    const n = notifier();
    expect(
      await n.notify(settledRecord({ sourceKind: 'autoscaling', sourceName: 'servicenow' })),
    ).toBeUndefined();
    expect(await n.notify(settledRecord({ sourceName: 'other' }))).toBeUndefined();
    expect(await n.notify(settledRecord({ state: 'DEFERRED' }))).toBeUndefined();
    expect(itsm.servicenow.received).toHaveLength(0);
    expect(callbacks()).toHaveLength(0);
  });
});
