import { AUDIT_TABLE } from '../shared/audit/table.ts';
import type { TableDefinition } from '../shared/storage/table-definition.ts';

/**
 * The table definitions the stack deploys, taken from the data-access modules that read and write
 * them, so the key names in CloudFormation are the ones the code uses.
 *
 * @example
 * new Tables(this, 'Tables', TABLE_DEFINITIONS);
 */
export const TABLE_DEFINITIONS: {
  requests: TableDefinition;
  audit: TableDefinition;
  ratelimit: TableDefinition;
} = {
  requests: {
    defaultName: 'zcops-requests',
    partitionKey: 'pk',
    sortKey: 'sk',
    globalSecondaryIndexes: [],
    ttlAttribute: 'expiresAt',
  },
  audit: AUDIT_TABLE,
  ratelimit: {
    defaultName: 'zcops-ratelimit',
    partitionKey: 'pk',
    globalSecondaryIndexes: [],
  },
};
