import { Validations } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHandler as createWebhookHandler } from '../../../functions/webhook/handler.ts';
import { ROUTES, routeKey } from '../../../functions/webhook/routes.ts';
import { AUDIT_FORBIDDEN_ACTIONS } from '../../../infra/constructs/tables.ts';
import { METRIC_NAMES } from '../../../infra/defaults.ts';
import { AUDIT_TABLE } from '../../../shared/audit/table.ts';
import { loadIntakeConfig } from '../../../shared/intake/config.ts';
import { ScheduleEventSchema } from '../../../shared/intake/schedule-event.ts';
import { WORKER_METRIC_NAMES, WORKER_SERVICE_NAME } from '../../../shared/observability/metric-names.ts';
import { REQUESTS_TABLE } from '../../../shared/requests/table.ts';
import { loadWorkerConfig } from '../../../shared/wiring/worker-config.ts';
import { httpEvent } from '../../fixtures/events/index.ts';
import { memoryDeps, quietObservability } from '../../fixtures/events/intake-setup.ts';
import { actionsOf, allowed, FIXTURE_ENTRY, type Statement, statementsOfRole, synth } from './helpers.ts';

// One synthesis of the whole stack (fixture handlers, no bundling) shared by the assertions below.
let built: ReturnType<typeof synth>;
let template: Template;
beforeAll(() => {
  built = synth();
  template = built.template;
});

const resourcesOf = (type: string) => Object.entries(template.findResources(type));
const logicalId = (type: string, prefix: string) => {
  const found = resourcesOf(type).find(([id]) => id.startsWith(prefix));
  if (!found) throw new Error(`no ${type} ${prefix}*`);
  return found[0];
};
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const json = (x: unknown) => JSON.stringify(x);

describe('tables', () => {
  it('creates the three tables on demand, encrypted, with point-in-time recovery', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 3);
    template.allResourcesProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('keys the audit table as the audit module defines it and retains it on stack deletion', () => {
    const id = logicalId('AWS::DynamoDB::Table', 'TablesAudit');
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        DeletionProtectionEnabled: true,
        KeySchema: [
          { AttributeName: AUDIT_TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: AUDIT_TABLE.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: AUDIT_TABLE.globalSecondaryIndexes.map((g) =>
          Match.objectLike({ IndexName: g.indexName }),
        ),
      }),
    });
    expect(id).toMatch(/^TablesAudit/);
  });

  it('keys the requests table from its module, with TTL for idempotency records', () => {
    const [, requests] = resourcesOf('AWS::DynamoDB::Table').find(([id]) => id.startsWith('TablesRequests'))!;
    expect(requests.Properties.KeySchema).toEqual([
      { AttributeName: REQUESTS_TABLE.partitionKey, KeyType: 'HASH' },
    ]);
    expect(requests.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
    expect(requests.Properties.GlobalSecondaryIndexes.map((g: { IndexName: string }) => g.IndexName)).toEqual(
      ['byTicket', 'byState'],
    );
  });
});

describe('jobs queue and worker event source mapping', () => {
  it('sets the visibility timeout to six times the worker timeout and a receive limit', () => {
    const workerTimeout = template.findResources('AWS::Lambda::Function', {
      Properties: { Description: 'zcops worker' },
    });
    const [worker] = Object.values(workerTimeout);
    expect(worker?.Properties.Timeout).toBe(100);
    const dlq = logicalId('AWS::SQS::Queue', 'JobsDeadLetterQueue');
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 600,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: arnOf(dlq), maxReceiveCount: 4 },
    });
  });

  it('refuses plain HTTP on every queue', () => {
    for (const [, policy] of resourcesOf('AWS::SQS::QueuePolicy')) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
    // jobs, jobs DLQ, delivery DLQ, events failures: one per queue.
    template.resourceCountIs('AWS::SQS::QueuePolicy', 4);
    template.resourceCountIs('AWS::SQS::Queue', 4);
  });

  it('maps the queue to the worker with partial batch failures and a maximum concurrency', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arnOf(logicalId('AWS::SQS::Queue', 'JobsQueue')),
      FunctionName: { Ref: logicalId('AWS::Lambda::Function', 'WorkerFunction') },
      BatchSize: 5,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 7 },
    });
  });

  it('takes an explicit visibility timeout of at least six worker timeouts, and refuses less', () => {
    const longer = synth({
      context: { 'config.worker.visibilityTimeoutSeconds': '900' },
      cfnValidation: false,
    });
    longer.template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 900,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 4 }),
    });
    expect(() =>
      synth({ context: { 'config.worker.visibilityTimeoutSeconds': '500' }, cfnValidation: false }),
    ).toThrow(
      /worker\.visibilityTimeoutSeconds: visibilityTimeoutSeconds \(500\) must be at least 6 × timeoutSeconds \(600\)/,
    );
    expect(() => synth({ context: { 'config.worker.leaseSeconds': '60' }, cfnValidation: false })).toThrow(
      /worker\.leaseSeconds: leaseSeconds \(60\) must be at least timeoutSeconds \(100\)/,
    );
  });
});

describe('functions', () => {
  it('runs all three on Node.js 24, arm64, ESM bundle handler, JSON logs, X-Ray off', () => {
    template.resourceCountIs('AWS::Lambda::Function', 3);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
    });
    // Active tracing with no tracer in the code showed empty traces: it is off, and so are its grants.
    for (const [id, fn] of resourcesOf('AWS::Lambda::Function'))
      expect(fn.Properties.TracingConfig?.Mode, id).not.toBe('Active');
    expect(allowed(statementsOfRole(template, '')).filter((a) => a.startsWith('xray:'))).toEqual([]);
  });

  it('sets Powertools settings, source maps and the runtime configuration by environment', () => {
    for (const [, fn] of resourcesOf('AWS::Lambda::Function')) {
      const env = fn.Properties.Environment.Variables;
      expect(env.POWERTOOLS_SERVICE_NAME).toBe(`zcops-${fn.Properties.Description.replace('zcops ', '')}`);
      expect(env).toMatchObject({
        POWERTOOLS_METRICS_NAMESPACE: 'zcops',
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
        NODE_OPTIONS: '--enable-source-maps',
        REQUESTS_TABLE: { Ref: logicalId('AWS::DynamoDB::Table', 'TablesRequests') },
        AUDIT_TABLE: { Ref: logicalId('AWS::DynamoDB::Table', 'TablesAudit') },
        JOBS_QUEUE_URL: { Ref: logicalId('AWS::SQS::Queue', 'JobsQueue') },
      });
      // What the functions receive is what the intake's own loader accepts.
      const runtime = loadIntakeConfig(JSON.parse(env.ZCOPS_CONFIG));
      expect(runtime.sources.map((s) => s.name)).toEqual(['servicenow', 'jira', 'aws-asg', 'snapshots']);
    }
    const worker = resourcesOf('AWS::Lambda::Function').find(([id]) => id.startsWith('WorkerFunction'))![1];
    expect(worker.Properties.Environment.Variables).toMatchObject({
      RATELIMIT_TABLE: { Ref: logicalId('AWS::DynamoDB::Table', 'TablesRateLimit') },
      SNAPSHOTS_BUCKET: { Ref: logicalId('AWS::S3::Bucket', 'SnapshotsBucket') },
      POWERTOOLS_SERVICE_NAME: WORKER_SERVICE_NAME,
    });
  });

  it("gives the worker the environment its loader needs, and the queue's receive limit in its config", () => {
    const worker = resourcesOf('AWS::Lambda::Function').find(([id]) => id.startsWith('WorkerFunction'))![1];
    const env = worker.Properties.Environment.Variables as Record<string, unknown>;
    for (const name of [
      'REQUESTS_TABLE',
      'AUDIT_TABLE',
      'RATELIMIT_TABLE',
      'JOBS_QUEUE_URL',
      'SNAPSHOTS_BUCKET',
    ])
      expect(env[name], name).toBeDefined();
    // No local-secrets switch in AWS: the worker's default is Secrets Manager.
    expect(env.ZCOPS_SECRETS_SOURCE).toBeUndefined();
    const config = loadWorkerConfig(JSON.parse(env.ZCOPS_CONFIG as string));
    const [, queue] = resourcesOf('AWS::SQS::Queue').find(([id]) => id.startsWith('JobsQueue'))!;
    expect(config.worker.maxReceiveCount).toBe(queue.Properties.RedrivePolicy.maxReceiveCount);
    expect(config.worker.leaseSeconds).toBeGreaterThanOrEqual(worker.Properties.Timeout);
    expect(config.worker).toMatchObject({ leaseSeconds: 600, maxSleepMs: 3000 });
    expect(config.guardrails.tenants).toEqual({ globex: { deletionsPerHour: 4 } });
    expect(config.rateLimits.tenants).toEqual({ acme: { margin: 0.1 } });
    // The whole environment of every function stays under Lambda's 4 KB (values as synthesised).
    for (const [id, fn] of resourcesOf('AWS::Lambda::Function')) {
      const vars = Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>);
      const bytes = vars.reduce(
        (n, [k, v]) => n + k.length + (typeof v === 'string' ? Buffer.byteLength(v) : 100),
        0,
      );
      expect(bytes, id).toBeLessThan(4096);
    }
  });

  it('gives each function its own role and log group, no managed policies', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 4); // three functions + API access logs
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    for (const [id, role] of resourcesOf('AWS::IAM::Role')) {
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
    }
  });

  it('creates no secret: tenant and source secrets are referenced by name', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });
});

describe('IAM statements of each function', () => {
  const audit = () => logicalId('AWS::DynamoDB::Table', 'TablesAudit');
  const secretArn = (name: string) => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':secretsmanager:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:secret:${name}-??????`,
      ],
    ],
  });
  const secretResources = (statements: Statement[]) =>
    statements
      .filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'))
      .flatMap((s) => s.Resource as unknown[]);

  it("webhook: intake grants and its sources' secrets only", () => {
    const st = statementsOfRole(template, 'WebhookRole');
    expect(new Set(allowed(st))).toEqual(
      new Set([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:Query',
        'dynamodb:DeleteItem',
        'sqs:SendMessage',
        'secretsmanager:GetSecretValue',
      ]),
    );
    expect(secretResources(st)).toEqual([
      secretArn('zcops/sources/servicenow'),
      secretArn('zcops/sources/jira-hmac'),
      secretArn('zcops/sources/jira-bearer'),
    ]);
  });

  it('events: intake grants, completing (CONTINUE) rejected hooks of the configured groups, no secrets', () => {
    const st = statementsOfRole(template, 'EventsRole');
    const actions = allowed(st);
    expect(actions).toContain('sqs:SendMessage');
    expect(actions.filter((a) => /^(secretsmanager|s3|autoscaling|ec2):/.test(a))).toEqual([
      'autoscaling:CompleteLifecycleAction',
    ]);
    const complete = st.find((s) => actionsOf(s).includes('autoscaling:CompleteLifecycleAction'))!;
    expect(json(complete.Resource)).toContain(':autoScalingGroup:*:autoScalingGroupName/zpa-connectors-a');
  });

  it('worker: exactly the actions it calls, each on its own resource', () => {
    const st = statementsOfRole(template, 'WorkerRole');
    expect(new Set(allowed(st))).toEqual(
      new Set([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        // requests table: requests, leases, guardrail control items
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:Query',
        'dynamodb:DeleteItem',
        // event source mapping (consume) + deferrals (send)
        'sqs:ReceiveMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:GetQueueUrl',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:SendMessage',
        's3:GetObject',
        's3:PutObject',
        's3:AbortMultipartUpload',
        's3:ListBucket',
        'secretsmanager:GetSecretValue',
        'autoscaling:CompleteLifecycleAction',
        'ec2:DescribeInstances',
      ]),
    );
    const on = (prefix: string) =>
      st.filter(
        (s) => s.Effect === 'Allow' && json(s.Resource).includes(logicalId('AWS::DynamoDB::Table', prefix)),
      );
    expect(on('TablesRequests').flatMap(actionsOf).sort()).toEqual(
      [
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ].sort(),
    );
    // The limiter: one UpdateItem per permit or block, GetItem to read a key (shared/ratelimit/dynamodb-store.ts).
    expect(on('TablesRateLimit').flatMap(actionsOf)).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    // Audit: append, and read a request's own trail (a settled request's message redelivered after a
    // crash looks for its outcome event); on the table only, never its indexes.
    expect(on('TablesAudit').flatMap(actionsOf)).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);
    expect(on('TablesAudit').map((s) => json(s.Resource).includes('/index/'))).toEqual([false, false]);

    // Sending is granted on the jobs queue alone, and only SendMessage; the DLQ is not reachable.
    const queue = logicalId('AWS::SQS::Queue', 'JobsQueue');
    const sends = st.filter((s) => actionsOf(s).includes('sqs:SendMessage'));
    expect(sends.map((s) => [actionsOf(s), s.Resource])).toEqual([[['sqs:SendMessage'], arnOf(queue)]]);
    expect(json(st)).not.toContain(logicalId('AWS::SQS::Queue', 'JobsDeadLetterQueue'));

    // The tenants' credentials, and the ticket callbacks' (notify): GetSecretValue on exactly these.
    expect(secretResources(st)).toEqual([
      secretArn('zcops/tenants/acme'),
      secretArn('zcops/tenants/globex'),
      secretArn('zcops/itsm/servicenow'),
      secretArn('zcops/itsm/jira-callback'),
    ]);

    const bucket = logicalId('AWS::S3::Bucket', 'SnapshotsBucket');
    const s3 = st.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    expect(s3.map((s) => [actionsOf(s), s.Resource, s.Condition])).toEqual([
      [
        ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        { 'Fn::Join': ['', [arnOf(bucket), '/snapshots/*']] },
        undefined,
      ],
      // Listing on the bucket itself: without it a missing latest.json answers 403, not 404.
      [['s3:ListBucket'], arnOf(bucket), undefined],
    ]);

    const lifecycle = st.filter((s) => actionsOf(s).some((a) => a.startsWith('autoscaling:')));
    expect(lifecycle.flatMap(actionsOf)).toEqual(['autoscaling:CompleteLifecycleAction']);
    expect(json(lifecycle[0]!.Resource)).toContain(
      ':autoScalingGroup:*:autoScalingGroupName/zpa-connectors-a',
    );
    expect(json(lifecycle[0]!.Resource)).toContain(
      ':autoScalingGroup:*:autoScalingGroupName/zpa-connectors-b',
    );
    expect(st.find((s) => actionsOf(s).includes('ec2:DescribeInstances'))?.Resource).toBe('*');
  });

  it('worker without Auto Scaling groups: no lifecycle or EC2 grants', () => {
    const bare = synth({
      context: {
        'config.autoscaling.asgNames': '[]',
        'config.sources': '[]',
        'config.snapshotSchedules': '[]',
        'config.notify': '{}',
      },
      cfnValidation: false,
    });
    const actions = allowed(statementsOfRole(bare.template, 'WorkerRole'));
    expect(actions.filter((a) => /^(autoscaling|ec2):/.test(a))).toEqual([]);
    expect(actions).toContain('sqs:SendMessage');
  });

  it('audit is append-only for every function: put and query allowed, rewrites explicitly denied', () => {
    for (const role of ['WebhookRole', 'EventsRole', 'WorkerRole']) {
      const onAudit = statementsOfRole(template, role).filter((s) => json(s.Resource).includes(audit()));
      const allows = onAudit.filter((s) => s.Effect === 'Allow').flatMap(actionsOf);
      // The intake reads the trail for GET /v1/requests/{id}; the worker reads a request's own trail
      // when a settled request's message comes back after a crash (the deployed chaos run found it).
      expect(allows.sort(), role).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);
      const denies = onAudit.filter((s) => s.Effect === 'Deny').flatMap(actionsOf);
      expect(denies, role).toEqual([...AUDIT_FORBIDDEN_ACTIONS]);
    }
  });

  it('grants "*" resources only for actions without resource-level permissions', () => {
    const star = statementsOfRole(template, '').filter(
      (s) => s.Effect === 'Allow' && json(s.Resource) === '"*"',
    );
    expect(new Set(star.flatMap(actionsOf))).toEqual(new Set(['ec2:DescribeInstances']));
  });

  it('no Allow statement uses a wildcard action', () => {
    const wild = statementsOfRole(template, '').filter(
      (s) => s.Effect === 'Allow' && actionsOf(s).some((a) => a.includes('*')),
    );
    expect(wild).toEqual([]);
  });
});

describe('snapshots bucket', () => {
  it('is encrypted, versioned, private, retained, with lifecycle rules and access logs', () => {
    const logs = logicalId('AWS::S3::Bucket', 'SnapshotsAccessLogs');
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logs }, LogFilePrefix: 'snapshots-bucket/' },
        LifecycleConfiguration: {
          Rules: [
            Match.objectLike({
              Id: 'snapshots-tiering',
              Prefix: 'snapshots/',
              Status: 'Enabled',
              Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
              NoncurrentVersionExpiration: { NoncurrentDays: 90 },
            }),
            Match.objectLike({
              Id: 'abort-incomplete-uploads',
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            }),
          ],
        },
      }),
    });
  });

  it('has a bucket policy that denies every request not made over TLS', () => {
    const bucket = logicalId('AWS::S3::Bucket', 'SnapshotsBucket');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Resource: [arnOf(bucket), { 'Fn::Join': ['', [arnOf(bucket), '/*']] }],
          },
        ],
      },
    });
  });
});

describe('events', () => {
  it('routes only terminate lifecycle actions of the configured groups to the events function', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.autoscaling'],
        'detail-type': ['EC2 Instance-terminate Lifecycle Action'],
        detail: { AutoScalingGroupName: ['zpa-connectors-a', 'zpa-connectors-b'] },
      },
      Targets: [
        Match.objectLike({
          Arn: arnOf(logicalId('AWS::Lambda::Function', 'EventsFunction')),
          DeadLetterConfig: { Arn: arnOf(logicalId('AWS::SQS::Queue', 'DeliveryDlq')) },
          RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 8 },
        }),
      ],
    });
  });

  it('sends an event the events function failed on (after two retries) to an encrypted, TLS-only queue', () => {
    const queue = logicalId('AWS::SQS::Queue', 'EventsFailuresQueue');
    // Without it a lifecycle event that threw three times was dropped and the connector stayed.
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId('AWS::Lambda::Function', 'EventsFunction') },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 7200,
      DestinationConfig: { OnFailure: { Destination: arnOf(queue) } },
    });
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    expect(template.toJSON().Resources[queue].Properties.SqsManagedSseEnabled).toBe(true);
    const policy = Object.values(template.findResources('AWS::SQS::QueuePolicy')).find((p) =>
      json(p.Properties.Queues).includes(queue),
    );
    expect(json(policy?.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    const send = statementsOfRole(template, 'EventsRole').find((s) => json(s.Resource).includes(queue));
    expect(actionsOf(send!)).toContain('sqs:SendMessage');
    expect(Object.keys(template.findOutputs('EventsFailureQueueUrl'))).toHaveLength(1);
  });

  it('schedules one snapshot per tenant in its time zone', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      Target: Match.objectLike({
        Arn: arnOf(logicalId('AWS::Lambda::Function', 'EventsFunction')),
        Input: Match.anyValue(),
      }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(12 hours)',
      ScheduleExpressionTimezone: 'UTC',
    });
  });

  it('sends the Scheduled Event shape the events function parses, with Scheduler context attributes', () => {
    const inputs = resourcesOf('AWS::Scheduler::Schedule').map(([, r]) =>
      JSON.parse(r.Properties.Target.Input),
    );
    for (const input of inputs) {
      const parsed = ScheduleEventSchema.parse(input);
      expect(parsed).toMatchObject({
        id: '<aws.scheduler.execution-id>',
        time: '<aws.scheduler.scheduled-time>',
        resources: ['<aws.scheduler.schedule-arn>'],
        detail: { action: 'inventory.snapshot' },
      });
    }
    expect(inputs.map((i) => i.detail.tenant)).toEqual(['acme', 'globex']);
  });

  it('lets Scheduler invoke the events function only, from this account', () => {
    const st = statementsOfRole(template, 'SnapshotSchedulesInvokeRole');
    expect(allowed(st).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
  });
});

describe('HTTP API', () => {
  it('exposes the intake routes on a throttled, logged $default stage', async () => {
    const routes = resourcesOf('AWS::ApiGatewayV2::Route')
      .map(([, r]) => r.Properties.RouteKey)
      .sort();
    // Exactly the handler's route table, in both directions: a route served is a route deployed.
    expect(routes).toEqual(ROUTES.map(routeKey).sort());
    // And the webhook's router serves each deployed route (answers it, not 404 or 405).
    const webhook = createWebhookHandler({ ...memoryDeps(), ...quietObservability() });
    for (const key of routes) {
      const [method, path] = key.split(' ') as [string, string];
      const concrete = path.replace(/\{[^}]+\}/g, '0b7d3c1e-5f7a-4d2b-9c1e-2a3b4c5d6e7f');
      const answer = await webhook(httpEvent({ method, path: concrete }));
      expect(JSON.parse(answer.body).error?.code ?? 'served', key).not.toMatch(
        /^(not-found|method-not-allowed)$/,
      );
    }
    // The generic scale-in hook the README offers for Azure and GCP (missing once: 404 when deployed).
    expect(routes).toContain('POST /v1/hooks/teardown');
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 30, ThrottlingRateLimit: 15 },
      AccessLogSettings: {
        DestinationArn: arnOf(logicalId('AWS::Logs::LogGroup', 'ApiAccessLogs')),
        Format: Match.anyValue(),
      },
    });
  });
});

describe('alarms and dashboard', () => {
  const alarm = (metric: string, extra: Record<string, unknown>) =>
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: metric,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: logicalId('AWS::SNS::Topic', 'AlarmsTopic') }],
      TreatMissingData: 'notBreaching',
      ...extra,
    });

  it('alarms when a DLQ or the events failures queue is not empty', () => {
    for (const q of ['JobsDeadLetterQueue', 'DeliveryDlq', 'EventsFailuresQueue']) {
      alarm('ApproximateNumberOfMessagesVisible', {
        Namespace: 'AWS/SQS',
        Threshold: 1,
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId('AWS::SQS::Queue', q), 'QueueName'] } },
        ],
      });
    }
  });

  it('alarms on failed requests, Zscaler 429s and long limiter waits, with configured thresholds', () => {
    // The names and the service dimension are the ones the worker emits.
    expect(METRIC_NAMES).toMatchObject({
      requestsFailed: WORKER_METRIC_NAMES.requestsFailed,
      zscalerRateLimited: WORKER_METRIC_NAMES.zscalerRateLimited,
      limiterWaitMs: WORKER_METRIC_NAMES.limiterWaitMs,
    });
    const dims = [{ Name: 'service', Value: WORKER_SERVICE_NAME }];
    alarm(METRIC_NAMES.requestsFailed, {
      Namespace: 'zcops',
      Dimensions: dims,
      Statistic: 'Sum',
      Threshold: 2,
    });
    alarm(METRIC_NAMES.zscalerRateLimited, {
      Namespace: 'zcops',
      Dimensions: dims,
      Statistic: 'Sum',
      Threshold: 9,
    });
    alarm(METRIC_NAMES.limiterWaitMs, {
      Namespace: 'zcops',
      Dimensions: dims,
      ExtendedStatistic: 'p90',
      Threshold: 20000,
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 7);
  });

  it('alarms on intake failures summed over the webhook and events functions', () => {
    const metric = (fn: string, name: string) =>
      Match.objectLike({
        Id: fn,
        MetricStat: Match.objectLike({
          Metric: {
            Namespace: 'zcops',
            MetricName: name,
            Dimensions: [{ Name: 'service', Value: `zcops-${fn}` }],
          },
        }),
      });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(webhook, 0) + FILL(events, 0)', ReturnData: true }),
        metric('webhook', METRIC_NAMES.webhookFailures),
        metric('events', METRIC_NAMES.eventsFailures),
      ]),
    });
  });

  it('notifies a TLS-only topic with the configured e-mail subscriptions', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ],
      },
    });
  });

  it('has a dashboard covering queue, functions, API and Zscaler metrics', () => {
    const [, dash] = resourcesOf('AWS::CloudWatch::Dashboard')[0]!;
    const body = json(dash.Properties.DashboardBody);
    for (const needle of [
      'ApproximateNumberOfMessagesVisible',
      'Invocations',
      'Errors',
      'Duration',
      '4xx',
      METRIC_NAMES.limiterWaitMs,
      METRIC_NAMES.requestsSucceeded,
      METRIC_NAMES.requestsDeferred,
      METRIC_NAMES.jobDurationMs,
    ]) {
      expect(body).toContain(needle);
    }
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports nothing unacknowledged, neither errors nor warnings', () => {
    const report = built.nag.validateScope(built.app);
    expect(
      report.violations.map(
        (v) => `${v.severity} ${v.ruleName} ${v.violatingResources.map((r) => r.constructPath)}`,
      ),
    ).toEqual([]);
  });

  it('gives every acknowledgement a reason', () => {
    const acks: { path: string; id: string; reason: unknown }[] = [];
    const walk = (c: IConstruct) => {
      for (const m of c.node.metadata) {
        if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(m.data as Record<string, unknown>))
          acks.push({ path: c.node.path, id, reason });
      }
      c.node.children.forEach(walk);
    };
    walk(built.app);
    expect(acks.length).toBeGreaterThan(5);
    for (const a of acks) {
      expect(typeof a.reason === 'string' ? a.reason.length : 0, `${a.path} ${a.id}`).toBeGreaterThan(30);
    }
  });
});

describe('functions not written yet', () => {
  it('leaves out what depends on a missing function and says so', () => {
    const partial = synth({ entries: { webhook: FIXTURE_ENTRY }, cfnValidation: false });
    partial.template.resourceCountIs('AWS::Lambda::Function', 1);
    partial.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
    partial.template.resourceCountIs('AWS::Events::Rule', 0);
    partial.template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    partial.template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    const warnings = Annotations.fromStack(partial.stack).findWarning(
      '*',
      Match.stringLikeRegexp('has no entry yet'),
    );
    expect(warnings.map((w) => w.entry.data)).toEqual([
      expect.stringContaining('functions/events'),
      expect.stringContaining('functions/worker'),
    ]);
    expect(partial.nag.validateScope(partial.app).violations).toEqual([]);
  });
});
