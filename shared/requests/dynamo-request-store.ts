import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '../core/clock.ts';
import { isConditionalCheckFailed, queryByKey } from '../storage/dynamo.ts';
import { StateConflictError } from './errors.ts';
import { keyPk, requestPk } from './keys.ts';
import type { IdempotencyRecord, RequestRecord, TransitionPatch } from './request-record.ts';
import type { ClaimResult, RequestStore } from './request-store.ts';
import { assertTransition, type RequestState } from './state-machine.ts';

/**
 * The requests table in DynamoDB (`REQUESTS_TABLE`). Uses only conditional single-item writes
 * (dynalite has no transactions, and none are needed: see `submit`).
 *
 * @example
 * const store = new DynamoRequestStore(doc, process.env.REQUESTS_TABLE!);
 */
export class DynamoRequestStore implements RequestStore {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #clock: Clock;

  constructor(doc: DynamoDBDocumentClient, tableName: string, clock: Clock = systemClock) {
    this.#doc = doc;
    this.#table = tableName;
    this.#clock = clock;
  }

  async create(record: RequestRecord): Promise<void> {
    await this.#doc.send(
      new PutCommand({
        TableName: this.#table,
        Item: { pk: requestPk(record.requestId), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(requestId: string): Promise<RequestRecord | undefined> {
    const out = await this.#doc.send(
      new GetCommand({ TableName: this.#table, Key: { pk: requestPk(requestId) }, ConsistentRead: true }),
    );
    return out.Item ? toRecord(out.Item) : undefined;
  }

  async transition(
    requestId: string,
    to: RequestState,
    options: { from?: RequestState | readonly RequestState[]; patch?: TransitionPatch } = {},
  ): Promise<RequestRecord> {
    let from: readonly RequestState[];
    if (options.from === undefined) {
      const current = await this.get(requestId);
      if (!current) throw new StateConflictError(requestId, [], undefined);
      from = [current.state];
    } else {
      from = typeof options.from === 'string' ? [options.from] : options.from;
    }
    for (const f of from) assertTransition(f, to);
    const patch = options.patch ?? {};
    const names: Record<string, string> = { '#state': 'state', '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = {
      ':to': to,
      ':now': new Date(this.#clock.now()).toISOString(),
    };
    const sets = ['#state = :to', '#updatedAt = :now'];
    for (const field of ['stateReason', 'result', 'error', 'notBefore'] as const) {
      if (patch[field] !== undefined) {
        names[`#${field}`] = field;
        values[`:${field}`] = patch[field];
        sets.push(`#${field} = :${field}`);
      }
    }
    const adds: string[] = [];
    if (patch.incrementAttempts) {
      names['#attempts'] = 'attempts';
      values[':one'] = 1;
      adds.push('#attempts :one');
    }
    if (patch.incrementDeferrals) {
      names['#deferrals'] = 'deferrals';
      values[':one'] = 1;
      adds.push('#deferrals :one');
    }
    const fromNames = from.map((_, i) => `:from${i}`);
    from.forEach((f, i) => {
      values[`:from${i}`] = f;
    });
    try {
      const out = await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: requestPk(requestId) },
          UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
          ConditionExpression: `attribute_exists(pk) AND #state IN (${fromNames.join(', ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toRecord(out.Attributes ?? {});
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      const actual = await this.get(requestId);
      throw new StateConflictError(requestId, from, actual?.state);
    }
  }

  async claimKey(record: IdempotencyRecord, expiresAtSeconds: number): Promise<ClaimResult> {
    const pk = keyPk(record.key);
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk, ...record, expiresAt: expiresAtSeconds },
          // An expired record may linger until TTL removes it: it counts as absent.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': Math.floor(this.#clock.now() / 1000) },
        }),
      );
      return { claimed: true };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    const out = await this.#doc.send(
      new GetCommand({ TableName: this.#table, Key: { pk }, ConsistentRead: true }),
    );
    if (!out.Item) return this.claimKey(record, expiresAtSeconds);
    const { key, requestId, bodyHash, claimedAtMs } = out.Item as IdempotencyRecord;
    return { claimed: false, existing: { key, requestId, bodyHash, claimedAtMs } };
  }

  async replaceClaim(
    record: IdempotencyRecord,
    expectedRequestId: string,
    expectedClaimedAtMs: number,
    expiresAtSeconds: number,
  ): Promise<boolean> {
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk: keyPk(record.key), ...record, expiresAt: expiresAtSeconds },
          ConditionExpression: 'requestId = :rid AND claimedAtMs = :at',
          ExpressionAttributeValues: { ':rid': expectedRequestId, ':at': expectedClaimedAtMs },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  async releaseKey(key: string, requestId: string): Promise<void> {
    try {
      await this.#doc.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { pk: keyPk(key) },
          ConditionExpression: 'requestId = :rid',
          ExpressionAttributeValues: { ':rid': requestId },
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  byTicket(ticket: string, options: { limit?: number } = {}): Promise<RequestRecord[]> {
    return this.#query('byTicket', 'ticket', ticket, options.limit ?? 100);
  }

  byState(state: RequestState, options: { limit?: number } = {}): Promise<RequestRecord[]> {
    return this.#query('byState', 'state', state, options.limit ?? 100);
  }

  async #query(index: string, key: string, value: string, limit: number): Promise<RequestRecord[]> {
    const items = await queryByKey(this.#doc, { table: this.#table, index, key, value, limit });
    return items.map(toRecord);
  }
}

function toRecord(item: Record<string, unknown>): RequestRecord {
  const { pk: _pk, ...rest } = item;
  return rest as unknown as RequestRecord;
}
