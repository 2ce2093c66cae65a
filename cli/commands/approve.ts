import { approve } from '../../shared/guardrails/approve.ts';
import { NotHeldError } from '../../shared/guardrails/errors.ts';
import { REQUEST_ID_PATTERN } from '../../shared/requests/keys.ts';
import type { Command } from '../command.ts';
import { CliError, NotFoundError, UsageError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import { renderTable } from '../table.ts';

export const approveCommand: Command = {
  name: 'approve',
  summary: 'approve a HELD request (past the deletion cap), or list the HELD ones',
  usage: `Usage: zcops approve REQUEST_ID [--note TEXT]
       zcops approve --list
A request waits HELD when its tenant's deletions in the last hour would pass the cap. Approving it
admits it past the cap, moves it back to QUEUED (audited "approved", with who approved it: your
AWS identity (STS) on a deployed stack, ZCOPS_OPERATOR or your OS user marked self-asserted
locally) and sends its job again. Exit 3 when there is no such request, 4 when it is not HELD.`,
  options: { note: { type: 'string' }, list: { type: 'boolean' } },
  positionals: true,
  async run(ctx, args) {
    const stack = ctx.stack();
    if (args.values.list) {
      const held = await stack.store.byState('HELD', { limit: 100 });
      ctx.print(
        {
          held: held.map((r) => ({
            requestId: r.requestId,
            tenant: r.tenant,
            action: r.action,
            target: r.target,
            reason: r.stateReason,
            since: r.updatedAt,
          })),
        },
        () =>
          held.length === 0
            ? '(no HELD requests)\n'
            : renderTable(
                held.map((r) => ({
                  request: r.requestId,
                  tenant: r.tenant,
                  action: r.action,
                  reason: r.stateReason,
                  since: r.updatedAt,
                })),
                ['request', 'tenant', 'action', 'reason', 'since'],
              ),
      );
      return EXIT.ok;
    }
    const id = args.positionals[0]?.toLowerCase();
    if (!id || args.positionals.length > 1) throw new UsageError('give one REQUEST_ID (or --list)');
    if (!REQUEST_ID_PATTERN.test(id)) throw new UsageError(`"${id}" is not a request id (a UUID)`);
    const by = await stack.operator();
    try {
      const record = await approve(
        {
          store: stack.store,
          audit: stack.audit,
          queue: stack.queue,
          control: stack.control,
          clock: { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
        },
        id,
        { by, ...(typeof args.values.note === 'string' ? { note: args.values.note } : {}) },
      );
      ctx.print(
        { requestId: id, state: record.state, approvedBy: by },
        () => `request ${id} approved by ${by}: ${record.state}\n`,
      );
      return EXIT.ok;
    } catch (err) {
      if (err instanceof NotHeldError) {
        if (err.state === undefined) throw new NotFoundError(`request ${id} not found`, { requestId: id });
        throw new CliError(err.message, EXIT.requestFailed, { requestId: id, state: err.state });
      }
      throw err;
    }
  },
};
