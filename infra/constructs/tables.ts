import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type CfnTable,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { TableDefinition } from '../../shared/storage/table-definition.ts';
import { REMOVAL } from '../defaults.ts';
import { InfraPropsError } from '../errors.ts';

/**
 * The three zcops tables: `requests` (one item per request plus idempotency records), `audit`
 * (append-only trail) and `ratelimit` (limiter state). All on-demand, encrypted, with point-in-time
 * recovery; `audit` and `requests` survive stack deletion.
 *
 * @example
 * const tables = new Tables(this, 'Tables', { requests: REQUESTS_TABLE, audit: AUDIT_TABLE, ratelimit: RATELIMIT_TABLE });
 * tables.grantAuditAppend(workerFn);
 */
export interface TablesProps {
  /** The definitions the data-access modules export (`shared/storage/table-definition.ts`). */
  requests: TableDefinition;
  audit: TableDefinition;
  ratelimit: TableDefinition;
  /** Overrides `REMOVAL` per table; `audit` can never be anything but retained. */
  removal?: Partial<Record<'requests' | 'ratelimit', RemovalPolicy>>;
}

/** DynamoDB actions that would rewrite or erase the audit trail; denied to every function. */
export const AUDIT_FORBIDDEN_ACTIONS = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
  'dynamodb:DeleteTable',
  'dynamodb:UpdateTable',
] as const;

// Every key attribute of a zcops table is a string (see TableDefinition).
const attribute = (name: string) => ({ name, type: AttributeType.STRING });

/** Rejects definitions DynamoDB would refuse at deploy time, at synth time instead. */
export function validateTableDefinition(table: string, shape: TableDefinition): void {
  const name = /^[A-Za-z0-9_.-]{1,255}$/;
  const keys = [
    shape.partitionKey,
    shape.sortKey,
    ...shape.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  for (const key of keys) {
    if (key !== undefined && !name.test(key))
      throw new InfraPropsError('Tables', `${table}: invalid attribute name "${key}"`);
  }
  const indexNames = new Set<string>();
  for (const index of shape.globalSecondaryIndexes) {
    if (indexNames.has(index.indexName))
      throw new InfraPropsError('Tables', `${table}: duplicate index "${index.indexName}"`);
    indexNames.add(index.indexName);
  }
  if (shape.globalSecondaryIndexes.length > 20)
    throw new InfraPropsError('Tables', `${table}: at most 20 GSIs`);
}

export class Tables extends Construct {
  readonly requests: Table;
  readonly audit: Table;
  readonly ratelimit: Table;
  /** Tables with GSIs; only their grants include `<arn>/index/*` (no wildcard where none is needed). */
  private readonly indexed = new Map<Table, string[]>();

  constructor(scope: Construct, id: string, props: TablesProps) {
    super(scope, id);
    this.requests = this.table(
      'Requests',
      'requests',
      props.requests,
      props.removal?.requests ?? REMOVAL.requests,
    );
    this.audit = this.table('Audit', 'audit', props.audit, REMOVAL.audit);
    this.ratelimit = this.table(
      'RateLimit',
      'ratelimit',
      props.ratelimit,
      props.removal?.ratelimit ?? REMOVAL.ratelimit,
    );
  }

  private table(id: string, label: string, shape: TableDefinition, removalPolicy: RemovalPolicy): Table {
    validateTableDefinition(label, shape);
    const table = new Table(this, id, {
      partitionKey: attribute(shape.partitionKey),
      ...(shape.sortKey ? { sortKey: attribute(shape.sortKey) } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Retained tables are also deletion-protected: losing them loses history.
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
      ...(shape.ttlAttribute ? { timeToLiveAttribute: shape.ttlAttribute } : {}),
    });
    for (const index of shape.globalSecondaryIndexes) {
      this.indexed.set(table, [...(this.indexed.get(table) ?? []), index.indexName]);
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
        projectionType: index.projection === 'KEYS_ONLY' ? ProjectionType.KEYS_ONLY : ProjectionType.ALL,
      });
    }
    return table;
  }

  /**
   * Append-only access to the audit table: `PutItem`, and `Query` (table and indexes) unless
   * `query: false` (the worker only writes the trail), plus an explicit deny of every action that
   * could rewrite or erase the trail, so a later broad grant cannot undo it. (IAM cannot stop a
   * `PutItem` from replacing an item; the audit writer adds `attribute_not_exists` to every put.)
   */
  grantAuditAppend(grantee: IRole, options: { query?: boolean } = {}): void {
    const resources = this.arns(this.audit, grantee);
    grantee.grantPrincipal.addToPrincipalPolicy(
      options.query === false
        ? new PolicyStatement({
            effect: Effect.ALLOW,
            actions: ['dynamodb:PutItem'],
            resources: [this.audit.tableArn],
          })
        : new PolicyStatement({
            effect: Effect.ALLOW,
            actions: ['dynamodb:PutItem', 'dynamodb:Query'],
            resources,
          }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.DENY, actions: [...AUDIT_FORBIDDEN_ACTIONS], resources }),
    );
  }

  /**
   * Item-level access to the requests table: `GetItem`, `PutItem`, `UpdateItem`, `Query`, and
   * `DeleteItem` (the store releases an idempotency claim with a conditional delete).
   */
  grantRequestsReadWrite(grantee: IRole): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:Query',
          'dynamodb:DeleteItem',
        ],
        resources: this.arns(this.requests, grantee),
      }),
    );
  }

  /** The limiter takes permits with one conditional `UpdateItem` and reads a key's state with `GetItem`. */
  grantRateLimit(grantee: IRole): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: this.arns(this.ratelimit, grantee),
      }),
    );
  }

  /** The table's ARN, plus `<arn>/index/*` (acknowledged on the role) when it has GSIs to query. */
  private arns(table: Table, role?: IRole): string[] {
    if (!this.indexed.has(table)) return [table.tableArn];
    if (role) {
      const logicalId = Stack.of(this).getLogicalId(table.node.defaultChild as CfnTable);
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
        reason: `Queries use the ${table.node.id} table's own GSIs (${this.indexed.get(table)?.join(', ')}); "index/*" cannot reach any other table.`,
      });
    }
    return [table.tableArn, `${table.tableArn}/index/*`];
  }
}
