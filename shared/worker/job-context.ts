import { createAuditCallHooks } from '../audit/call-hooks.ts';
import { type TenantConfig, type TenantCredentials, TenantCredentialsSchema } from '../config/tenant.ts';
import type { JobContext, JobOutcome, JobSettings } from '../jobs/job.ts';
import { createRateLimitHooks } from '../ratelimit/hooks.ts';
import type { Action } from '../requests/actions.ts';
import type { RequestOf } from '../requests/request.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import { RetryLaterError } from '../zscaler/errors.ts';
import { createZpaClient, createZtwClient } from '../zscaler/factory.ts';
import { type CallHooks, composeHooks } from '../zscaler/hooks.ts';
import type { ZpaClient } from '../zscaler/zpa/client.ts';
import type { ZtwClient } from '../zscaler/ztw/client.ts';
import type { WorkerDeps } from './deps.ts';
import { DryRunWriteError, TenantSetupError } from './errors.ts';
import { acquireLease, type HeldLease } from './lease.ts';
import { audit } from './request-audit.ts';

/** A job context plus what the run loop must clean up after the run. */
export interface RunContext<A extends Action = Action> {
  ctx: JobContext<A>;
  /** Ends the ZTW session (if one was opened) and gives back the tenant's ZTW lease. */
  close(): Promise<void>;
}

/** The ZTW session lease of a tenant: one session per tenant at a time, across all workers. */
export const ztwSessionKey = (tenant: string) => `ztw-session:${tenant}`;

/** A run that finds the tenant's ZTW session busy comes back after 1 to 2 s. */
const SESSION_RETRY_MS = 1_000;
/** How often a run waiting for the session looks at its lease. */
const SESSION_POLL_MS = 100;

/**
 * Takes the tenant's ZTW session lease, waiting in-process up to the worker's `maxSleepMs` (what a
 * run may sleep, as for a limiter permit) while another run holds it: ZTW runs hold it for seconds.
 */
async function waitForSessionLease(deps: WorkerDeps, tenant: string, runId: string) {
  const deadline = deps.clock.now() + deps.config.worker.maxSleepMs;
  for (;;) {
    const now = deps.clock.now();
    const lease = await acquireLease(
      deps.control,
      ztwSessionKey(tenant),
      runId,
      deps.config.worker.leaseSeconds * 1000,
      now,
    );
    if (lease.held || now + SESSION_POLL_MS > deadline || lease.until <= now) return lease;
    await deps.clock.sleep(SESSION_POLL_MS + Math.floor(Math.random() * SESSION_POLL_MS));
  }
}

/** Refuses any write before it leaves the process (a dry-run must make none). */
export function dryRunGuard(): CallHooks {
  return {
    async before(call) {
      if (call.method !== 'GET' && call.rateClass !== 'none') {
        throw new DryRunWriteError(`dry-run: refused ${call.method} ${call.path} (${call.operation})`);
      }
      return 0;
    },
  };
}

/**
 * Builds a job's context for one run: lazily created ZPA/ZTW clients wired with the dry-run guard,
 * the rate limiter and the audit hooks; the ZTW client only after taking the tenant's session
 * lease (busy: `RetryLaterError('ztw-session-busy')`, so the job is deferred).
 */
export function buildJobContext<A extends Action>(
  deps: WorkerDeps,
  input: { record: RequestRecord; tenant: TenantConfig; settings: JobSettings; runId: string },
): RunContext<A> {
  const { record, tenant, settings, runId } = input;
  const request = record.request as RequestOf<A>;
  const dryRun = request.dryRun === true;
  const hooks = composeHooks(
    dryRun ? dryRunGuard() : undefined,
    createRateLimitHooks(deps.limiter, { maxSleepMs: deps.config.worker.maxSleepMs, clock: deps.clock }),
    createAuditCallHooks(deps.audit, record.requestId, { ticket: record.ticket, source: record.sourceName }),
    deps.metrics?.callHooks(),
  );
  let credentials: Promise<TenantCredentials> | undefined;
  const loadCredentials = () => {
    credentials ??= (async () => {
      const text = await deps.secrets.getSecret(tenant.secretName);
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw new TenantSetupError(`the credentials secret of tenant ${tenant.name} is not JSON`);
      }
      const parsed = TenantCredentialsSchema.safeParse(raw);
      if (!parsed.success) {
        const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
        throw new TenantSetupError(
          `the credentials secret of tenant ${tenant.name} is malformed (${fields})`,
        );
      }
      return parsed.data;
    })();
    return credentials;
  };
  let zpa: Promise<ZpaClient> | undefined;
  let ztw: Promise<ZtwClient> | undefined;
  let ztwLease: HeldLease | undefined;
  const options = { ...deps.client, hooks, clock: deps.clock };

  const ctx: JobContext<A> = {
    record,
    request,
    tenant,
    audit: deps.audit,
    clock: deps.clock,
    dryRun,
    logger: deps.logger,
    progress: record.result,
    settings,
    services: { ...deps.services, control: deps.control },
    zpa() {
      zpa ??= (async () => {
        const creds = await loadCredentials();
        if (!tenant.zpa || !creds.zpa)
          throw new TenantSetupError(`tenant ${tenant.name} has no ZPA settings or credentials`);
        return createZpaClient({ tenant, credentials: creds.zpa, ...options });
      })();
      return zpa;
    },
    ztw() {
      ztw ??= (async () => {
        const creds = await loadCredentials();
        if (!tenant.ztw || !creds.ztw)
          throw new TenantSetupError(`tenant ${tenant.name} has no ZTW settings or credentials`);
        const lease = await waitForSessionLease(deps, tenant.name, runId);
        if (!lease.held) {
          ztw = undefined;
          const now = deps.clock.now();
          // Another worker holds the tenant's session: come back soon (a ZTW run holds it for
          // seconds) rather than open a second one; the jitter spreads the waiting runs apart.
          const retryMs = SESSION_RETRY_MS + Math.floor(Math.random() * SESSION_RETRY_MS);
          throw new RetryLaterError(
            `tenant ${tenant.name}'s Cloud & Branch Connector session is in use by another worker`,
            Math.min(lease.until, now + Math.min(retryMs, settings.pollIntervalMs)),
            'ztw-session-busy',
          );
        }
        ztwLease = lease;
        return createZtwClient({ tenant, credentials: creds.ztw, ...options });
      })();
      return ztw;
    },
    defer(notBefore: number, why: string, progress?: Record<string, unknown>): JobOutcome {
      return { status: 'deferred', notBefore, reason: why, ...(progress ? { progress } : {}) };
    },
    note: (type, detail, resource) => audit(deps, record, type, detail, resource),
  };

  return {
    ctx,
    async close() {
      const client = ztw;
      ztw = undefined;
      if (client) {
        try {
          await (await client).close();
        } catch (err) {
          deps.logger.warn('closing the ZTW session failed', { error: (err as Error).name });
        }
      }
      if (ztwLease) {
        await ztwLease.release();
        ztwLease = undefined;
      }
    },
  };
}
