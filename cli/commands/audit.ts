import type { AuditEvent } from '../../shared/audit/events.ts';
import { REQUEST_ID_PATTERN } from '../../shared/requests/keys.ts';
import type { Command } from '../command.ts';
import { NotFoundError, UsageError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import { auditJson, renderTrail } from '../request-view.ts';

export const auditCommand: Command = {
  name: 'audit',
  summary: 'query the audit trail by request, ticket or resource',
  usage: `Usage: zcops audit (--request ID | --ticket REF | --resource KEY) [--tenant T] [--limit N]
  --request ID       every event of one request
  --ticket REF       every event of every request of an ITSM ticket (or instance id, schedule run)
  --resource KEY     every event touching a resource: TENANT:KIND/ID, e.g. acme:appConnector/72057615512764537
                     (or KIND/ID with --tenant)
  --limit N          at most N events (default 1000)
Exit 3 when nothing matches.

Examples:
  zcops audit --ticket CHG0030001
  zcops audit --resource appConnectorGroup/72057615512764441 --tenant acme --json`,
  options: {
    request: { type: 'string' },
    ticket: { type: 'string' },
    resource: { type: 'string' },
    tenant: { type: 'string' },
    limit: { type: 'string' },
  },
  positionals: false,
  async run(ctx, args) {
    const v = args.values;
    const given = (['request', 'ticket', 'resource'] as const).filter((k) => typeof v[k] === 'string');
    if (given.length !== 1) throw new UsageError('give exactly one of --request, --ticket, --resource');
    const limitText = typeof v.limit === 'string' ? v.limit : '1000';
    if (!/^\d+$/.test(limitText) || Number(limitText) < 1)
      throw new UsageError('--limit must be a positive integer');
    const limit = Number(limitText);
    const audit = ctx.stack().audit;
    const by = given[0]!;
    let key = v[by] as string;
    let events: AuditEvent[];
    if (by === 'request') {
      key = key.toLowerCase();
      if (!REQUEST_ID_PATTERN.test(key)) throw new UsageError(`"${key}" is not a request id (a UUID)`);
      events = await audit.byRequest(key, { limit });
    } else if (by === 'ticket') {
      events = await audit.byTicket(key, { limit });
    } else {
      if (!key.includes(':')) {
        if (typeof v.tenant !== 'string') {
          throw new UsageError(
            '--resource is TENANT:KIND/ID (e.g. acme:appConnector/7205…), or give --tenant',
          );
        }
        key = `${v.tenant}:${key}`;
      }
      events = await audit.byResource(key, { limit });
    }
    if (events.length === 0) throw new NotFoundError(`no audit events for ${by} ${key}`, { [by]: key });
    ctx.print({ [by]: key, count: events.length, events: events.map(auditJson) }, () =>
      renderTrail(events, by !== 'request'),
    );
    return EXIT.ok;
  },
};
