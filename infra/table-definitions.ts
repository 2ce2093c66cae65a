import { AUDIT_TABLE } from '../shared/audit/table.ts';
import { DEFAULT_RATE_LIMIT_TABLE, RATE_LIMIT_TABLE_KEY } from '../shared/ratelimit/table.ts';
import { REQUESTS_TABLE } from '../shared/requests/table.ts';
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
  requests: REQUESTS_TABLE,
  audit: AUDIT_TABLE,
  // The limiter declares only its key (strings are the only key type zcops uses).
  ratelimit: {
    defaultName: DEFAULT_RATE_LIMIT_TABLE,
    partitionKey: RATE_LIMIT_TABLE_KEY.partitionKey.name,
    globalSecondaryIndexes: [],
  },
};
