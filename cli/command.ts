import type { ParseArgsOptionsConfig } from 'node:util';
import type { CommandContext } from './context.ts';

/** Parsed arguments of one command. */
export interface CommandArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * One CLI command: its flags (node:util `parseArgs` config), its help text and what it does.
 * Each lives in its own file under `cli/commands/`; `cli/commands/index.ts` lists them.
 *
 * @example
 * export const statusCommand: Command = { name: 'status', summary: 'a request', usage: '...', options: {}, positionals: true,
 *   async run(ctx, args) { ...; return EXIT.ok; } };
 */
export interface Command {
  /** `submit`, or `dlq list` for a sub-command. */
  name: string;
  summary: string;
  /** The help body (usage line, flags, examples); global flags are appended. */
  usage: string;
  options: ParseArgsOptionsConfig;
  /** Accepts positional arguments. */
  positionals: boolean;
  run(ctx: CommandContext, args: CommandArgs): Promise<number>;
}

/** Flags every command takes. */
export const GLOBAL_OPTIONS: ParseArgsOptionsConfig = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'profile-file': { type: 'string' },
  config: { type: 'string' },
};

export const GLOBAL_HELP = `Global flags:
  --json                 machine-readable output (one JSON document on stdout; errors as JSON on stderr)
  --profile-file FILE    the stack: a zcops profile, or 'cdk deploy --outputs-file' JSON (with --config)
  --config FILE          the zcops configuration of a deployed stack (default zcops.config.json)
  -h, --help             this help
Without --profile-file the CLI uses ZCOPS_PROFILE_FILE, else the functions' environment variables
(REQUESTS_TABLE, AUDIT_TABLE, RATELIMIT_TABLE, JOBS_QUEUE_URL, JOBS_DLQ_URL, SNAPSHOTS_BUCKET,
ZCOPS_CONFIG), else the running local stack (.zcops/local.json).`;
