import { describe, expect, it } from 'vitest';
import { createAuditCallHooks } from '../../../shared/audit/call-hooks.ts';
import { MemoryAuditLog } from '../../../shared/audit/memory-audit-log.ts';
import { REDACTED, redact, redactString } from '../../../shared/audit/redact.ts';
import { resourceFromPath } from '../../../shared/audit/resource.ts';
import { registerSecretValue } from '../../../shared/secrets/known-secrets.ts';

describe('redaction', () => {
  it('strips sensitive keys, credential patterns and registered secret values anywhere', () => {
    registerSecretValue('{"hmac":"registered-secret-777"}');
    const out = redact({
      headers: { Authorization: 'Bearer abc.def', 'X-Zcops-Signature': 'sha256=00', cookie: 'JSESSIONID=1' },
      lifecycle: { token: '8765-4321', hookName: 'h' },
      LifecycleActionToken: 'x',
      client_secret: 's',
      note: 'the key registered-secret-777 leaked, and Bearer eyJhbGciOi.x.y too, JSESSIONID=ABC; path',
      form: 'client_id=a&client_secret=b&x=1',
      body: '{"apiKey":"k","ok":1}',
      error: new Error('failed with registered-secret-777'),
      list: [{ password: 'p' }],
      fine: 'idempotencyKey k-1',
    });
    expect(out).toEqual({
      headers: { Authorization: REDACTED, 'X-Zcops-Signature': REDACTED, cookie: REDACTED },
      lifecycle: { token: REDACTED, hookName: 'h' },
      LifecycleActionToken: REDACTED,
      client_secret: REDACTED,
      note: `the key ${REDACTED} leaked, and Bearer ${REDACTED} too, JSESSIONID=${REDACTED}; path`,
      form: `client_id=a&client_secret=${REDACTED}&x=1`,
      body: `{"apiKey":"${REDACTED}","ok":1}`,
      error: { name: 'Error', message: `failed with ${REDACTED}` },
      list: [{ password: REDACTED }],
      fine: 'idempotencyKey k-1',
    });
    expect(redactString('x'.repeat(5000)).length).toBeLessThan(4200);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(redact(circular)).toEqual({ self: '[circular]' });
  });

  it('call hooks write one zscaler.call event per attempt with the resource of the path', async () => {
    const audit = new MemoryAuditLog();
    const hooks = createAuditCallHooks(audit, 'r-1', { ticket: 'CHG1', source: 'servicenow' });
    await hooks.after?.({
      call: {
        tenant: 'acme',
        api: 'zpa',
        method: 'DELETE',
        path: '/mgmtconfig/v1/admin/customers/1/connector/72057615512764537',
        operation: 'appConnector.delete',
        rateClass: 'write',
        idempotent: true,
        attempt: 2,
      },
      ok: false,
      status: 429,
      latencyMs: 12.4,
      limiterWaitMs: 300.2,
      errorClass: 'RateLimitedError',
      retryAfterMs: 13000,
    });
    expect(audit.events).toEqual([
      expect.objectContaining({
        requestId: 'r-1',
        type: 'zscaler.call',
        ticket: 'CHG1',
        resource: 'acme:appConnector/72057615512764537',
        detail: expect.objectContaining({
          method: 'DELETE',
          status: 429,
          attempt: 2,
          latencyMs: 12,
          limiterWaitMs: 300,
        }),
      }),
    ]);
    expect(resourceFromPath('acme', '/api/v1/ecgroup/12/vm/34?x=1')).toBe('acme:ecgroup/12/vm/34');
    expect(resourceFromPath('acme', '/api/v1/ecVm/uuid/i-0abc')).toBe('acme:instance/i-0abc');
    expect(resourceFromPath('acme', '/mgmtconfig/v1/admin/customers/1/connector?page=1')).toBeUndefined();
  });
});
