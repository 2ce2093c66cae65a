import type { RequestRecord } from '../../../shared/requests/request-record.ts';

/** A settled ITSM request record for callback tests. */
export function settledRecord(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    requestId: 'req-0001',
    state: 'SUCCEEDED',
    tenant: 'acme',
    action: 'appConnector.delete',
    target: 'appConnector/72057615512764537',
    ticket: 'CHG0030001',
    sourceName: 'servicenow',
    sourceKind: 'itsm',
    request: {
      action: 'appConnector.delete',
      tenant: 'acme',
      reason: 'decommission',
      source: { kind: 'itsm', name: 'servicenow', ref: 'CHG0030001' },
      connector: { by: 'id', id: '72057615512764537' },
    },
    attempts: 1,
    deferrals: 0,
    createdAt: '2025-06-01T12:00:00.000Z',
    updatedAt: '2025-06-01T12:00:05.000Z',
    result: { deleted: ['72057615512764537'] },
    ...overrides,
  } as RequestRecord;
}
