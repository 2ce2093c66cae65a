import { describe, expect, it } from 'vitest';
import { describeEvent, ProgressAuditLog } from '../../../local/progress-log.ts';
import { MemoryAuditLog } from '../../../shared/audit/memory-audit-log.ts';

describe('ProgressAuditLog', () => {
  it('passes events through and prints one readable line each', async () => {
    const lines: string[] = [];
    const inner = new MemoryAuditLog();
    const log = new ProgressAuditLog(inner, (l) => lines.push(l));
    await log.append({
      requestId: '3f2a9c1e-0000-4000-8000-000000000000',
      type: 'zscaler.call',
      tenant: 'acme',
      action: 'appConnectorGroup.create',
      detail: { method: 'POST', path: '/appConnectorGroup', status: 201, latencyMs: 34 },
    });
    expect(await log.byRequest('3f2a9c1e-0000-4000-8000-000000000000')).toHaveLength(1);
    expect(lines).toEqual([
      '3f2a9c1e appConnectorGroup.create acme · zscaler POST /appConnectorGroup → 201 (34 ms)',
    ]);
  });

  it('describes state changes, rejections and outcomes', () => {
    expect(describeEvent({ type: 'state', detail: { from: 'QUEUED', to: 'RUNNING' } })).toBe(
      'state QUEUED → RUNNING',
    );
    expect(
      describeEvent({
        type: 'rejected',
        detail: { reason: 'validation', issues: [{ path: 'tenant', message: 'required' }] },
      }),
    ).toBe('rejected: validation — tenant: required');
    expect(describeEvent({ type: 'failed', detail: { reason: 'boom' } })).toBe('FAILED: boom');
  });
});
