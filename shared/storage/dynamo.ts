import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type TableDefinition, toCreateTableInput } from './table-definition.ts';

/**
 * A document client that drops `undefined` attributes (optional fields are simply absent) and
 * keeps numbers as JS numbers.
 *
 * @example
 * const doc = createDocumentClient({ endpoint: 'http://127.0.0.1:4567', region: 'us-east-1' });
 */
export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
}

/** Creates the table unless it exists (local stack and tests; CDK owns deployed tables). */
export async function ensureTable(
  client: DynamoDBClient,
  def: TableDefinition,
  tableName = def.defaultName,
): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException) && (err as Error).name !== 'ResourceNotFoundException')
      throw err;
  }
  try {
    await client.send(new CreateTableCommand(toCreateTableInput(def, tableName)));
  } catch (err) {
    if (!(err instanceof ResourceInUseException) && (err as Error).name !== 'ResourceInUseException')
      throw err;
  }
}

/** True when a write was refused by its condition expression. */
export function isConditionalCheckFailed(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException';
}

/** What `queryByKey` reads: items whose `key` equals `value`, in the table or one of its indexes. */
export interface KeyQuery {
  table: string;
  /** A global secondary index; the table's own key when absent. */
  index?: string | undefined;
  key: string;
  value: string;
  /** At most this many items (pages of up to 500 are read until it is reached or none are left). */
  limit: number;
}

/**
 * Reads the items whose `key` equals `value`, following pages up to `limit`.
 *
 * @example
 * const items = await queryByKey(doc, { table, index: 'byTicket', key: 'ticket', value: 'CHG1', limit: 100 });
 */
export async function queryByKey(
  doc: DynamoDBDocumentClient,
  q: KeyQuery,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: q.table,
        ...(q.index ? { IndexName: q.index } : {}),
        KeyConditionExpression: '#k = :v',
        ExpressionAttributeNames: { '#k': q.key },
        ExpressionAttributeValues: { ':v': q.value },
        Limit: Math.min(q.limit - out.length, 500),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    out.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start && out.length < q.limit);
  return out;
}
