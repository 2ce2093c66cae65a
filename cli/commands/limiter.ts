import type { KeyState } from '../../shared/ratelimit/limiter.ts';
import type { Command } from '../command.ts';
import { NotFoundError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import { renderTable } from '../table.ts';

export const limiterCommand: Command = {
  name: 'limiter',
  summary: "the rate limiter's state per key (tenant/api/class)",
  usage: `Usage: zcops limiter [--tenant T] [--key TENANT/API/CLASS]
One line per budget key: its windows (limit per window, queue ahead), whether a 429 blocks it and
until when, the next free slot, permits granted and blocks seen. Keys appear once used.
Exit 3 when --key names a key never used.`,
  options: { tenant: { type: 'string' }, key: { type: 'string' } },
  positionals: false,
  async run(ctx, args) {
    const limiter = ctx.stack().limiter;
    const key = typeof args.values.key === 'string' ? args.values.key : undefined;
    let states: KeyState[];
    if (key !== undefined) {
      const one = await limiter.state(key);
      if (!one) throw new NotFoundError(`limiter key ${key} has never been used`, { key });
      states = [one];
    } else {
      states = await limiter.listKeys(
        typeof args.values.tenant === 'string' ? args.values.tenant : undefined,
      );
    }
    const now = Date.now();
    ctx.print({ now, keys: states }, () =>
      states.length === 0
        ? '(no limiter keys yet: they appear with the first Zscaler call)\n'
        : renderTable(
            states.map((s) => ({
              key: s.key,
              windows: s.windows
                .map(
                  (w) =>
                    `${w.limit}/${fmtMs(w.windowMs)}${w.backlogMs > 0 ? ` (+${fmtMs(w.backlogMs)})` : ''}`,
                )
                .join(' '),
              blocked: s.blocked ? `until ${new Date(s.blockedUntil!).toISOString().slice(11, 19)}` : 'no',
              next: s.nextSlotAt <= now ? 'now' : `in ${fmtMs(s.nextSlotAt - now)}`,
              granted: s.granted,
              blocks: s.blocks,
            })),
            ['key', 'windows', 'blocked', 'next', 'granted', 'blocks'],
          ),
    );
    return EXIT.ok;
  },
};

function fmtMs(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000) return `${Math.round(ms / 100) / 10}s`;
  return `${Math.round(ms)}ms`;
}
