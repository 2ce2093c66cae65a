import { randomUUID } from 'node:crypto';
import { MemoryAuditLog } from '../../../shared/audit/memory-audit-log.ts';
import { type WorkerConfig, WorkerConfigSchema } from '../../../shared/config/worker.ts';
import { MemoryControlStore } from '../../../shared/guardrails/memory-control-store.ts';
import type { Job, JobContext, JobOutcome, Plan } from '../../../shared/jobs/job.ts';
import { RateLimiter } from '../../../shared/ratelimit/limiter.ts';
import { RateLimits } from '../../../shared/ratelimit/limits.ts';
import { MemoryRateLimitStore } from '../../../shared/ratelimit/memory-store.ts';
import {
  type JobMessage,
  parseJobMessage,
  serializeJobMessage,
} from '../../../shared/requests/job-message.ts';
import { MemoryJobQueue } from '../../../shared/requests/memory-job-queue.ts';
import { MemoryRequestStore } from '../../../shared/requests/memory-request-store.ts';
import { type CanonicalRequestInput, CanonicalRequestSchema } from '../../../shared/requests/request.ts';
import { newRequestRecord, type RequestRecord } from '../../../shared/requests/request-record.ts';
import { targetOf } from '../../../shared/requests/target.ts';
import { MemorySecretSource } from '../../../shared/secrets/memory-secret-source.ts';
import type { WorkerDeps } from '../../../shared/worker/deps.ts';
import { type RunResult, runJobMessage } from '../../../shared/worker/run-job.ts';
import { type ManualClock, manualClock } from '../../fixtures/manual-clock.ts';
import { quietLogger } from '../../fixtures/quiet-logger.ts';

export const TENANT = 'acme';
export const START = Date.parse('2026-11-21T10:00:00Z');

/** The ITSM source the worker's unit tests submit from: it may delete App Connectors. */
export const SERVICENOW_SOURCE = {
  name: 'servicenow',
  kind: 'itsm',
  secretName: 'zcops/sources/servicenow',
  allowedActions: ['appConnector.delete'],
  allowedTenants: ['*'],
};

/** What a scripted job does on each run: plan and execute get the run's context. */
export interface Script {
  plan?(ctx: JobContext<'appConnector.delete'>, run: number): Promise<Plan> | Plan;
  execute?(ctx: JobContext<'appConnector.delete'>, run: number): Promise<JobOutcome> | JobOutcome;
}

function connectorId(ctx: JobContext<'appConnector.delete'>): string {
  const c = ctx.request.connector;
  return c.by === 'id' ? c.id : '0';
}

/** A delete of connector `id` named `name` (the plan touches it; execute succeeds unless scripted). */
export function scriptedJob(script: Script = {}): Job<'appConnector.delete'> & { runs: number } {
  const job = {
    action: 'appConnector.delete' as const,
    runs: 0,
    async plan(ctx: JobContext<'appConnector.delete'>): Promise<Plan> {
      job.runs++;
      if (script.plan) return script.plan(ctx, job.runs);
      const id = connectorId(ctx);
      return {
        calls: [
          {
            api: 'zpa',
            method: 'DELETE',
            path: `/connector/${id}`,
            operation: 'appConnector.delete',
            write: true,
          },
        ],
        resources: [
          { kind: 'appConnector', id, name: `connector-${id}`, effect: 'delete', connected: false },
        ],
      };
    },
    async execute(ctx: JobContext<'appConnector.delete'>): Promise<JobOutcome> {
      if (script.execute) return script.execute(ctx, job.runs);
      return { status: 'succeeded', result: { deleted: connectorId(ctx) } };
    },
  };
  return job;
}

/** A job that throws `error(run)` from execute on every run (the error may depend on the run). */
export function throwingJob(error: (run: number) => unknown) {
  return scriptedJob({
    execute: (_ctx, run) => {
      throw error(run);
    },
  });
}

/** The run loop over the in-memory stores, on a manual clock, with one scripted job. */
export interface MemoryWorker {
  clock: ManualClock;
  config: WorkerConfig;
  deps: WorkerDeps;
  store: MemoryRequestStore;
  queue: MemoryJobQueue;
  audit: MemoryAuditLog;
  control: MemoryControlStore;
  /** Records a request in `state` (QUEUED unless told) and queues its job message; answers the body. */
  submit(options?: {
    state?: RequestRecord['state'];
    connectorId?: string;
    fields?: Record<string, unknown>;
  }): Promise<{ record: RequestRecord; body: string }>;
  /** Runs one message as SQS delivers it; a thrown error is answered, not thrown. */
  deliver(body: string, receiveCount?: number): Promise<RunResult | Error>;
  /** The last message sent to the queue, with its delay and parsed body. */
  lastSent(): { message: JobMessage; body: string; delaySeconds: number };
  /** The audit event types of a request, in order. */
  trail(requestId: string): string[];
  get(requestId: string): Promise<RequestRecord>;
}

export function memoryWorker(
  job: Job<'appConnector.delete'>,
  options: { worker?: Record<string, unknown>; config?: Record<string, unknown> } = {},
): MemoryWorker {
  const clock = manualClock(START);
  const config = WorkerConfigSchema.parse({
    tenants: [{ name: TENANT, secretName: 'zcops/tenants/acme', zpa: { customerId: '123' } }],
    sources: [SERVICENOW_SOURCE],
    ...options.config,
    worker: { ...options.worker },
  });
  const store = new MemoryRequestStore(clock);
  const queue = new MemoryJobQueue();
  const audit = new MemoryAuditLog(clock);
  const control = new MemoryControlStore();
  const deps: WorkerDeps = {
    config,
    store,
    audit,
    queue,
    control,
    limiter: new RateLimiter({ store: new MemoryRateLimitStore(), limits: RateLimits.from(), clock }),
    secrets: new MemorySecretSource({}),
    clock,
    logger: quietLogger(),
    jobs: { 'appConnector.delete': job },
    workerId: 'unit-worker',
  };
  return {
    clock,
    config,
    deps,
    store,
    queue,
    audit,
    control,
    async submit(opts = {}) {
      const input = {
        action: 'appConnector.delete',
        tenant: TENANT,
        reason: 'decommission',
        source: { kind: 'itsm', name: 'servicenow', ref: 'CHG0001' },
        connector: { id: opts.connectorId ?? '72057594037927936' },
        ...opts.fields,
      } as CanonicalRequestInput;
      const request = CanonicalRequestSchema.parse(input);
      const at = new Date(clock.now()).toISOString();
      const record = newRequestRecord({
        requestId: randomUUID(),
        state: opts.state ?? 'QUEUED',
        request,
        target: targetOf(request),
        ticket: 'CHG0001',
        sourceName: 'servicenow',
        sourceKind: 'itsm',
        at,
      });
      await store.create(record);
      const body = serializeJobMessage({
        v: 1,
        requestId: record.requestId,
        tenant: TENANT,
        action: record.action,
        enqueuedAt: at,
        deferrals: 0,
      });
      return { record, body };
    },
    async deliver(body, receiveCount = 1) {
      try {
        return await runJobMessage(deps, { body, receiveCount });
      } catch (err) {
        return err as Error;
      }
    },
    lastSent() {
      const m = queue.messages.at(-1);
      if (!m) throw new Error('nothing was sent');
      return { message: parseJobMessage(m.body), body: m.body, delaySeconds: m.delaySeconds };
    },
    trail: (requestId) => audit.events.filter((e) => e.requestId === requestId).map((e) => e.type),
    async get(requestId) {
      const r = await store.get(requestId);
      if (!r) throw new Error(`request ${requestId} is missing`);
      return r;
    },
  };
}
