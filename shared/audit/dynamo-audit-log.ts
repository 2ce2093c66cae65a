import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '../core/clock.ts';
import { isConditionalCheckFailed, queryByKey } from '../storage/dynamo.ts';
import type { AuditLog, AuditQueryOptions } from './audit-log.ts';
import { buildAuditEvent } from './build-event.ts';
import { AuditDuplicateError, AuditWriteError } from './errors.ts';
import type { AuditEvent, AuditEventInput } from './events.ts';
import { AUDIT_TABLE } from './table.ts';

/**
 * The audit trail in DynamoDB. Appends are conditional puts (`attribute_not_exists`), so an event
 * can never overwrite another; this adapter has no update or delete path at all.
 *
 * @example
 * const audit = new DynamoAuditLog(doc, process.env.AUDIT_TABLE!);
 */
export class DynamoAuditLog implements AuditLog {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #clock: Clock;

  constructor(doc: DynamoDBDocumentClient, tableName: string, clock: Clock = systemClock) {
    this.#doc = doc;
    this.#table = tableName;
    this.#clock = clock;
  }

  async append(input: AuditEventInput): Promise<AuditEvent> {
    const event = buildAuditEvent(input, this.#clock.now());
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: event,
          ConditionExpression: 'attribute_not_exists(requestId)',
        }),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) throw new AuditDuplicateError(`audit event ${event.sk} exists`);
      throw new AuditWriteError(`audit event ${input.type} could not be written (${(err as Error).name})`, {
        cause: err,
      });
    }
    return event;
  }

  byRequest(requestId: string, options?: AuditQueryOptions): Promise<AuditEvent[]> {
    return this.#query(undefined, AUDIT_TABLE.partitionKey, requestId, options);
  }

  byTicket(ticket: string, options?: AuditQueryOptions): Promise<AuditEvent[]> {
    return this.#query('byTicket', 'ticket', ticket, options);
  }

  byResource(resource: string, options?: AuditQueryOptions): Promise<AuditEvent[]> {
    return this.#query('byResource', 'resource', resource, options);
  }

  async #query(
    index: string | undefined,
    key: string,
    value: string,
    options: AuditQueryOptions = {},
  ): Promise<AuditEvent[]> {
    const limit = options.limit ?? 1000;
    const items = await queryByKey(this.#doc, { table: this.#table, index, key, value, limit });
    return items as unknown as AuditEvent[];
  }
}
