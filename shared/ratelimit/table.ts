import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The `ratelimit` table: one item per key (`pk = "<tenant>/<api>/<class>"`), with per-window
 * attributes `tat_<windowId>` (epoch ms), `blockedUntil`, `granted`, `blocks`, `updatedAt`.
 * The local stack creates it from this definition; CDK mirrors `RATE_LIMIT_TABLE_KEY`.
 */
export const RATE_LIMIT_TABLE_KEY = { partitionKey: { name: 'pk', type: 'S' } } as const;

/** Default table name of the local stack. */
export const DEFAULT_RATE_LIMIT_TABLE = 'zcops-ratelimit';

/**
 * CreateTable input for the local stack and tests.
 * @example await ddb.send(new CreateTableCommand(rateLimitTableDefinition('zcops-ratelimit')));
 */
export function rateLimitTableDefinition(
  tableName: string = DEFAULT_RATE_LIMIT_TABLE,
): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  };
}
