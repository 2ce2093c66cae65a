import { randomUUID } from 'node:crypto';
import type { RequestRecord } from '../../shared/requests/request-record.ts';
import { submit } from '../../shared/requests/submit.ts';
import type { Command } from '../command.ts';
import { CliError, NotFoundError, UsageError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import { ProgressBar } from '../progress-bar.ts';
import {
  exitCodeOf,
  loadRequest,
  renderTrail,
  requestJson,
  SETTLED_STATES,
  waitForSettled,
} from '../request-view.ts';
import { renderFields } from '../table.ts';
import { seconds, submitDepsOf, submitError } from './submit.ts';

export const snapshotCommand: Command = {
  name: 'snapshot',
  summary: "take a tenant's inventory snapshot now and follow it with a progress bar",
  usage: `Usage: zcops snapshot [--tenant T] [--no-wait] [--timeout SECONDS] [--source NAME]
Submits an inventory.snapshot request (as the cli source), follows it with a progress bar on
stderr, and prints the snapshot's summary: where it was written, counts per kind, disconnected
connectors, version drift, stale connectors, empty groups and the diff against the previous one.
  --tenant T         default: the only configured tenant
  --no-wait          submit and print the request id only
  --timeout SECONDS  how long to follow it (default 300); exit 6 when it is still running
Exit 4 when the snapshot request FAILED.`,
  options: {
    tenant: { type: 'string' },
    'no-wait': { type: 'boolean' },
    timeout: { type: 'string' },
    source: { type: 'string' },
  },
  positionals: false,
  async run(ctx, args) {
    const stack = ctx.stack();
    const tenants = stack.intake.tenants.map((t) => t.name);
    let tenant = typeof args.values.tenant === 'string' ? args.values.tenant : undefined;
    if (tenant === undefined) {
      if (tenants.length !== 1)
        throw new UsageError(`several tenants are configured: give --tenant (${tenants.join(', ')})`);
      tenant = tenants[0]!;
    }
    if (!tenants.includes(tenant)) throw new NotFoundError(`tenant ${tenant} is not configured`, { tenant });
    const timeoutMs = seconds(args.values.timeout, 300) * 1000;
    const policy = stack.cliSource(typeof args.values.source === 'string' ? args.values.source : undefined);
    const operator = await stack.operator();
    let result: Awaited<ReturnType<typeof submit>>;
    try {
      result = await submit(
        {
          action: 'inventory.snapshot',
          tenant,
          reason: `inventory snapshot requested by ${operator} from the CLI`,
          requestedBy: operator.slice(0, 200),
          idempotencyKey: `cli-snapshot:${randomUUID()}`,
        },
        { policy },
        submitDepsOf(stack),
        { received: { route: 'cli', operator } },
      );
    } catch (err) {
      throw submitError(err);
    }
    const id = result.requestId;
    if (args.values['no-wait']) {
      ctx.print({ requestId: id, state: result.state }, () => `snapshot request ${id}: ${result.state}\n`);
      return EXIT.ok;
    }
    const bar = ctx.json ? undefined : new ProgressBar(ctx.io.err, ctx.io.interactive);
    const waited = await waitForSettled(stack.store, id, {
      timeoutMs,
      signal: ctx.io.signal,
      intervalMs: 300,
      onPoll: async (r) => {
        // A settled request is drawn once, by done() below.
        if (!bar || SETTLED_STATES.includes(r.state)) return;
        const calls = (await stack.audit.byRequest(id)).filter((e) => e.type === 'zscaler.call').length;
        bar.update(
          progressOf(r, calls),
          `${r.state.padEnd(9)} ${calls} Zscaler call${calls === 1 ? '' : 's'}`,
        );
      },
    });
    const loaded = await loadRequest(stack.store, stack.audit, id);
    if (!loaded) throw new CliError(`request ${id} disappeared`);
    const { record, trail } = loaded;
    bar?.done(`${record.state}`, record.state === 'SUCCEEDED' ? 1 : progressOf(record, 0));
    ctx.print({ ...requestJson(record), settled: waited.settled, snapshot: record.result ?? null }, () =>
      record.state === 'SUCCEEDED'
        ? renderSnapshot(record)
        : `snapshot request ${id} is ${record.state}\n\n${renderTrail(trail)}`,
    );
    if (!waited.settled) return EXIT.timeout;
    return exitCodeOf(record.state);
  },
};

/**
 * How far a snapshot has come: intake 10%, queued 20%, running 30% plus a share of 60% that grows
 * with the calls made (the page count is not known ahead), settled 100%.
 */
export function progressOf(r: RequestRecord, calls: number): number {
  switch (r.state) {
    case 'RECEIVED':
      return 0.1;
    case 'QUEUED':
    case 'DEFERRED':
      return 0.2;
    case 'RUNNING':
      return 0.3 + 0.6 * (calls / (calls + 10));
    default:
      return 1;
  }
}

/** The snapshot's summary for people. */
export function renderSnapshot(record: RequestRecord): string {
  const r = (record.result ?? {}) as Record<string, unknown>;
  const summary = (r.summary ?? {}) as Record<string, unknown>;
  const counts = (r.counts ?? {}) as Record<string, unknown>;
  const diff = (r.diff ?? {}) as Record<string, unknown>;
  return renderFields([
    ['snapshot', r.snapshotId],
    ['request', record.requestId],
    ['tenant', record.tenant],
    ['written to', r.bucket && r.prefix ? `s3://${String(r.bucket)}/${String(r.prefix)}` : undefined],
    [
      'counts',
      Object.entries(counts)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(', '),
    ],
    ['calls', r.calls],
    ['took', r.durationMs !== undefined ? `${String(r.durationMs)} ms` : undefined],
    ['disconnected', summary.disconnected],
    ['version drift', summary.versionDrift],
    ['stale', summary.stale],
    ['empty groups', summary.emptyGroups],
    [
      'diff',
      diff.previous
        ? `against ${String(diff.previous)}: ${JSON.stringify(diff.kinds ?? {})}`
        : 'first snapshot of this tenant',
    ],
  ]);
}
