import type { TableDefinition } from '../storage/table-definition.ts';

/**
 * The requests table. Partition key `pk`:
 * - `REQ#<requestId>`: one item per request (`RequestRecord`).
 * - `KEY#<sha256>`: an idempotency record (`IdempotencyRecord`), written with a conditional put.
 * GSIs: `byTicket` (ticket, createdAt) and `byState` (state, createdAt), both sparse (request items
 * only). TTL attribute `expiresAt` (epoch seconds) ages out idempotency records.
 */
export const REQUESTS_TABLE: TableDefinition = {
  defaultName: 'zcops-requests',
  partitionKey: 'pk',
  globalSecondaryIndexes: [
    { indexName: 'byTicket', partitionKey: 'ticket', sortKey: 'createdAt' },
    { indexName: 'byState', partitionKey: 'state', sortKey: 'createdAt' },
  ],
  ttlAttribute: 'expiresAt',
};
