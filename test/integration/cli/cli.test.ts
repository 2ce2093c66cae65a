import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/exit-codes.ts';
import { runCli } from '../../../cli/run.ts';
import { type LocalStack, startLocalStack } from '../../../local/stack.ts';
import { JOBS } from '../../../shared/jobs/registry.ts';
import { DynamoRequestStore } from '../../../shared/requests/dynamo-request-store.ts';
import { serializeJobMessage } from '../../../shared/requests/job-message.ts';
import { createDocumentClient } from '../../../shared/storage/dynamo.ts';
import { waitFor } from '../../fixtures/wait-for.ts';
import { testIo } from '../../unit/cli/test-io.ts';

/** Every CLI command, in-process, against a started local stack; `--json` output parsed. */
describe('zcops against the local stack', () => {
  let stack: LocalStack;
  let cwd: string;
  let store: DynamoRequestStore;
  const env = { ZCOPS_OPERATOR: 'test-operator' };

  const cli = async (args: string[], stdin?: string) => {
    const io = testIo({ cwd, env, ...(stdin !== undefined ? { stdin } : {}) });
    const code = await runCli(args, io);
    return { code, io, json: <T = Record<string, unknown>>() => io.json<T>() };
  };

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'zcops-cli-'));
    mkdirSync(join(cwd, '.zcops'));
    stack = await startLocalStack({
      stateDir: join(cwd, '.zcops'),
      port: 0,
      pollWaitSeconds: 1,
      schedules: false,
    });
    const doc = createDocumentClient({
      region: 'us-east-1',
      endpoint: stack.profile.endpoints.dynamodb!,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    store = new DynamoRequestStore(doc, stack.profile.tables.requests);
  });
  afterAll(() => stack?.stop());

  let deleteId = '';

  it('submit (flags, --wait): a dry-run delete is planned and audited, and settles', async () => {
    const r = await cli([
      'submit',
      '--action',
      'appConnector.delete',
      '--tenant',
      'acme',
      '--connector-id',
      '72057615512764540',
      '--reason',
      'decommission AWS-7',
      '--ticket',
      'CHG0050001',
      '--dry-run',
      '--force',
      '--wait',
      '--timeout',
      '30',
      '--json',
    ]);
    const out = r.json<{
      requestId: string;
      state: string;
      dryRun: boolean;
      source: { name: string };
      audit: { type: string }[];
    }>();
    expect(r.code, r.io.stdout).toBe(EXIT.ok);
    expect(out).toMatchObject({ state: 'SUCCEEDED', dryRun: true, source: { name: 'cli' } });
    expect(out.audit.map((e) => e.type)).toContain('planned');
    expect(stack.simulator!.state.connectors.has('72057615512764540')).toBe(true);
    deleteId = out.requestId;
  });

  it('submit (file), and again: the second is a duplicate of the first', async () => {
    const file = join(cwd, 'cleanup.json');
    writeFileSync(
      file,
      JSON.stringify({
        action: 'appConnector.cleanup',
        tenant: 'acme',
        reason: 'stale connectors',
        disconnectedFor: '15d',
        dryRun: true,
        idempotencyKey: 'cleanup-1',
      }),
    );
    const first = await cli(['submit', 'cleanup.json', '--json']);
    expect(first.code).toBe(EXIT.ok);
    const a = first.json<{ requestId: string; outcome: string }>();
    expect(a.outcome).toBe('accepted');
    const second = await cli(['submit', file, '--json']);
    expect(second.json<{ requestId: string; outcome: string }>()).toMatchObject({
      requestId: a.requestId,
      outcome: 'duplicate',
    });
  });

  it('submit (stdin), human output', async () => {
    const r = await cli(
      ['submit', '-'],
      JSON.stringify({ action: 'inventory.snapshot', tenant: 'acme', reason: 'from stdin', dryRun: true }),
    );
    expect(r.code).toBe(EXIT.ok);
    expect(r.io.stdout).toMatch(/submitted request [0-9a-f-]{36}: QUEUED/);
  });

  it('submit: an invalid request lists every issue (exit 2); a policy refusal exits 4', async () => {
    const bad = await cli(['submit', '--action', 'appConnector.delete', '--tenant', 'nowhere', '--json']);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.io.stdout).toBe('');
    const issues = bad.io
      .errorJson<{ error: { issues: { path: string }[] } }>()
      .error.issues.map((i) => i.path);
    expect(issues).toEqual(expect.arrayContaining(['reason', 'connector']));
    const denied = await cli(
      ['submit', '-', '--json'],
      JSON.stringify({
        action: 'pccGroup.create',
        tenant: 'acme',
        reason: 'x',
        group: { name: 'g', countryCode: 'FR', latitude: '1', longitude: '1', location: 'x' },
      }),
    );
    expect(denied.code).toBe(EXIT.requestFailed);
    expect(denied.io.errorJson<{ error: { message: string } }>().error.message).toMatch(/policy/);
  });

  it('status: a request with its trail; unknown (3), malformed (2)', async () => {
    const r = await cli(['status', deleteId, '--json']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.json()).toMatchObject({ requestId: deleteId, state: 'SUCCEEDED', ticket: 'CHG0050001' });
    const human = await cli(['status', deleteId]);
    expect(human.io.stdout).toContain('state:');
    expect(human.io.stdout).toContain('SUCCEEDED');
    expect((await cli(['status', '00000000-0000-4000-8000-000000000000'])).code).toBe(EXIT.notFound);
    expect((await cli(['status', '../etc'])).code).toBe(EXIT.usage);
  });

  it('audit by request, ticket and resource; nothing found exits 3', async () => {
    const byRequest = await cli(['audit', '--request', deleteId, '--json']);
    expect(byRequest.code).toBe(EXIT.ok);
    expect(byRequest.json<{ count: number }>().count).toBeGreaterThan(3);
    const byTicket = await cli(['audit', '--ticket', 'CHG0050001', '--json']);
    expect(
      byTicket.json<{ events: { requestId: string }[] }>().events.every((e) => e.requestId === deleteId),
    ).toBe(true);
    const byResource = await cli([
      'audit',
      '--resource',
      'appConnector/72057615512764540',
      '--tenant',
      'acme',
      '--json',
    ]);
    expect(byResource.code).toBe(EXIT.ok);
    expect(byResource.json<{ resource: string }>().resource).toBe('acme:appConnector/72057615512764540');
    const table = await cli(['audit', '--ticket', 'CHG0050001']);
    expect(table.io.stdout).toMatch(/^TIME\s+REQUEST\s+EVENT/);
    expect((await cli(['audit', '--ticket', 'CHG-none'])).code).toBe(EXIT.notFound);
    expect((await cli(['audit', '--ticket', 'a', '--request', deleteId])).code).toBe(EXIT.usage);
  });

  it('snapshot: submits, follows with a progress bar and prints the summary', async () => {
    const r = await cli(['snapshot', '--timeout', '30']);
    if (JOBS['inventory.snapshot']) {
      expect(r.code, r.io.stderr + r.io.stdout).toBe(EXIT.ok);
      expect(r.io.stdout).toContain('written to');
      expect(r.io.stdout).toContain('s3://zcops-snapshots/');
    } else {
      // Worker part 2 has not registered the job yet: the request fails, and the CLI says so.
      expect(r.code).toBe(EXIT.requestFailed);
      expect(r.io.stdout).toContain('FAILED');
    }
    expect(r.io.stderr).toMatch(/\[#+\.*\]\s+\d+%/);
    const noWait = await cli(['snapshot', '--no-wait', '--json']);
    expect(noWait.json()).toMatchObject({ state: 'QUEUED' });
    expect((await cli(['snapshot', '--tenant', 'other'])).code).toBe(EXIT.notFound);
  });

  it('limiter: the keys the worker used, per tenant; an unknown key exits 3', async () => {
    const r = await cli(['limiter', '--json']);
    expect(r.code).toBe(EXIT.ok);
    const keys = r.json<{ keys: { key: string; granted: number; windows: unknown[] }[] }>().keys;
    const read = keys.find((k) => k.key === 'acme/zpa/read');
    expect(read?.granted).toBeGreaterThan(0);
    expect(read?.windows.length).toBeGreaterThan(0);
    expect((await cli(['limiter'])).io.stdout).toMatch(/^KEY\s+WINDOWS/);
    expect(
      (await cli(['limiter', '--key', 'acme/zpa/read', '--json'])).json<{ keys: unknown[] }>().keys,
    ).toHaveLength(1);
    expect((await cli(['limiter', '--key', 'acme/ztw/delete'])).code).toBe(EXIT.notFound);
  });

  it('dlq list and redrive: a dead-lettered job runs again as a new request', async () => {
    const old = await store.get(deleteId);
    const body = serializeJobMessage({
      v: 1,
      requestId: deleteId,
      tenant: 'acme',
      action: 'appConnector.delete',
      enqueuedAt: new Date().toISOString(),
      deferrals: 0,
    });
    await stack.aws.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.resources.queues.dlqUrl, MessageBody: body }),
    );
    await stack.aws.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.resources.queues.dlqUrl, MessageBody: 'not a job' }),
    );
    const list = await cli(['dlq', 'list', '--json']);
    expect(list.code).toBe(EXIT.ok);
    const messages = list.json<{ messages: { requestId?: string; error?: string; state?: string }[] }>()
      .messages;
    expect(messages).toHaveLength(2);
    expect(messages.find((m) => m.requestId === deleteId)?.state).toBe(old?.state);
    expect(messages.some((m) => m.error)).toBe(true);
    const redrive = await cli(['dlq', 'redrive', deleteId, '--dry-run', '--json']);
    expect(redrive.code, redrive.io.stdout).toBe(EXIT.ok);
    const [entry] = redrive.json<{ redriven: { requestId: string; newRequestId: string }[] }>().redriven;
    expect(entry?.requestId).toBe(deleteId);
    expect(entry?.newRequestId).not.toBe(deleteId);
    const again = await cli(['dlq', 'list', '--json']);
    expect(again.json<{ messages: unknown[] }>().messages).toHaveLength(1);
    expect((await cli(['dlq', 'redrive', '00000000-0000-4000-8000-000000000000'])).code).toBe(EXIT.notFound);
    expect((await cli(['dlq', 'redrive'])).code).toBe(EXIT.usage);
  });

  it('approve: a HELD request goes back to QUEUED; others are refused', async () => {
    const base = (await store.get(deleteId))!;
    const heldId = '11111111-2222-4333-8444-555555555555';
    await store.create({
      ...base,
      requestId: heldId,
      state: 'HELD',
      stateReason: 'guardrail:deletion-cap',
      ticket: 'CHG-HELD',
    });
    const list = await cli(['approve', '--list', '--json']);
    expect(list.json<{ held: { requestId: string }[] }>().held.map((h) => h.requestId)).toContain(heldId);
    const r = await cli(['approve', heldId, '--note', 'change window', '--json']);
    expect(r.code, r.io.stdout).toBe(EXIT.ok);
    expect(r.json()).toMatchObject({
      requestId: heldId,
      state: 'QUEUED',
      approvedBy: 'test-operator (self-asserted)',
    });
    const trail = await cli(['audit', '--request', heldId, '--json']);
    expect(
      trail
        .json<{ events: { type: string; detail?: { by?: string } }[] }>()
        .events.find((e) => e.type === 'approved')?.detail?.by,
    ).toBe('test-operator (self-asserted)');
    expect((await cli(['approve', deleteId])).code).toBe(EXIT.requestFailed);
    expect((await cli(['approve', '00000000-0000-4000-8000-000000000000'])).code).toBe(EXIT.notFound);

    // A deployed stack (here: the same tables, described as deployed): the approver is who AWS says.
    const arn = 'arn:aws:sts::123456789012:assumed-role/ZcopsOperators/alice';
    const sts = mockClient(STSClient);
    sts.on(GetCallerIdentityCommand).resolves({ Arn: arn });
    try {
      const profileFile = join(cwd, 'deployed-profile.json');
      writeFileSync(profileFile, JSON.stringify({ ...stack.profile, kind: 'deployed', pid: undefined }));
      const heldAws = '11111111-2222-4333-8444-666666666666';
      await store.create({
        ...base,
        requestId: heldAws,
        state: 'HELD',
        stateReason: 'guardrail:deletion-cap',
      });
      const d = await cli(['approve', heldAws, '--profile-file', profileFile, '--json']);
      expect(d.code, d.io.stderr).toBe(EXIT.ok);
      expect(d.json()).toMatchObject({ requestId: heldAws, approvedBy: arn });
      expect((await store.get(heldAws))?.stateReason).toBe(`approved by ${arn}`);
      const p = await cli(['pause', 'acme', '--profile-file', profileFile, '--json']);
      expect(p.json()).toMatchObject({ paused: true, by: arn });
      expect((await cli(['resume', 'acme', '--profile-file', profileFile, '--json'])).json()).toMatchObject({
        paused: false,
        by: arn,
      });
    } finally {
      sts.restore();
    }
  });

  it('pause and resume a tenant', async () => {
    const p = await cli(['pause', 'acme', '--reason', 'change freeze', '--json']);
    expect(p.code).toBe(EXIT.ok);
    expect(p.json()).toMatchObject({
      tenant: 'acme',
      paused: true,
      reason: 'change freeze',
      by: 'test-operator (self-asserted)',
    });
    const r = await cli(['resume', 'acme', '--json']);
    expect(r.json()).toMatchObject({ tenant: 'acme', paused: false, wasPaused: true });
    expect((await cli(['resume', 'acme'])).io.stdout).toContain('was not paused');
    expect((await cli(['pause', 'globex'])).code).toBe(EXIT.notFound);
    expect((await cli(['pause'])).code).toBe(EXIT.usage);
  });

  it('simulator: starts, prints where it listens, stops on Ctrl-C', async () => {
    const io = testIo({ cwd, env });
    const running = runCli(['simulator', '--port', '0', '--json'], io);
    await waitFor(() => io.stdout.includes('"url"'), {
      timeoutMs: 10_000,
      what: 'the simulator to print its url',
    });
    const { url } = JSON.parse(io.stdout) as { url: string };
    expect((await fetch(`${url}/signin`, { method: 'POST' })).status).toBeGreaterThanOrEqual(400);
    io.abort();
    expect(await running).toBe(EXIT.ok);
  });
});
