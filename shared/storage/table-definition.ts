import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * A DynamoDB table described as data, so the same definition creates the table in dynalite (local
 * stack, tests) and in CDK. Every key attribute is a string.
 *
 * @example
 * const input = toCreateTableInput(REQUESTS_TABLE, 'zcops-requests');
 */
export interface TableDefinition {
  /** Suggested physical name for the local stack; CDK may choose its own. */
  defaultName: string;
  partitionKey: string;
  sortKey?: string;
  globalSecondaryIndexes: readonly GsiDefinition[];
  /** Attribute holding an epoch-seconds expiry, when the table uses TTL (CDK only; dynalite ignores TTL). */
  ttlAttribute?: string;
}

export interface GsiDefinition {
  indexName: string;
  partitionKey: string;
  sortKey?: string;
  /** `ALL` unless said otherwise. */
  projection?: 'ALL' | 'KEYS_ONLY';
}

/** The `CreateTable` input of a definition, on-demand billing. */
export function toCreateTableInput(
  def: TableDefinition,
  tableName = def.defaultName,
): CreateTableCommandInput {
  const attributes = new Set<string>([def.partitionKey]);
  if (def.sortKey) attributes.add(def.sortKey);
  for (const g of def.globalSecondaryIndexes) {
    attributes.add(g.partitionKey);
    if (g.sortKey) attributes.add(g.sortKey);
  }
  const keySchema = (pk: string, sk?: string) => [
    { AttributeName: pk, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({
      AttributeName: name,
      AttributeType: 'S' as const,
    })),
    KeySchema: keySchema(def.partitionKey, def.sortKey),
    ...(def.globalSecondaryIndexes.length > 0
      ? {
          GlobalSecondaryIndexes: def.globalSecondaryIndexes.map((g) => ({
            IndexName: g.indexName,
            KeySchema: keySchema(g.partitionKey, g.sortKey),
            Projection: { ProjectionType: g.projection ?? 'ALL' },
          })),
        }
      : {}),
  };
}
