import type { Command } from '../command.ts';
import type { CommandContext } from '../context.ts';
import { NotFoundError, UsageError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';

function tenantArg(ctx: CommandContext, positionals: string[]): string {
  const tenant = positionals[0];
  if (!tenant || positionals.length > 1) throw new UsageError('give one TENANT');
  const known = ctx.stack().intake.tenants.map((t) => t.name);
  if (!known.includes(tenant))
    throw new NotFoundError(`tenant ${tenant} is not configured (${known.join(', ')})`, { tenant });
  return tenant;
}

export const pauseCommand: Command = {
  name: 'pause',
  summary: 'pause a tenant: its jobs wait (deferred) until it is resumed',
  usage: `Usage: zcops pause TENANT [--reason TEXT]
While paused, the worker defers the tenant's jobs without calling Zscaler; requests are still
accepted and queued. The pause records who paused (your AWS identity on a deployed stack). Pausing a paused tenant changes nothing. Exit 3 for an unknown tenant.`,
  options: { reason: { type: 'string' } },
  positionals: true,
  async run(ctx, args) {
    const tenant = tenantArg(ctx, args.positionals);
    const stack = ctx.stack();
    const reason = typeof args.values.reason === 'string' ? args.values.reason : 'paused from the CLI';
    await stack.pause.pause(tenant, { reason, by: await stack.operator(), nowMs: Date.now() });
    const state = await stack.pause.state(tenant);
    ctx.print(
      { tenant, paused: true, ...state },
      () => `tenant ${tenant} paused since ${state?.since} by ${state?.by}: ${state?.reason}\n`,
    );
    return EXIT.ok;
  },
};

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'resume a paused tenant',
  usage: `Usage: zcops resume TENANT
Deferred jobs of the tenant run again when their delay ends. Exit 3 for an unknown tenant.`,
  options: {},
  positionals: true,
  async run(ctx, args) {
    const tenant = tenantArg(ctx, args.positionals);
    const stack = ctx.stack();
    const by = await stack.operator();
    const was = await stack.pause.state(tenant);
    await stack.pause.resume(tenant);
    ctx.print({ tenant, paused: false, wasPaused: was !== undefined, by }, () =>
      was ? `tenant ${tenant} resumed by ${by}\n` : `tenant ${tenant} was not paused\n`,
    );
    return EXIT.ok;
  },
};
