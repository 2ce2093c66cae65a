import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../../shared/audit/memory-audit-log.ts';
import { deletionsPerHourOf } from '../../../shared/config/worker.ts';
import { MemoryControlStore } from '../../../shared/guardrails/memory-control-store.ts';
import { MemoryRequestStore } from '../../../shared/requests/memory-request-store.ts';
import type { RequestRecord } from '../../../shared/requests/request-record.ts';
import { WorkerConfigError } from '../../../shared/wiring/errors.ts';
import { loadWorkerConfig } from '../../../shared/wiring/worker-config.ts';
import { markDeadLettered } from '../../../shared/worker/dead-letter.ts';
import { delayFor } from '../../../shared/worker/deferral.ts';
import { DryRunWriteError } from '../../../shared/worker/errors.ts';
import { dryRunGuard } from '../../../shared/worker/job-context.ts';
import { acquireLease } from '../../../shared/worker/lease.ts';

const tenants = [{ name: 'acme', secretName: 's', zpa: { customerId: '1' } }];

describe('worker config', () => {
  it('reads the app config loosely with defaults; names bad fields', () => {
    const c = loadWorkerConfig({
      tenants,
      stack: { name: 'x' },
      worker: { maxConcurrency: 5 },
      guardrails: { tenants: { acme: { deletionsPerHour: 2 } } },
    });
    expect(c.worker).toMatchObject({
      maxReceiveCount: 5,
      maxAgeHours: 24,
      bulkDeleteChunk: 100,
      activationQuietSeconds: 5,
    });
    expect(c.guardrails.protectedNamePatterns).toEqual(['do not delete']);
    expect(deletionsPerHourOf(c.guardrails, 'acme')).toBe(2);
    expect(deletionsPerHourOf(c.guardrails, 'other')).toBe(50);
    expect(() =>
      loadWorkerConfig({
        tenants,
        worker: { bulkDeleteChunk: 500 },
        guardrails: { protectedNamePatterns: ['('] },
      }),
    ).toThrow(WorkerConfigError);
    let thrown: unknown;
    try {
      loadWorkerConfig({ tenants: [] });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(WorkerConfigError);
    expect((thrown as WorkerConfigError).problems[0]).toMatch(/^tenants: /);
  });
});

describe('deferral delays', () => {
  it('rounds up to whole seconds within SQS 0..900', () => {
    expect(delayFor(1_500, 0)).toBe(2);
    expect(delayFor(-5, 0)).toBe(0);
    expect(delayFor(3_600_000, 0)).toBe(900);
  });
});

describe('dry-run guard', () => {
  it('refuses writes before they leave the process, lets reads and sign-in through', async () => {
    const g = dryRunGuard();
    const call = {
      tenant: 't',
      api: 'zpa' as const,
      path: '/x',
      operation: 'op',
      idempotent: true,
      attempt: 1,
    };
    await expect(g.before!({ ...call, method: 'DELETE', rateClass: 'write' })).rejects.toBeInstanceOf(
      DryRunWriteError,
    );
    await expect(g.before!({ ...call, method: 'GET', rateClass: 'read' })).resolves.toBe(0);
    await expect(g.before!({ ...call, method: 'POST', rateClass: 'none' })).resolves.toBe(0);
  });
});

describe('leases', () => {
  it('one holder at a time; expired leases are taken over; release gives it back', async () => {
    const store = new MemoryControlStore();
    const a = await acquireLease(store, 'k', 'a', 1_000, 0);
    expect(a.held).toBe(true);
    expect(await acquireLease(store, 'k', 'b', 1_000, 500)).toMatchObject({
      held: false,
      until: 1_000,
      owner: 'a',
    });
    const b = await acquireLease(store, 'k', 'b', 1_000, 1_001);
    expect(b.held).toBe(true);
    if (a.held) await a.release(); // no longer a's: nothing happens
    expect(await acquireLease(store, 'k', 'c', 1_000, 1_002)).toMatchObject({ held: false, owner: 'b' });
    if (b.held) await b.release();
    expect((await acquireLease(store, 'k', 'c', 1_000, 1_003)).held).toBe(true);
  });

  it('a free lease costs one write to take and one to give back, with no read', async () => {
    const store = new CountingControlStore();
    const lease = await acquireLease(store, 'k', 'a', 1_000, 0);
    expect(lease.held).toBe(true);
    if (lease.held) await lease.release();
    expect(store.calls).toEqual(['put', 'delete']);
    expect(await store.get('k')).toBeUndefined();
  });

  it("a late release never removes a later owner's lease, even one written at the same version", async () => {
    const store = new MemoryControlStore();
    const a = await acquireLease(store, 'k', 'a', 1_000, 0);
    const b = await acquireLease(store, 'k', 'b', 1_000, 1_001); // a's expired: taken over
    if (b.held) await b.release();
    const c = await acquireLease(store, 'k', 'c', 1_000, 1_002); // fresh item: version 1 again, like a's
    expect((await store.get('k'))?.version).toBe(1);
    if (a.held) await a.release();
    expect((await store.get('k'))?.data).toMatchObject({ owner: 'c' });
    if (c.held) await c.release();
    expect(await store.get('k')).toBeUndefined();
  });
});

/** Records which store calls a caller made. */
class CountingControlStore extends MemoryControlStore {
  readonly calls: string[] = [];
  override get(key: string) {
    this.calls.push('get');
    return super.get(key);
  }
  override put(...args: Parameters<MemoryControlStore['put']>) {
    this.calls.push('put');
    return super.put(...args);
  }
  override delete(...args: Parameters<MemoryControlStore['delete']>) {
    this.calls.push('delete');
    return super.delete(...args);
  }
}

describe('markDeadLettered', () => {
  const record = (state: RequestRecord['state']): RequestRecord => ({
    requestId: `00000000-0000-4000-8000-00000000000${state.length % 10}`,
    state,
    tenant: 'acme',
    action: 'appConnector.delete',
    target: 'appConnector/1',
    sourceName: 'sn',
    sourceKind: 'itsm',
    request: {} as never,
    attempts: 1,
    deferrals: 0,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  });

  it('marks a non-final request DEAD_LETTERED (audited, listeners told) and leaves final ones alone', async () => {
    const store = new MemoryRequestStore();
    const audit = new MemoryAuditLog();
    const told: string[] = [];
    const deps = {
      store,
      audit,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      listeners: [{ settled: async (r: RequestRecord) => void told.push(r.state) }],
    };
    const deferred = record('DEFERRED');
    await store.create(deferred);
    expect((await markDeadLettered(deps, deferred.requestId, 'timed out')).state).toBe('DEAD_LETTERED');
    expect(audit.events.map((e) => e.type)).toEqual(['dead-lettered']);
    expect(told).toEqual(['DEAD_LETTERED']);
    const done = record('SUCCEEDED');
    await store.create(done);
    expect((await markDeadLettered(deps, done.requestId, 'x')).state).toBe('SUCCEEDED');
    await expect(markDeadLettered(deps, '00000000-0000-4000-8000-0000000000ff', 'x')).rejects.toThrow(
      /not found/,
    );
  });
});
