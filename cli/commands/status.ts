import { REQUEST_ID_PATTERN } from '../../shared/requests/keys.ts';
import type { Command } from '../command.ts';
import { NotFoundError, UsageError } from '../errors.ts';
import { exitCodeOf, loadRequest, renderRequest, requestJson } from '../request-view.ts';

export const statusCommand: Command = {
  name: 'status',
  summary: "a request's state and audit trail",
  usage: `Usage: zcops status REQUEST_ID
Shows the request's state, target, result or error, and its audit trail.
Exit 0 while it is pending or when it SUCCEEDED (or is HELD), 4 when it ended FAILED, REJECTED or
DEAD_LETTERED, 3 when there is no such request.`,
  options: {},
  positionals: true,
  async run(ctx, args) {
    const id = args.positionals[0]?.toLowerCase();
    if (!id || args.positionals.length > 1) throw new UsageError('give one REQUEST_ID');
    if (!REQUEST_ID_PATTERN.test(id)) throw new UsageError(`"${id}" is not a request id (a UUID)`);
    const stack = ctx.stack();
    const loaded = await loadRequest(stack.store, stack.audit, id);
    if (!loaded) throw new NotFoundError(`request ${id} not found`, { requestId: id });
    ctx.print(requestJson(loaded.record, loaded.trail), () => renderRequest(loaded.record, loaded.trail));
    return exitCodeOf(loaded.record.state);
  },
};
