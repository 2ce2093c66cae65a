import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
