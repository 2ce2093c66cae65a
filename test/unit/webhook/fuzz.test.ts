import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/webhook/handler.ts';
import { parseJobMessage } from '../../../shared/requests/job-message.ts';
import { CanonicalRequestSchema } from '../../../shared/requests/request.ts';
import { httpEvent, signedHeaders } from '../../fixtures/events/index.ts';
import { memoryDeps, quietObservability, SECRETS } from '../../fixtures/events/intake-setup.ts';

type Answer = { statusCode: number; body: string };

/** Every answer: never 5xx; errors name their problem; 400s list issues with path and message. */
function checkAnswer(a: Answer): void {
  expect(a.statusCode).toBeLessThan(500);
  const b = JSON.parse(a.body);
  if (a.statusCode >= 400) {
    expect(typeof b.error.code).toBe('string');
    expect(b.error.message.length).toBeGreaterThan(0);
  }
  if (a.statusCode === 400) {
    expect(b.error.issues.length).toBeGreaterThan(0);
    for (const i of b.error.issues) {
      expect(typeof i.path).toBe('string');
      expect(i.message.length).toBeGreaterThan(0);
    }
  }
}

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.constantFrom(
    '../../etc/passwd',
    '%2e%2e%2f',
    '1/2',
    '?x=1',
    '\u0000',
    '__proto__',
    'constructor',
    '１２３',
    '7205 ',
    '',
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 4 }),
  fc.nat(5).map((n) => 'x'.repeat(10 ** n)),
);

const ACTIONS = [
  'appConnector.delete',
  'appConnector.bulkDelete',
  'appConnector.cleanup',
  'appConnector.teardown',
  'ecVm.delete',
  'appConnectorGroup.create',
  'pccGroup.create',
  'inventory.snapshot',
];
const KEYS = [
  'action',
  'tenant',
  'reason',
  'source',
  'connector',
  'ids',
  'disconnectedFor',
  'groupId',
  'instanceId',
  'vm',
  'group',
  'lifecycle',
  'idempotencyKey',
  'dryRun',
  'force',
  '__proto__',
];

/** Request-shaped objects with wrong or random values. */
const requestish = fc
  .record({
    action: fc.oneof(fc.constantFrom(...ACTIONS), nasty),
    tenant: fc.oneof(fc.constant('acme'), nasty),
    reason: fc.oneof(fc.constant('fuzz'), nasty),
    extra: fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(nasty, fc.jsonValue({ maxDepth: 3 })), {
      maxKeys: 5,
    }),
  })
  .map(({ action, tenant, reason, extra }) => ({ action, tenant, reason, ...extra }));

function setup() {
  const deps = memoryDeps();
  const handler = createHandler({ ...deps, ...quietObservability() });
  return { deps, handler };
}

describe('webhook fuzz', () => {
  it('signed malformed bodies: no 5xx, every answer names the problem, only valid requests are queued', async () => {
    const s = setup();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          requestish.map((o) => JSON.stringify(o)),
          fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
          fc.string({ unit: 'grapheme', maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 200 }),
        ),
        fc.constantFrom('/v1/requests', '/v1/hooks/servicenow', '/v1/hooks/jira', '/v1/hooks/teardown'),
        async (text, path) => {
          const source = path.includes('servicenow')
            ? 'servicenow'
            : path.includes('teardown')
              ? 'generic-scaling'
              : 'api';
          const key =
            source === 'servicenow'
              ? SECRETS.snHmac
              : source === 'generic-scaling'
                ? SECRETS.genericHmac
                : SECRETS.apiHmac;
          const headers = path.includes('jira')
            ? { authorization: `Bearer ${SECRETS.jiraBearer}` }
            : signedHeaders(key, text, s.deps.clock.now(), source);
          const a = await s.handler(httpEvent({ path, body: text, headers }));
          checkAnswer(a);
          if (a.statusCode === 202) accepted += 1;
          expect(s.deps.queue.messages).toHaveLength(accepted);
        },
      ),
      { numRuns: 2500 },
    );
    // Whatever was queued is a valid canonical request.
    for (const m of s.deps.queue.messages) {
      const record = await s.deps.store.get(parseJobMessage(m.body).requestId);
      expect(CanonicalRequestSchema.safeParse(record?.request).success).toBe(true);
    }
  });

  it('bodies that are invalid by construction never reach the queue', async () => {
    const s = setup();
    await fc.assert(
      fc.asyncProperty(
        requestish,
        fc.constantFrom('reason', 'tenant', 'action'),
        nasty.filter((v) => typeof v !== 'string' || v.trim() === '' || v.length > 1000),
        async (obj, field, bad) => {
          const text = JSON.stringify({ ...obj, [field]: bad });
          const a = await s.handler(
            httpEvent({
              path: '/v1/requests',
              body: text,
              headers: signedHeaders(SECRETS.apiHmac, text, s.deps.clock.now(), 'api'),
            }),
          );
          checkAnswer(a);
          expect([400, 403, 413]).toContain(a.statusCode);
        },
      ),
      { numRuns: 1000 },
    );
    expect(s.deps.queue.messages).toHaveLength(0);
  });

  it('random headers, methods, paths and ids: no 5xx, nothing queued', async () => {
    const s = setup();
    const header = fc.dictionary(
      fc.oneof(
        fc.constantFrom(
          'authorization',
          'x-zcops-signature',
          'x-zcops-timestamp',
          'x-zcops-source',
          'content-type',
          'Authorization',
        ),
        fc.string({ maxLength: 10 }),
      ),
      nasty.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
      { maxKeys: 5 },
    );
    const path = fc.oneof(
      fc.constantFrom(
        '/v1/requests',
        '/v1/hooks/servicenow',
        '/v1/hooks/jira',
        '/v1/hooks/teardown',
        '/',
        '',
      ),
      nasty.map(
        (v) =>
          `/v1/requests/${typeof v === 'string' ? encodeURIComponent(v).slice(0, 3000) : JSON.stringify(v)}`,
      ),
      nasty.map((v) => `/v1/requests/${typeof v === 'string' ? v : JSON.stringify(v)}`),
      fc.string({ maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'get'),
        path,
        header,
        fc.string({ maxLength: 300 }),
        fc.boolean(),
        async (method, p, headers, text, base64) => {
          const a = await s.handler(httpEvent({ method, path: p, body: text, headers, base64 }));
          checkAnswer(a);
          expect(a.statusCode).not.toBe(202);
        },
      ),
      { numRuns: 1500 },
    );
    expect(s.deps.queue.messages).toHaveLength(0);
  });
});
