import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../storage/dynamo.ts';
import type { ControlItem, ControlStore, DataMatch } from './control-store.ts';

/** Partition key of a control item in the requests table (never `REQ#`/`KEY#`, never in a GSI). */
export const controlPk = (key: string): string => `CTRL#${key}`;

/**
 * Control items in the requests table: `pk = CTRL#<key>`, `version`, `data`, optional `expiresAt`
 * (epoch seconds, the table's TTL attribute). They carry no `state` or `ticket` attribute, so the
 * sparse `byState`/`byTicket` indexes never see them.
 *
 * @example
 * const control = new DynamoControlStore(doc, process.env.REQUESTS_TABLE!);
 */
export class DynamoControlStore implements ControlStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  async get(key: string): Promise<ControlItem | undefined> {
    const out = await this.#doc.send(
      new GetCommand({ TableName: this.#table, Key: { pk: controlPk(key) }, ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    return { key, version: Number(out.Item.version), data: (out.Item.data ?? {}) as Record<string, unknown> };
  }

  async put(
    key: string,
    data: Record<string, unknown>,
    options: { expectedVersion: number; expiresAtMs?: number },
  ): Promise<ControlItem | undefined> {
    const version = options.expectedVersion + 1;
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            pk: controlPk(key),
            version,
            data,
            ...(options.expiresAtMs !== undefined
              ? { expiresAt: Math.ceil(options.expiresAtMs / 1000) }
              : {}),
          },
          ConditionExpression: options.expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#v = :expected',
          ...(options.expectedVersion === 0
            ? {}
            : {
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':expected': options.expectedVersion },
              }),
        }),
      );
      return { key, version, data };
    } catch (err) {
      if (isConditionalCheckFailed(err)) return undefined;
      throw err;
    }
  }

  async delete(key: string, expectedVersion?: number, match?: DataMatch): Promise<boolean> {
    const conditions = [expectedVersion === undefined ? 'attribute_exists(pk)' : '#v = :expected'];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (expectedVersion !== undefined) {
      names['#v'] = 'version';
      values[':expected'] = expectedVersion;
    }
    if (match) {
      conditions.push('#data.#field = :match');
      names['#data'] = 'data';
      names['#field'] = match.field;
      values[':match'] = match.value;
    }
    try {
      await this.#doc.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { pk: controlPk(key) },
          ConditionExpression: conditions.join(' AND '),
          ...(Object.keys(names).length > 0
            ? { ExpressionAttributeNames: names, ExpressionAttributeValues: values }
            : {}),
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }
}
