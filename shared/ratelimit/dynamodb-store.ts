import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { RateLimitStoreError } from './errors.ts';
import type { KeyRecord, MoveRequest, RateLimitStore, ReserveRequest, ReserveResult } from './store.ts';

const TAT = 'tat_';

/**
 * `RateLimitStore` on DynamoDB (`@aws-sdk/client-dynamodb`). A permit is one `UpdateItem`: busy
 * windows `SET tat = if_not_exists(tat, :now) + :iv` (atomic, never conflicts), idle ones
 * `SET tat = :now + :iv`, all under one condition, `ReturnValues: UPDATED_NEW` for the new schedule and
 * `ReturnValuesOnConditionCheckFailure: ALL_OLD` for the state when the condition fails (backends
 * that do not return it, such as dynalite, cost one consistent read instead).
 *
 * @example
 * const store = new DynamoDbRateLimitStore({ client: new DynamoDBClient({}), tableName: 'zcops-ratelimit' });
 */
export class DynamoDbRateLimitStore implements RateLimitStore {
  /** DynamoDB requests sent (every kind), for cost accounting in benchmarks. */
  requests = 0;
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(options: { client: DynamoDBClient; tableName: string }) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const names: Record<string, string> = { '#u': 'updatedAt', '#g': 'granted', '#b': 'blockedUntil' };
    const values: Record<string, AttributeValue> = { ':now': num(request.now), ':one': num(1) };
    const sets: string[] = ['#u = :now'];
    const conds: string[] = ['(attribute_not_exists(#b) OR #b <= :now)'];
    request.ops.forEach((op, i) => {
      names[`#t${i}`] = TAT + op.id;
      if (op.form === 'add') {
        values[`:iv${i}`] = num(op.intervalMs);
        values[`:max${i}`] = num(op.maxTat);
        sets.push(`#t${i} = if_not_exists(#t${i}, :now) + :iv${i}`);
        conds.push(`(attribute_not_exists(#t${i}) OR (#t${i} >= :now AND #t${i} <= :max${i}))`);
      } else {
        values[`:a${i}`] = num(request.now + op.intervalMs);
        sets.push(`#t${i} = :a${i}`);
        conds.push(`(attribute_not_exists(#t${i}) OR #t${i} < :now)`);
      }
    });
    return this.#conditionalUpdate('reserve', request.key, {
      update: `SET ${sets.join(', ')} ADD #g :one`,
      conds,
      names,
      values,
    });
  }

  async move(request: MoveRequest): Promise<ReserveResult> {
    const names: Record<string, string> = { '#u': 'updatedAt', '#b': 'blockedUntil' };
    const values: Record<string, AttributeValue> = { ':now': num(request.now) };
    const sets: string[] = ['#u = :now'];
    const conds: string[] = ['(attribute_not_exists(#b) OR #b <= :now)'];
    Object.keys(request.expect).forEach((id, i) => {
      names[`#t${i}`] = TAT + id;
      values[`:e${i}`] = num(request.expect[id]!);
      values[`:s${i}`] = num(request.set[id] ?? request.expect[id]!);
      sets.push(`#t${i} = :s${i}`);
      conds.push(`#t${i} = :e${i}`);
    });
    return this.#conditionalUpdate('move', request.key, {
      update: `SET ${sets.join(', ')}`,
      conds,
      names,
      values,
    });
  }

  /**
   * One conditional `UpdateItem` (reserve and move): the new times when it held, else the item as it
   * stood (from `ALL_OLD`, or one consistent read where the store does not return it, as dynalite).
   */
  async #conditionalUpdate(
    op: 'reserve' | 'move',
    key: string,
    u: {
      update: string;
      conds: string[];
      names: Record<string, string>;
      values: Record<string, AttributeValue>;
    },
  ): Promise<ReserveResult> {
    try {
      this.requests++;
      const out = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: key } },
          UpdateExpression: u.update,
          ConditionExpression: u.conds.join(' AND '),
          ExpressionAttributeNames: u.names,
          ExpressionAttributeValues: u.values,
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { ok: true, tats: tatsOf(out.Attributes ?? {}) };
    } catch (err) {
      if (
        err instanceof ConditionalCheckFailedException ||
        nameOf(err) === 'ConditionalCheckFailedException'
      ) {
        const item = (err as ConditionalCheckFailedException).Item;
        const current = item ? toRecord(item) : await this.read(key);
        return { ok: false, ...(current ? { current } : {}) };
      }
      throw new RateLimitStoreError(`rate limit ${op} failed for ${key}: ${messageOf(err)}`, {
        cause: err,
      });
    }
  }

  async block(key: string, untilMs: number, now: number): Promise<boolean> {
    try {
      this.requests++;
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: key } },
          UpdateExpression: 'SET #b = :until, #u = :now ADD #k :one',
          ConditionExpression: 'attribute_not_exists(#b) OR #b < :until',
          ExpressionAttributeNames: { '#b': 'blockedUntil', '#u': 'updatedAt', '#k': 'blocks' },
          ExpressionAttributeValues: { ':until': num(untilMs), ':now': num(now), ':one': num(1) },
        }),
      );
      return true;
    } catch (err) {
      if (
        err instanceof ConditionalCheckFailedException ||
        nameOf(err) === 'ConditionalCheckFailedException'
      ) {
        return false;
      }
      throw new RateLimitStoreError(`rate limit block failed for ${key}: ${messageOf(err)}`, { cause: err });
    }
  }

  async read(key: string): Promise<KeyRecord | undefined> {
    try {
      this.requests++;
      const out = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: key } }, ConsistentRead: true }),
      );
      return out.Item ? toRecord(out.Item) : undefined;
    } catch (err) {
      throw new RateLimitStoreError(`rate limit read failed for ${key}: ${messageOf(err)}`, { cause: err });
    }
  }

  async scan(prefix?: string): Promise<KeyRecord[]> {
    const records: KeyRecord[] = [];
    let start: Record<string, AttributeValue> | undefined;
    try {
      do {
        this.requests++;
        const out = await this.client.send(
          new ScanCommand({
            TableName: this.tableName,
            ConsistentRead: true,
            ...(prefix
              ? {
                  FilterExpression: 'begins_with(pk, :p)',
                  ExpressionAttributeValues: { ':p': { S: prefix } },
                }
              : {}),
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of out.Items ?? []) records.push(toRecord(item));
        start = out.LastEvaluatedKey;
      } while (start);
    } catch (err) {
      throw new RateLimitStoreError(`rate limit scan failed: ${messageOf(err)}`, { cause: err });
    }
    return records;
  }
}

function num(n: number): AttributeValue {
  return { N: String(n) };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function nameOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'name' in err ? String(err.name) : undefined;
}

function numberOf(v: AttributeValue | undefined): number | undefined {
  if (v === undefined || !('N' in v) || v.N === undefined) return undefined;
  const n = Number(v.N);
  return Number.isFinite(n) ? n : undefined;
}

function tatsOf(item: Record<string, AttributeValue>): Record<string, number> {
  const tats: Record<string, number> = {};
  for (const [name, value] of Object.entries(item)) {
    if (!name.startsWith(TAT)) continue;
    const n = numberOf(value);
    if (n !== undefined) tats[name.slice(TAT.length)] = n;
  }
  return tats;
}

function toRecord(item: Record<string, AttributeValue>): KeyRecord {
  const key = item.pk && 'S' in item.pk ? item.pk.S : undefined;
  if (!key) throw new RateLimitStoreError('rate limit item without a pk');
  const blockedUntil = numberOf(item.blockedUntil);
  return {
    key,
    tats: tatsOf(item),
    ...(blockedUntil !== undefined ? { blockedUntil } : {}),
    granted: numberOf(item.granted) ?? 0,
    blocks: numberOf(item.blocks) ?? 0,
    updatedAt: numberOf(item.updatedAt) ?? 0,
  };
}
