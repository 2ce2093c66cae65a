import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditLog } from '../../../shared/audit/dynamo-audit-log.ts';
import { INTAKE_START } from '../../fixtures/events/intake-setup.ts';
import { type LoopbackStack, startLoopbackStack } from '../../fixtures/events/stack.ts';
import { manualClock } from '../../fixtures/manual-clock.ts';

const clock = manualClock(INTAKE_START);
let stack: LoopbackStack;
beforeAll(async () => {
  stack = await startLoopbackStack(clock);
});
afterAll(() => stack.stop());

describe('DynamoAuditLog on dynalite', () => {
  it('appends events queryable by request, ticket and resource, in order, redacted', async () => {
    const audit = stack.audit;
    await audit.append({
      requestId: 'r1',
      type: 'received',
      tenant: 'acme',
      ticket: 'CHG1',
      detail: { authorization: 'Bearer x' },
    });
    await audit.append({
      requestId: 'r1',
      type: 'validated',
      ticket: 'CHG1',
      resource: 'acme:appConnector/1',
    });
    clock.advance(5);
    await audit.append({
      requestId: 'r2',
      type: 'zscaler.call',
      resource: 'acme:appConnector/1',
      detail: { status: 204 },
    });
    await audit.append({ requestId: 'r1', type: 'queued', ticket: 'CHG1' });
    const trail = await audit.byRequest('r1');
    expect(trail.map((e) => e.type)).toEqual(['received', 'validated', 'queued']);
    expect(trail[0]?.detail).toEqual({ authorization: '[REDACTED]' });
    expect((await audit.byTicket('CHG1')).map((e) => e.type)).toEqual(['received', 'validated', 'queued']);
    expect((await audit.byResource('acme:appConnector/1')).map((e) => e.requestId)).toEqual(['r1', 'r2']);
    expect(await audit.byRequest('r1', { limit: 2 })).toHaveLength(2);
  });

  it('has no way to change an event: only append and queries exist', () => {
    const methods = Object.getOwnPropertyNames(DynamoAuditLog.prototype).filter((m) => m !== 'constructor');
    expect(methods.sort()).toEqual(['append', 'byRequest', 'byResource', 'byTicket']);
  });
});
