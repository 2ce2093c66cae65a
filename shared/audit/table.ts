import type { TableDefinition } from '../storage/table-definition.ts';

/**
 * The audit table: partition `requestId`, sort `sk` (time-ordered); sparse GSIs by ticket and by
 * resource, both sorted by `sk`. Functions get PutItem and Query only (no UpdateItem/DeleteItem).
 */
export const AUDIT_TABLE: TableDefinition = {
  defaultName: 'zcops-audit',
  partitionKey: 'requestId',
  sortKey: 'sk',
  globalSecondaryIndexes: [
    { indexName: 'byTicket', partitionKey: 'ticket', sortKey: 'sk' },
    { indexName: 'byResource', partitionKey: 'resource', sortKey: 'sk' },
  ],
};
