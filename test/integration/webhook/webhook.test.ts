import { ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandler as createEventsHandler } from '../../../functions/events/handler.ts';
import { createHandler } from '../../../functions/webhook/handler.ts';
import { AUDIT_TABLE } from '../../../shared/audit/table.ts';
import { MemoryLifecycleCompleter } from '../../../shared/intake/lifecycle-completer.ts';
import { EnqueueError } from '../../../shared/requests/errors.ts';
import { parseJobMessage } from '../../../shared/requests/job-message.ts';
import type { JobQueue } from '../../../shared/requests/job-queue.ts';
import { fixture, httpEvent, signedHeaders } from '../../fixtures/events/index.ts';
import { INTAKE_START, SECRETS, testConfig, testSecrets } from '../../fixtures/events/intake-setup.ts';
import { type LoopbackStack, startLoopbackStack } from '../../fixtures/events/stack.ts';
import { manualClock } from '../../fixtures/manual-clock.ts';

const clock = manualClock(INTAKE_START);
const LIFECYCLE_TOKEN = '87654321-4321-4321-4321-210987654321';
let stack: LoopbackStack;
let output = '';

beforeAll(async () => {
  stack = await startLoopbackStack(clock);
  delete process.env.POWERTOOLS_METRICS_DISABLED;
  // Everything Powertools Logger and Metrics print goes through process.stdout / process.stderr.
  const capture = (chunk: string | Uint8Array) => {
    output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await stack.stop();
});

/** A queue that fails once with an error whose message carries a secret (it must not reach logs). */
class LeakyQueue implements JobQueue {
  fail = false;
  readonly inner: JobQueue;
  constructor(inner: JobQueue) {
    this.inner = inner;
  }
  send(...args: Parameters<JobQueue['send']>) {
    if (this.fail) {
      this.fail = false;
      return Promise.reject(
        new EnqueueError(`send failed for Bearer ${SECRETS.apiBearer} with ${SECRETS.snHmac}`),
      );
    }
    return this.inner.send(...args);
  }
}

describe('webhook on dynalite + fauxqs', () => {
  it('runs every flow end to end; audit and logs never contain a secret or token', async () => {
    const queue = new LeakyQueue(stack.queue);
    const deps = {
      config: testConfig(),
      secrets: testSecrets(),
      store: stack.store,
      audit: stack.audit,
      queue,
      clock,
    };
    const handler = createHandler(deps);
    const events = createEventsHandler({ ...deps, completer: new MemoryLifecycleCompleter() });
    const body = (a: { body: string }) => JSON.parse(a.body);

    // ServiceNow: created, then the same ticket again.
    const sn = JSON.stringify(fixture('servicenow-change.json'));
    const created = await handler(
      httpEvent({
        path: '/v1/hooks/servicenow',
        body: sn,
        headers: signedHeaders(SECRETS.snHmac, sn, clock.now()),
      }),
    );
    expect(created.statusCode).toBe(202);
    const again = await handler(
      httpEvent({
        path: '/v1/hooks/servicenow',
        body: sn,
        headers: { authorization: `Bearer ${SECRETS.snBearer}` },
      }),
    );
    expect(body(again)).toMatchObject({ requestId: body(created).requestId, duplicate: true });

    // Jira with a bearer token.
    const jira = JSON.stringify(fixture('jira-issue-updated.json'));
    const j = await handler(
      httpEvent({
        path: '/v1/hooks/jira',
        body: jira,
        headers: { authorization: `Bearer ${SECRETS.jiraBearer}` },
      }),
    );
    expect(j.statusCode).toBe(202);

    // API: 409 on a reused key, 400, 401, 403, 413.
    const api = (text: string, extra: Record<string, string> = {}) =>
      handler(
        httpEvent({
          path: '/v1/requests',
          body: text,
          headers: { ...signedHeaders(SECRETS.apiHmac, text, clock.now(), 'api'), ...extra },
        }),
      );
    const req = {
      action: 'appConnector.cleanup',
      tenant: 'acme',
      reason: 'weekly',
      disconnectedFor: '15d',
      idempotencyKey: 'c-1',
    };
    expect((await api(JSON.stringify(req))).statusCode).toBe(202);
    expect((await api(JSON.stringify({ ...req, disconnectedFor: '30d' }))).statusCode).toBe(409);
    expect(
      (await api(JSON.stringify({ ...req, idempotencyKey: 'c-2', disconnectedFor: 'soon' }))).statusCode,
    ).toBe(400);
    expect((await api(JSON.stringify({ ...req, tenant: 'globex', idempotencyKey: 'c-3' }))).statusCode).toBe(
      403,
    );
    expect((await api('x'.repeat(70_000))).statusCode).toBe(413);
    const forged = JSON.stringify(req);
    expect(
      (
        await handler(
          httpEvent({
            path: '/v1/requests',
            body: forged,
            headers: { authorization: `Bearer ${SECRETS.apiBearer}x`, 'x-zcops-source': 'api' },
          }),
        )
      ).statusCode,
    ).toBe(401);

    // The queue fails (with a secret in its error): 503, not accepted; the retry works.
    queue.fail = true;
    const down = await api(JSON.stringify({ ...req, idempotencyKey: 'c-4' }));
    expect(down.statusCode).toBe(503);
    expect(down.body).not.toContain(SECRETS.apiBearer);
    expect((await api(JSON.stringify({ ...req, idempotencyKey: 'c-4' }))).statusCode).toBe(202);

    // A lifecycle event with its token.
    const lc = await events(fixture('eventbridge-terminate-lifecycle.json'));
    expect(lc.outcome).toBe('accepted');

    // GET answers state and audit trail (the token redacted).
    const get = await handler(
      httpEvent({
        method: 'GET',
        path: `/v1/requests/${lc.requestId}`,
        headers: signedHeaders(SECRETS.apiHmac, '', clock.now(), 'api'),
      }),
    );
    expect(get.statusCode).toBe(200);
    expect(body(get)).toMatchObject({ state: 'QUEUED', request: { lifecycle: { token: '[REDACTED]' } } });
    expect(body(get).audit.map((e: { type: string }) => e.type)).toEqual(['received', 'validated', 'queued']);

    // Exactly the accepted requests reached the queue, and each is a recorded request.
    const messages = (await stack.drain()).map(parseJobMessage);
    expect(messages).toHaveLength(5);
    for (const m of messages) expect((await stack.store.get(m.requestId))?.state).toBe('QUEUED');

    // Scan everything written to the audit table and every log line for the secrets used.
    const scan = await stack.raw.send(new ScanCommand({ TableName: AUDIT_TABLE.defaultName }));
    const audit = JSON.stringify(scan.Items);
    expect(scan.Items?.length).toBeGreaterThan(20);
    expect(output).toContain('"correlation_id"');
    expect(output).toContain('"_aws"');
    expect(output).toContain('send failed for Bearer [REDACTED] with [REDACTED]');
    for (const secret of [...Object.values(SECRETS), LIFECYCLE_TOKEN]) {
      expect(audit, secret).not.toContain(secret);
      expect(output, secret).not.toContain(secret);
    }
  });

  it('fuzzed signed bodies against the real stand-ins: no 5xx and nothing invalid queued', async () => {
    const deps = {
      config: testConfig(),
      secrets: testSecrets(),
      store: stack.store,
      audit: stack.audit,
      queue: stack.queue,
      clock,
    };
    const handler = createHandler(deps);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
          fc
            .record({ action: fc.string(), tenant: fc.constant('acme'), reason: fc.string() })
            .map((v) => JSON.stringify(v)),
          fc.string({ unit: 'grapheme', maxLength: 100 }),
        ),
        async (text) => {
          const a = await handler(
            httpEvent({
              path: '/v1/requests',
              body: text,
              headers: signedHeaders(SECRETS.apiHmac, text, clock.now(), 'api'),
            }),
          );
          expect(a.statusCode).toBeGreaterThanOrEqual(400);
          expect(a.statusCode).toBeLessThan(500);
          expect(JSON.parse(a.body).error.message.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 150 },
    );
    expect(await stack.drain()).toEqual([]);
  });
});
