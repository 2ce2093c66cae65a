import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/exit-codes.ts';
import { waitForSettled } from '../../../cli/request-view.ts';
import { runCli } from '../../../cli/run.ts';
import { terminateLifecycleEvent } from '../../../local/aws-events.ts';
import { type DeployedStack, startDeployedStack } from '../../../local/deployed/deployed-stack.ts';
import { checkIam, evaluate, roleStatements, wildcardMatch } from '../../../local/deployed/iam-check.ts';
import { resolve } from '../../../local/deployed/intrinsics.ts';
import { UNUSED_GRANT_REASONS } from '../../../local/deployed/unused-grant-reasons.ts';
import { LOCAL_ASG_GROUP_ID, LOCAL_ASG_NAME, LOCAL_TENANT } from '../../../local/local-config.ts';
import { SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from '../../../shared/core/webhook-signature.ts';
import { DynamoRequestStore } from '../../../shared/requests/dynamo-request-store.ts';
import { createDocumentClient } from '../../../shared/storage/dynamo.ts';
import { waitFor } from '../../fixtures/wait-for.ts';
import { testIo } from '../../unit/cli/test-io.ts';

const ROOT = resolvePath(import.meta.dirname, '../../..');
const CREDENTIALS = { accessKeyId: 'test-reader', secretAccessKey: 'x' };

/**
 * The synthesized stack run as deployed (local/deployed): bundles from cdk.out, the template's
 * environment, routes, rule pattern, schedule, event source mapping and async-invoke settings.
 */
describe('the deployed shape', () => {
  let d: DeployedStack;
  let store: DynamoRequestStore;
  let requestsTable: string;
  const workDir = mkdtempSync(join(tmpdir(), 'zcops-deployed-'));

  beforeAll(async () => {
    d = await startDeployedStack({
      projectRoot: ROOT,
      workDir,
      // ZCOPS_DEPLOYED_LOGS=1 prints the functions' own log lines.
      ...(process.env.ZCOPS_DEPLOYED_LOGS
        ? { onLog: (id: string, line: string) => console.log(id, line) }
        : {}),
    });
    requestsTable =
      d.names.refs[
        d.stack.ofType('AWS::DynamoDB::Table').find(([id]) => id.startsWith('TablesRequests'))![0]
      ]!;
    store = new DynamoRequestStore(
      createDocumentClient({ region: 'us-east-1', endpoint: d.endpoints.dynamodb, credentials: CREDENTIALS }),
      requestsTable,
    );
  }, 120_000);
  afterAll(async () => {
    await d?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  /** A function's Powertools log lines (EMF metric lines and runtime warnings left out). */
  const logLines = (name: 'webhook' | 'events' | 'worker') =>
    d.logs[d.functionId(name)]!.flatMap((l) => {
      try {
        const parsed = JSON.parse(l) as Record<string, unknown>;
        return typeof parsed.level === 'string' ? [parsed] : [];
      } catch {
        return [];
      }
    });

  const queueId = (prefix: string) =>
    d.stack.ofType('AWS::SQS::Queue').find(([id]) => id.startsWith(prefix))![0];

  const settled = async (requestId: string) => {
    const { record } = await waitForSettled(store, requestId, { timeoutMs: 30_000, intervalMs: 200 });
    return record;
  };

  // The demo's three flows (local/demo.ts), each checked as the demo checks it, through the deployed shape.
  it('ITSM ticket through the HTTP API → App Connector group created, the ticket gets a work note', async () => {
    const groupName = `Deployed Lyon ${Date.now().toString(36)}`;
    const body = JSON.stringify({
      number: 'CHG0090001',
      short_description: 'App Connector group for Lyon',
      u_zcops_action: 'Create App Connector group',
      u_zscaler_tenant: LOCAL_TENANT,
      u_group_name: groupName,
      u_location: 'Lyon, France',
      u_latitude: '45.764',
      u_longitude: '4.8357',
    });
    // The ticket exists in ServiceNow (the stand-in), as the one that sent the webhook does.
    d.itsm.servicenow.addRecord('change_request', 'CHG0090001');
    const key = (d.secrets['zcops/sources/servicenow'] as { hmac: string }).hmac;
    const ts = String(Math.floor(Date.now() / 1000));
    const answer = await fetch(`${d.url}/v1/hooks/servicenow`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [TIMESTAMP_HEADER]: ts,
        [SIGNATURE_HEADER]: sign(key, ts, body),
      },
      body,
    });
    const json = (await answer.json()) as { requestId?: string };
    expect(answer.status, JSON.stringify(json)).toBe(202);
    const record = await settled(json.requestId!);
    expect(record?.state, JSON.stringify(record)).toBe('SUCCEEDED');
    expect([...d.simulator.state.appConnectorGroups.values()].some((g) => g.name === groupName)).toBe(true);
    // The worker's ticket callback (its bundle, its role's GetSecretValue on the callback secret) follows
    // the settlement: the ServiceNow stand-in got a work note saying SUCCEEDED.
    let notes = d.itsm.servicenow.notes('CHG0090001');
    for (let i = 0; i < 100 && notes.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      notes = d.itsm.servicenow.notes('CHG0090001');
    }
    expect(notes.at(-1)?.field).toBe('work_notes');
    expect(notes.at(-1)?.value).toContain('(SUCCEEDED)');
  });

  it('serves only the routes the HTTP API declares: others answer 404 without running the function', async () => {
    const webhook = d.functions[d.functionId('webhook')]!;
    const before = webhook.invocations;
    const missing = await fetch(`${d.url}/v1/hooks/nothing`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'Not Found' });
    expect(webhook.invocations).toBe(before);
    // The generic scale-in hook is deployed: the function answers it (401: no credentials).
    const teardown = await fetch(`${d.url}/v1/hooks/teardown`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(teardown.status).toBe(401);
    expect(webhook.invocations).toBe(before + 1);
  });

  it('terminate lifecycle event through the EventBridge rule → connector deleted, lifecycle completed', async () => {
    const instanceId = 'i-0d3e1a2b3c4d5e6f7';
    const privateIp = '10.20.30.40';
    const connector = d.simulator.state.addConnector({
      name: 'deployed-connector-1',
      groupId: LOCAL_ASG_GROUP_ID,
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
      privateIp,
    });
    const token = '11111111-2222-4333-8444-555555555555';
    d.controlPlane.addInstance({ instanceId, privateIp, state: 'shutting-down' });
    d.controlPlane.addLifecycleAction({
      asgName: LOCAL_ASG_NAME,
      hookName: 'zcops-teardown',
      token,
      instanceId,
    });
    const events = d.functions[d.functionId('events')]!;
    const before = events.invocations;

    // Another group's event does not match the rule's pattern: the function never sees it.
    const other = await d.putEvent(
      terminateLifecycleEvent({
        asgName: 'someone-elses-asg',
        instanceId: 'i-0000000000000000a',
        token: 'x',
      }),
    );
    expect(other.matchedRules).toEqual([]);
    await d.settled();
    expect(events.invocations).toBe(before);

    const put = await d.putEvent(
      terminateLifecycleEvent({
        asgName: LOCAL_ASG_NAME,
        instanceId,
        hookName: 'zcops-teardown',
        token,
        metadata: { tenant: LOCAL_TENANT, groupId: LOCAL_ASG_GROUP_ID },
      }),
    );
    expect(put.matchedRules).toHaveLength(1);
    await d.settled();
    const invocation = d.asyncInvocations.at(-1)!;
    expect(invocation.attempts, invocation.error).toBe(1);
    const requestId = (invocation.result as { requestId: string }).requestId;
    const record = await settled(requestId);
    expect(record?.state, JSON.stringify(record)).toBe('SUCCEEDED');
    expect(d.simulator.state.connectors.has(connector.id)).toBe(false);
    expect(d.controlPlane.completions.find((c) => c.instanceId === instanceId)?.result).toBe('CONTINUE');
    // The hook's metadata names no connector: the worker found it by the private IP EC2 answered.
    expect(d.controlPlane.calls.some((c) => c.action === 'DescribeInstances' && c.status === 200)).toBe(true);
  });

  it('snapshot schedule through Scheduler → snapshot written to the bucket', async () => {
    await d.fireSchedule();
    await d.settled();
    const invocation = d.asyncInvocations.at(-1)!;
    const requestId = (invocation.result as { requestId: string }).requestId;
    const record = await settled(requestId);
    expect(record?.state, JSON.stringify(record)).toBe('SUCCEEDED');
    const bucketId = d.stack.ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('SnapshotsBucket'))![0];
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: d.endpoints.s3,
      credentials: CREDENTIALS,
      forcePathStyle: true,
    });
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: d.names.refs[bucketId], Prefix: `snapshots/${LOCAL_TENANT}/` }),
    );
    expect((listed.Contents ?? []).map((o) => o.Key).some((k) => k?.endsWith('manifest.json'))).toBe(true);
    // The manifest the request names is readable and counts what was listed.
    const result = (record?.result ?? {}) as { bucket?: string; manifest?: string };
    const obj = await s3.send(new GetObjectCommand({ Bucket: result.bucket, Key: result.manifest }));
    const manifest = JSON.parse(await obj.Body!.transformToString()) as { counts?: Record<string, number> };
    s3.destroy();
    expect(manifest.counts?.appConnectors ?? 0).toBeGreaterThan(0);
  });

  it('every function log line carries its Lambda context; the webhook lines carry the API Gateway request id', async () => {
    const answer = await fetch(`${d.url}/v1/requests/0b7d3c1e-5f7a-4d2b-9c1e-2a3b4c5d6e7f`);
    const apiRequestId = answer.headers.get('apigw-requestid');
    expect(apiRequestId).toBeTruthy();
    // The worker logs nothing at INFO for a job that succeeds; a message that is no job makes it speak.
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: d.endpoints.sqs, credentials: CREDENTIALS });
    await sqs.send(
      new SendMessageCommand({ QueueUrl: d.names.refs[queueId('JobsQueue')], MessageBody: 'not a job' }),
    );
    sqs.destroy();
    await waitFor(() => logLines('worker').length > 0, {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: 'a worker log line',
    });
    for (const name of ['webhook', 'events', 'worker'] as const) {
      const lines = logLines(name);
      expect(lines.length, `${name}: ${d.logs[d.functionId(name)]!.slice(0, 5).join('\n')}`).toBeGreaterThan(
        0,
      );
      for (const line of lines) {
        expect(line.function_request_id, `${name}: ${JSON.stringify(line)}`).toMatch(/^[0-9a-f-]{36}$/);
        expect(typeof line.cold_start).toBe('boolean');
      }
      // The worker's first (cold) invocations ran jobs that succeeded silently.
      if (name !== 'worker')
        expect(
          lines.some((l) => l.cold_start === true),
          name,
        ).toBe(true);
    }
    const webhookLines = logLines('webhook');
    expect(webhookLines.some((l) => l.api_request_id === apiRequestId)).toBe(true);
    for (const l of webhookLines) expect(l.api_request_id).toBeTruthy();
  });

  it('an event the events function failed on lands in its on-failure queue; zcops events redrive replays it', async () => {
    const instanceId = 'i-0e4f5a6b7c8d9e0f1';
    const privateIp = '10.20.30.41';
    const connector = d.simulator.state.addConnector({
      name: 'deployed-connector-2',
      groupId: LOCAL_ASG_GROUP_ID,
      controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
      privateIp,
    });
    const token = '66666666-7777-4888-8999-000000000000';
    d.controlPlane.addInstance({ instanceId, privateIp, state: 'shutting-down' });
    d.controlPlane.addLifecycleAction({
      asgName: LOCAL_ASG_NAME,
      hookName: 'zcops-teardown',
      token,
      instanceId,
    });

    // The jobs queue is gone for a while: the events function throws on every attempt.
    const jobsId = queueId('JobsQueue');
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: d.endpoints.sqs, credentials: CREDENTIALS });
    await sqs.send(new DeleteQueueCommand({ QueueUrl: d.names.refs[jobsId] }));
    await d.putEvent(
      terminateLifecycleEvent({
        asgName: LOCAL_ASG_NAME,
        instanceId,
        hookName: 'zcops-teardown',
        token,
        metadata: { tenant: LOCAL_TENANT, groupId: LOCAL_ASG_GROUP_ID },
      }),
    );
    await d.settled();
    const failed = d.asyncInvocations.at(-1)!;
    // One attempt and the template's two retries, then the on-failure destination.
    expect(failed).toMatchObject({ attempts: 3, sentToOnFailure: true });

    // The queue is back (same name, the template's settings); the operator replays the event.
    const jobs = d.stack.resources[jobsId]!.Properties!;
    await sqs.send(
      new CreateQueueCommand({
        QueueName: jobsId,
        Attributes: {
          VisibilityTimeout: String(jobs.VisibilityTimeout),
          RedrivePolicy: JSON.stringify(resolve(jobs.RedrivePolicy, d.names)),
        },
      }),
    );
    sqs.destroy();
    const dir = mkdtempSync(join(tmpdir(), 'zcops-deployed-cli-'));
    const profileFile = join(dir, 'profile.json');
    writeFileSync(profileFile, JSON.stringify(d.cliProfile()));
    const io = testIo({ cwd: dir, env: { ZCOPS_OPERATOR: 'test-operator' } });
    const code = await runCli(['events', 'redrive', '--all', '--json', '--profile-file', profileFile], io);
    expect(code, io.stdout + io.stderr).toBe(EXIT.ok);
    const out = io.json<{ redriven: { outcome: string; requestId: string; detailType: string }[] }>();
    expect(out.redriven).toHaveLength(1);
    expect(out.redriven[0]).toMatchObject({
      outcome: 'accepted',
      detailType: 'EC2 Instance-terminate Lifecycle Action',
    });
    const record = await settled(out.redriven[0]!.requestId);
    expect(record?.state, JSON.stringify(record)).toBe('SUCCEEDED');
    expect(d.simulator.state.connectors.has(connector.id)).toBe(false);
    expect(d.controlPlane.completions.find((c) => c.instanceId === instanceId)?.result).toBe('CONTINUE');
    // The queue is empty again: a second redrive finds nothing.
    const again = testIo({ cwd: dir, env: {} });
    expect(await runCli(['events', 'redrive', '--all', '--json', '--profile-file', profileFile], again)).toBe(
      EXIT.ok,
    );
    expect(again.json<{ redriven: unknown[] }>().redriven).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('IAM by use: every AWS call a function made is allowed by its role; unused grants each have a reason', async () => {
    const report = checkIam(d.stack, d.names, d.accessKeys, d.calls);
    expect(report.verdicts.length).toBeGreaterThan(20);
    expect(report.denied).toEqual([]);
    // The check can deny: the worker may never rewrite the audit trail (an explicit deny in its role).
    const workerRole = report.verdicts.find((v) => v.functionId === d.functionId('worker'))!.roleId;
    const auditId = d.stack.ofType('AWS::DynamoDB::Table').find(([id]) => id.startsWith('TablesAudit'))![0];
    expect(
      evaluate(roleStatements(d.stack, d.names, workerRole), {
        accessKeyId: 'x',
        action: 'dynamodb:DeleteItem',
        resources: [d.names.attributes[`${auditId}.Arn`]!],
      }),
    ).toBe('explicit-deny');
    const nameOf = (functionId: string) =>
      (['webhook', 'events', 'worker'] as const).find((n) => d.functionId(n) === functionId)!;
    const covers = (r: (typeof UNUSED_GRANT_REASONS)[number], u: (typeof report.unused)[number]) =>
      (r.function === '*' || r.function === nameOf(u.functionId)) &&
      wildcardMatch(r.action, u.action, true) &&
      wildcardMatch(r.resource, u.resource);
    const reasonFor = (u: (typeof report.unused)[number]) => UNUSED_GRANT_REASONS.find((r) => covers(r, u));
    const unexplained = report.unused.filter((u) => !reasonFor(u));
    expect(
      unexplained,
      'a grant no call used: remove it or give it a reason in unused-grant-reasons.ts',
    ).toEqual([]);
    // A reason must still name a grant of the template (one removed takes its reason with it). Whether a
    // rarely used grant happens to be used in a run depends on timing, so that is not asked.
    const stale = UNUSED_GRANT_REASONS.filter((r) => !report.grants.some((g) => covers(r, g)));
    expect(stale, 'a reason for a grant that is gone').toEqual([]);
  });
});
