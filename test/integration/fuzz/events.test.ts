import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/events/handler.ts';
import { parseJobMessage } from '../../../shared/requests/job-message.ts';
import { CanonicalRequestSchema } from '../../../shared/requests/request.ts';
import { fixture } from '../../fixtures/events/index.ts';
import { memoryDeps, quietObservability } from '../../fixtures/events/intake-setup.ts';

/**
 * Bad input for the events function (EventBridge lifecycle events, Scheduler and rule schedules):
 * whatever arrives, it never throws on bad input (only infrastructure failures are thrown for
 * Lambda to retry), answers one of its four outcomes with a reason when it refuses, queues only
 * valid canonical requests, and completes the lifecycle action of every terminate event it cannot
 * turn into a request (the instance never waits for its heartbeat timeout).
 */

const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '../../etc/passwd',
    '%2e%2e%2f',
    '\u0000',
    '__proto__',
    'constructor',
    '{"tenant":"acme"',
    '{"tenant":"acme","groupId":"1/2"}',
    '{"tenant":"ACME","groupId":"72057615512764441"}',
    '{"tenant":"acme","groupId":"72057615512764441","connectorName":"x".repeat(300)}',
    'i-0',
    'i-0a1b2c3d4e5f67890/../x',
    'autoscaling:EC2_INSTANCE_LAUNCHING',
    'x'.repeat(100_000),
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

type Json = Record<string, unknown>;
const lifecycle = () => fixture<Json & { detail: Json }>('eventbridge-terminate-lifecycle.json');
const schedule = () => fixture<Json & { detail: Json }>('scheduler-snapshot.json');
const rule = () => fixture<Json>('eventbridge-scheduled-rule.json');

/** A real event with one field (top level or in `detail`) replaced, removed, or the event replaced. */
const mutated = fc
  .oneof(
    fc
      .record({
        base: fc.constantFrom(lifecycle, schedule, rule),
        where: fc.constantFrom('top', 'detail'),
        key: fc.constantFrom(
          'detail-type',
          'source',
          'id',
          'time',
          'LifecycleActionToken',
          'AutoScalingGroupName',
          'LifecycleHookName',
          'EC2InstanceId',
          'LifecycleTransition',
          'NotificationMetadata',
          'tenant',
          'source',
          'detail',
          '__proto__',
        ),
        value: fc.option(nasty, { nil: undefined }),
      })
      .map(({ base, where, key, value }) => {
        const e = base();
        const target =
          where === 'detail' && e.detail && typeof e.detail === 'object' ? (e.detail as Json) : e;
        if (value === undefined) delete target[key];
        else
          Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
        return e as unknown;
      }),
    nasty,
    fc.jsonValue({ maxDepth: 3 }),
    // Lambda hands the function parsed JSON: what reaches it went through JSON.
  )
  .map((e) => JSON.parse(JSON.stringify(e ?? null)) as unknown);

function setup() {
  const deps = memoryDeps();
  return { deps, handler: createHandler({ ...deps, ...quietObservability() }) };
}

describe('events function fuzz: any event, no crash, clear refusals, only valid requests queued', () => {
  it('mutated lifecycle and schedule events and arbitrary values', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async (event) => {
        const { deps, handler } = setup();
        const isTerminate =
          !!event &&
          typeof event === 'object' &&
          (event as Json)['detail-type'] === 'EC2 Instance-terminate Lifecycle Action' &&
          (event as Json).source === 'aws.autoscaling';
        const r = await handler(event);
        expect(['accepted', 'duplicate', 'rejected', 'ignored']).toContain(r.outcome);
        if (r.outcome === 'rejected' || r.outcome === 'ignored') {
          expect(typeof r.reason).toBe('string');
          expect(r.reason!.length).toBeGreaterThan(0);
          for (const i of r.issues ?? []) {
            expect(typeof i.path).toBe('string');
            expect(i.message.length).toBeGreaterThan(0);
          }
          expect(deps.queue.messages).toHaveLength(0);
        }
        if (r.outcome === 'accepted') {
          expect(deps.queue.messages).toHaveLength(1);
          const message = parseJobMessage(deps.queue.messages[0]!.body);
          const record = await deps.store.get(message.requestId);
          expect(CanonicalRequestSchema.safeParse(record?.request).success).toBe(true);
        }
        // A terminate event that became no request still lets the instance go (CONTINUE), unless it
        // is not a terminate transition at all or so malformed that it names no lifecycle action.
        if (isTerminate && r.outcome === 'rejected' && r.reason !== 'malformed lifecycle event') {
          expect(r.lifecycleCompleted).toBe(true);
          expect(deps.completer.completed.map((c) => c.result)).toEqual(['CONTINUE']);
        }
      }),
      { numRuns: 400, seed: 20_261_121 },
    );
  });

  it('the same valid event twice is one request', async () => {
    const { deps, handler } = setup();
    const a = await handler(lifecycle());
    const b = await handler(lifecycle());
    expect(a.outcome).toBe('accepted');
    expect(b).toMatchObject({ outcome: 'duplicate', requestId: a.requestId });
    expect(deps.queue.messages).toHaveLength(1);
  });
});
