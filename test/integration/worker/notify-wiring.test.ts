import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/worker/handler.ts';
import { parseConfig, runtimeConfigJson } from '../../../infra/config.ts';
import { defaultLocalConfig, LOCAL_TENANT } from '../../../local/local-config.ts';
import { simulatorTenantSecrets } from '../../../local/secrets.ts';
import { type RunningDynalite, startDynalite } from '../../../local/services/dynalite.ts';
import { type RunningFauxqs, startFauxqsServer } from '../../../local/services/fauxqs.ts';
import { type ItsmStandIns, startItsmStandIns } from '../../../local/services/itsm-stand-ins.ts';
import { AUDIT_TABLE } from '../../../shared/audit/table.ts';
import { Ec2InstanceAddresses } from '../../../shared/aws/ec2-instance-addresses.ts';
import { rateLimitTableDefinition } from '../../../shared/ratelimit/table.ts';
import { type CanonicalRequestInput, CanonicalRequestSchema } from '../../../shared/requests/request.ts';
import { newRequestRecord, type RequestRecord } from '../../../shared/requests/request-record.ts';
import { REQUESTS_TABLE } from '../../../shared/requests/table.ts';
import { targetOf } from '../../../shared/requests/target.ts';
import { ensureTable } from '../../../shared/storage/dynamo.ts';
import { workerFromEnv } from '../../../shared/wiring/worker-deps.ts';
import type { WorkerDeps } from '../../../shared/worker/deps.ts';
import { closeAll } from '../../../shared/zscaler/factory.ts';
import { type RunningSimulator, startSimulator } from '../../../simulator/index.ts';
import { sqsEvent } from './harness.ts';

/**
 * The worker as Lambda builds it (`workerFromEnv`: environment variables, ZCOPS_CONFIG made by
 * infra's `runtimeConfigJson`, SDK clients found through AWS_ENDPOINT_URL_*), over dynalite, fauxqs
 * and the simulator: a request from an ITSM source that settles is told to the ITSM stand-in.
 */

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const SDK_ENV = [
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_SQS',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
] as const;
let sim: RunningSimulator;
let ddb: RunningDynalite;
let fq: RunningFauxqs;
let itsm: ItsmStandIns;
let sqs: SQSClient;
let queueUrl: string;
let deps: WorkerDeps;
const savedEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  [sim, ddb, fq, itsm] = await Promise.all([
    startSimulator({ rateLimits: false }),
    startDynalite(),
    startFauxqsServer(),
    startItsmStandIns(),
  ]);
  const client = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'us-east-1', credentials });
  const tables = { requests: 'n-requests', audit: 'n-audit', ratelimit: 'n-ratelimit' };
  await ensureTable(client, REQUESTS_TABLE, tables.requests);
  await ensureTable(client, AUDIT_TABLE, tables.audit);
  await client.send(new CreateTableCommand(rateLimitTableDefinition(tables.ratelimit)));
  client.destroy();
  sqs = new SQSClient({ endpoint: fq.endpoint, region: 'us-east-1', credentials });
  const created = (await sqs.send(new CreateQueueCommand({ QueueName: 'notify-jobs' }))).QueueUrl!;
  // fauxqs names its queues on sqs.<region>.localhost; an env-configured SQS client follows the
  // queue URL's host, so the worker gets the loopback form (the same path).
  queueUrl = new URL(new URL(created).pathname, fq.endpoint).href;

  const base = defaultLocalConfig(sim.url);
  const config = parseConfig({
    ...base,
    // One by one: each test settles its deletion in one poll (they follow each other within seconds).
    worker: { ...base.worker, deletionWindowMs: 0 },
    notify: {
      callbacks: [
        {
          kind: 'servicenow',
          source: 'servicenow',
          instanceUrl: itsm.servicenow.url,
          secretName: 'zcops/itsm/servicenow',
        },
        {
          kind: 'jira',
          source: 'jira',
          baseUrl: itsm.jira.url,
          apiVersion: '2',
          secretName: 'zcops/itsm/jira',
        },
      ],
      retry: { baseDelayMs: 0, maxDelayMs: 0 },
    },
  });
  // The SDK reads its endpoints from the process environment, exactly as in Lambda.
  for (const k of SDK_ENV) savedEnv[k] = process.env[k];
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
    AWS_ENDPOINT_URL_SQS: fq.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  });
  deps = workerFromEnv({
    ...process.env,
    REQUESTS_TABLE: tables.requests,
    AUDIT_TABLE: tables.audit,
    RATELIMIT_TABLE: tables.ratelimit,
    JOBS_QUEUE_URL: queueUrl,
    ZCOPS_CONFIG: runtimeConfigJson(config),
    ZCOPS_SECRETS_SOURCE: 'local',
    ZCOPS_SECRETS: JSON.stringify({
      ...simulatorTenantSecrets(config),
      'zcops/itsm/servicenow': JSON.parse(itsm.credentials.servicenow),
      'zcops/itsm/jira': JSON.parse(itsm.credentials.jira),
    }),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
});

afterAll(async () => {
  for (const k of SDK_ENV) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  delete process.env.AWS_SECRET_ACCESS_KEY;
  await closeAll();
  sqs?.destroy();
  await Promise.all([sim?.stop(), ddb?.stop(), fq?.stop(), itsm?.stop()]);
});

/** Records a QUEUED request as intake does and sends its job through the worker's own queue. */
async function submit(input: CanonicalRequestInput): Promise<RequestRecord> {
  const request = CanonicalRequestSchema.parse(input);
  const at = new Date().toISOString();
  const record = newRequestRecord({
    requestId: randomUUID(),
    state: 'QUEUED',
    request,
    target: targetOf(request),
    ticket: request.source.ref,
    sourceName: request.source.name,
    sourceKind: request.source.kind,
    at,
  });
  await deps.store.create(record);
  await deps.queue.send({
    v: 1,
    requestId: record.requestId,
    tenant: record.tenant,
    action: record.action,
    enqueuedAt: at,
    deferrals: 0,
  });
  return record;
}

/** One poll as the event source mapping does it; answers the records' final states. */
async function pollOnce(): Promise<void> {
  const out = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  const messages = out.Messages ?? [];
  expect(messages.length).toBeGreaterThan(0);
  const response = await createHandler(deps)(
    sqsEvent(messages.map((m) => ({ body: m.Body!, messageId: m.MessageId! }))),
  );
  expect(response.batchItemFailures).toEqual([]);
  for (const m of messages)
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
}

const groupId = () => [...sim.state.appConnectorGroups.keys()][0]!;

describe('worker built from its environment: ticket callbacks', () => {
  it('has the TicketNotifier as its listener and the job services, with SDK clients made on first use', () => {
    expect(deps.listeners).toHaveLength(1);
    expect(deps.config.notify.callbacks.map((c) => c.kind)).toEqual(['servicenow', 'jira']);
    // No SNAPSHOTS_BUCKET here: no snapshots service. Instance addresses come from EC2, whose
    // client the adapter makes on first use (test/unit/teardown: a provider is not called before).
    expect(deps.services?.snapshots).toBeUndefined();
    expect(deps.services?.instanceAddresses).toBeInstanceOf(Ec2InstanceAddresses);
    expect(deps.services?.lifecycle).toBeDefined();
  });

  it('a ServiceNow ticket that creates a group gets a work note saying SUCCEEDED', async () => {
    itsm.servicenow.addRecord('change_request', 'CHG0070001');
    const r = await submit({
      tenant: LOCAL_TENANT,
      reason: 'new site',
      source: { kind: 'itsm', name: 'servicenow', ref: 'CHG0070001' },
      action: 'appConnectorGroup.create',
      group: { name: 'Notify wiring group', location: 'Lyon, France', latitude: 45.76, longitude: 4.83 },
    });
    await pollOnce();
    expect(await deps.store.get(r.requestId)).toMatchObject({ state: 'SUCCEEDED' });
    const notes = itsm.servicenow.notes('CHG0070001');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.field).toBe('work_notes');
    expect(notes[0]!.value).toContain('appConnectorGroup.create completed (SUCCEEDED)');
    expect(notes[0]!.value).toContain(r.requestId);
    const callback = (await deps.audit.byRequest(r.requestId)).find((e) => e.type === 'callback');
    expect(callback?.detail).toMatchObject({
      channel: 'servicenow',
      ok: true,
      attempts: 1,
      state: 'SUCCEEDED',
    });
    // The credentials never reach the audit.
    expect(JSON.stringify(callback)).not.toContain(JSON.parse(itsm.credentials.servicenow).password);
  });

  it('a Jira ticket whose deletion is refused gets a comment with the reason', async () => {
    itsm.jira.addIssue('OPS-42');
    const c = sim.state.addConnector({
      groupId: groupId(),
      name: 'do not delete: core',
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
    });
    const r = await submit({
      tenant: LOCAL_TENANT,
      reason: 'cleanup',
      source: { kind: 'itsm', name: 'jira', ref: 'OPS-42' },
      action: 'appConnector.delete',
      connector: { id: c.id },
    });
    await pollOnce();
    const settled = await deps.store.get(r.requestId);
    expect(settled?.state).toBe('REJECTED'); // the protected-name guardrail
    expect(sim.state.connectors.has(c.id)).toBe(true);
    const comments = itsm.jira.comments('OPS-42');
    expect(comments).toHaveLength(1);
    expect(comments[0]!.apiVersion).toBe('2');
    expect(comments[0]!.text).toContain(`(${settled?.state})`);
    expect(comments[0]!.text).toMatch(/Reason: .*protected/i);
  });

  it('a request from a non-ITSM source settles without any callback', async () => {
    const before = itsm.servicenow.received.length + itsm.jira.received.length;
    const c = sim.state.addConnector({
      groupId: groupId(),
      name: 'api-removed',
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
    });
    const r = await submit({
      tenant: LOCAL_TENANT,
      reason: 'api',
      source: { kind: 'api', name: 'api', ref: 'CHG0070001' },
      action: 'appConnector.delete',
      connector: { id: c.id },
    });
    await pollOnce();
    expect(await deps.store.get(r.requestId)).toMatchObject({ state: 'SUCCEEDED' });
    expect(itsm.servicenow.received.length + itsm.jira.received.length).toBe(before);
    expect((await deps.audit.byRequest(r.requestId)).some((e) => e.type === 'callback')).toBe(false);
  });
});

describe('the worker built from the environment', () => {
  it('bounds every Zscaler call with the configured timeouts and attempts', () => {
    const { zscalerTimeoutSeconds: seconds, zscalerMaxAttempts } = deps.config.worker;
    expect(seconds).toBeGreaterThan(0);
    expect(deps.client).toEqual({
      http: {
        connectTimeoutMs: Math.min(10, seconds) * 1000,
        headersTimeoutMs: seconds * 1000,
        bodyTimeoutMs: seconds * 1000,
      },
      retry: { maxAttempts: zscalerMaxAttempts },
    });
  });
});
