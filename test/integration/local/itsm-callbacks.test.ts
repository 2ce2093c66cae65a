import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../infra/config.ts';
import { callbackSecretName, ItsmStandInAuditLog, standInCallbacks } from '../../../local/itsm-callbacks.ts';
import { defaultLocalConfig } from '../../../local/local-config.ts';
import { type ItsmStandIns, startItsmStandIns } from '../../../local/services/itsm-stand-ins.ts';
import { MemoryAuditLog } from '../../../shared/audit/memory-audit-log.ts';
import { loadCallbackAuth } from '../../../shared/notify/credentials.ts';
import { TicketNotifier } from '../../../shared/notify/ticket-notifier.ts';
import type { RequestRecord } from '../../../shared/requests/request-record.ts';
import { MemorySecretSource } from '../../../shared/secrets/memory-secret-source.ts';

let itsm: ItsmStandIns;
beforeAll(async () => {
  itsm = await startItsmStandIns();
});
afterAll(() => itsm?.stop());

const record = (over: Partial<RequestRecord>): RequestRecord =>
  ({
    requestId: '11111111-2222-4333-8444-555555555555',
    state: 'SUCCEEDED',
    tenant: 'acme',
    action: 'appConnectorGroup.create',
    target: 'appConnectorGroup/name=x',
    sourceName: 'servicenow',
    sourceKind: 'itsm',
    attempts: 1,
    deferrals: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:01.000Z',
    ...over,
  }) as RequestRecord;

describe('ticket callbacks to the local ITSM stand-ins', () => {
  it('gives each ITSM source a callback to its stand-in, with credentials it accepts', async () => {
    const { config, secrets } = standInCallbacks(defaultLocalConfig('http://127.0.0.1:1'), itsm);
    expect(config.notify.callbacks).toEqual([
      expect.objectContaining({ kind: 'servicenow', source: 'servicenow', instanceUrl: itsm.servicenow.url }),
      expect.objectContaining({ kind: 'jira', source: 'jira', baseUrl: itsm.jira.url, apiVersion: '3' }),
    ]);
    expect(Object.keys(secrets)).toEqual([callbackSecretName('servicenow'), callbackSecretName('jira')]);
    const store = new MemorySecretSource(secrets);
    await expect(loadCallbackAuth(store, 'jira', callbackSecretName('jira'))).resolves.toBeDefined();
    // A configuration with its own callbacks keeps them.
    const own = parseConfig({
      ...defaultLocalConfig('http://127.0.0.1:1'),
      notify: {
        callbacks: [{ kind: 'generic', source: 'jira', url: 'https://hooks.example.com', secretName: 's' }],
      },
    });
    expect(standInCallbacks(own, itsm)).toEqual({ config: own, secrets: {} });
  });

  it('opens received tickets in the stand-in once, and prints what each callback delivered', async () => {
    const { config, secrets } = standInCallbacks(defaultLocalConfig('http://127.0.0.1:1'), itsm);
    const lines: string[] = [];
    const inner = new MemoryAuditLog();
    const audit = new ItsmStandInAuditLog(inner, itsm, config, (l) => lines.push(l));
    const received = {
      requestId: 'r',
      type: 'received' as const,
      source: 'servicenow',
      ticket: 'CHG0099001',
    };
    await audit.append(received);
    await audit.append(received);
    await audit.append({ ...received, source: 'jira', ticket: 'OPS-7' });
    const notifier = new TicketNotifier({
      settings: config.notify,
      secrets: new MemorySecretSource(secrets),
      audit,
    });
    expect(await notifier.notify(record({ ticket: 'CHG0099001' }))).toMatchObject({ ok: true });
    expect(
      await notifier.notify(record({ ticket: 'OPS-7', sourceName: 'jira', state: 'FAILED' })),
    ).toMatchObject({ ok: true });
    // Unknown to the stand-in: ServiceNow answers no record, and the line says the callback failed.
    expect(await notifier.notify(record({ ticket: 'CHG0099999' }))).toMatchObject({ ok: false });
    expect(itsm.servicenow.notes('CHG0099001')).toHaveLength(1);
    expect(lines).toEqual([
      'itsm stand-in: ServiceNow change_request CHG0099001 got a work_notes entry: "zcops: appConnectorGroup.create completed (SUCCEEDED)"',
      expect.stringMatching(
        /^itsm stand-in: Jira OPS-7 got comment \d+: "zcops: appConnectorGroup.create failed \(FAILED\)"$/,
      ),
      expect.stringMatching(/^itsm stand-in: the servicenow callback for CHG0099999 failed \(/),
    ]);
    // Every event reached the inner log.
    expect((await inner.byRequest('r')).length).toBe(3);
  });
});
