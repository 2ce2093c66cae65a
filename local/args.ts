import { parseArgs } from 'node:util';
import { LocalConfigError } from './errors.ts';

/** `npm start -- [flags]` */
export interface StartArgs {
  port: number;
  host: string;
  configFile?: string;
  tenantFile?: string;
  live: boolean;
  persist: boolean;
  scheduleEveryMs?: number;
  noSchedules: boolean;
  simulatorPort: number;
  verbose: boolean;
  help: boolean;
}

export const START_USAGE = `Usage: npm start -- [flags]
  --port N               the local HTTP server (webhook API and /local/*), default 8787
  --host H               default 127.0.0.1
  --config FILE          a zcops configuration (default: one tenant "acme" on the simulator)
  --tenant-file FILE     credentials of REAL tenants: { "<tenant>": { "zpa": {...}, "ztw": {...} } }
                         (or ZCOPS_TENANT_CREDENTIALS); with --config naming those tenants. No simulator.
  --live                 with real tenants: make writes (default: every request is a dry run)
  --persist              keep tables, queues and snapshots in .zcops/data between runs
  --schedule-every DUR   fire the snapshot schedules every DUR (30s, 5m, 1h) instead of their cron
  --no-schedules         do not run the snapshot schedules
  --simulator-port N     the Zscaler simulator's port (default 0: any free port)
  --verbose              also print the functions' own JSON logs (INFO)
  -h, --help`;

/** Parses `30s`, `5m`, `1h`, `500ms` (or plain seconds) into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m)
    throw new LocalConfigError('--schedule-every', [`"${text}" is not a duration such as 30s, 5m or 1h`]);
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const ms = n * unit;
  if (ms < 1000) throw new LocalConfigError('--schedule-every', ['at least 1s']);
  return ms;
}

function port(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) > 65535)
    throw new LocalConfigError(flag, [`"${text}" is not a port`]);
  return Number(text);
}

/** Parses the flags of `npm start`; throws `LocalConfigError` (exit 2) on bad ones. */
export function parseStartArgs(argv: readonly string[]): StartArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        config: { type: 'string' },
        'tenant-file': { type: 'string' },
        live: { type: 'boolean' },
        persist: { type: 'boolean' },
        'schedule-every': { type: 'string' },
        'no-schedules': { type: 'boolean' },
        'simulator-port': { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    throw new LocalConfigError('npm start', [(err as Error).message]);
  }
  const s = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  return {
    port: port(s('port'), '--port', 8787),
    host: s('host') ?? '127.0.0.1',
    ...(s('config') ? { configFile: s('config') } : {}),
    ...(s('tenant-file') ? { tenantFile: s('tenant-file') } : {}),
    live: values.live === true,
    persist: values.persist === true,
    ...(s('schedule-every') ? { scheduleEveryMs: parseDuration(s('schedule-every')!) } : {}),
    noSchedules: values['no-schedules'] === true,
    simulatorPort: port(s('simulator-port'), '--simulator-port', 0),
    verbose: values.verbose === true,
    help: values.help === true,
  };
}
