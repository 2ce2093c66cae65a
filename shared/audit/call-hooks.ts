import type { CallHooks, ZscalerCallResult } from '../zscaler/hooks.ts';
import type { AuditLog } from './audit-log.ts';
import { resourceFromPath } from './resource.ts';

export interface AuditCallContext {
  /** Ticket of the request, so calls are found by ticket too. */
  ticket?: string | undefined;
  /** Source name of the request. */
  source?: string | undefined;
}

/**
 * Hooks that write one `zscaler.call` audit event per attempt of every Zscaler call made for a
 * request: method, path, status, attempt, latency, limiter wait, error class, and the resource the
 * path addresses. Compose them with the rate limiter's hooks via `composeHooks`.
 *
 * @example
 * const hooks = composeHooks(limiterHooks, createAuditCallHooks(audit, request.requestId, { ticket }));
 */
export function createAuditCallHooks(
  auditLog: AuditLog,
  requestId: string,
  context: AuditCallContext = {},
): CallHooks {
  return {
    async after(result: ZscalerCallResult) {
      const { call } = result;
      await auditLog.append({
        requestId,
        type: 'zscaler.call',
        tenant: call.tenant,
        ticket: context.ticket,
        source: context.source,
        action: call.operation,
        resource: resourceFromPath(call.tenant, call.path),
        detail: {
          api: call.api,
          method: call.method,
          path: call.path,
          operation: call.operation,
          rateClass: call.rateClass,
          attempt: call.attempt,
          ok: result.ok,
          ...(result.status !== undefined ? { status: result.status } : {}),
          latencyMs: Math.round(result.latencyMs),
          limiterWaitMs: Math.round(result.limiterWaitMs),
          ...(result.errorClass ? { errorClass: result.errorClass } : {}),
          ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}),
        },
      });
    },
  };
}
