import { describe, expect, it } from 'vitest';
import { runDemo } from '../../../local/demo.ts';

describe('npm run demo: the three flows end to end', () => {
  it('runs every flow and reports each with its audit trail', { timeout: 90_000 }, async () => {
    const results = await runDemo({ flowTimeoutMs: 40_000 });
    expect(results.map((r) => r.name)).toEqual([
      'ITSM ticket → App Connector group',
      'Autoscaling terminate → connector removed, lifecycle completed',
      'Schedule → inventory snapshot written',
    ]);
    for (const r of results) {
      expect(r.requestId, r.name).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.report).toContain('received');
    }
    const [itsm, teardown, snapshot] = results;
    expect(itsm, itsm?.problem).toMatchObject({ ok: true, state: 'SUCCEEDED' });
    // The ticket callback, as the ServiceNow stand-in received it.
    expect(itsm?.report).toContain('ServiceNow CHG0040001 work_notes');
    expect(itsm?.report).toContain('zcops: appConnectorGroup.create completed (SUCCEEDED)');
    expect(teardown, teardown?.problem).toMatchObject({ ok: true, state: 'SUCCEEDED' });
    // Both AWS calls went over the wire to the control-plane stand-in.
    expect(teardown?.report).toContain('DescribeInstances → 200');
    expect(teardown?.report).toMatch(/CompleteLifecycleAction → 200.*completed CONTINUE/);
    expect(snapshot, snapshot?.problem).toMatchObject({ ok: true, state: 'SUCCEEDED' });
    expect(snapshot?.report).toContain('snapshot');
  });
});
