import { parseArgs } from 'node:util';
import type { Command } from './command.ts';
import { GLOBAL_HELP, GLOBAL_OPTIONS } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { CommandContext } from './context.ts';
import { CliError, UsageError } from './errors.ts';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { VERSION } from './version.ts';

const TOP_HELP = `zcops — operate zcops: submit and follow requests, read the audit trail, take snapshots,
watch the rate limiter, handle the DLQ, approve held requests, pause tenants.

Usage: zcops COMMAND [flags]        zcops COMMAND --help        zcops --version

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(14)} ${c.summary}`).join('\n')}

${GLOBAL_HELP}

${EXIT_CODES_HELP}`;

/**
 * Runs one CLI invocation and answers its exit code; everything it prints goes through `io`, so
 * tests run commands in-process. Errors go to stderr, always: one line, or with `--json` a JSON
 * `{error: {message, exitCode, ...}}`, so stdout holds only results; the exit code says which.
 *
 * @example
 * const code = await runCli(['status', requestId, '--json'], io);
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  const fail = (err: CliError): number => {
    if (json)
      io.err(
        `${JSON.stringify({ error: { message: err.message, exitCode: err.exitCode, ...err.detail } }, null, 2)}\n`,
      );
    else io.err(`zcops: ${err.message}\n`);
    return err.exitCode;
  };
  const [first, second] = argv;
  if (first === '--version' || first === '-v' || first === 'version') {
    io.out(json ? `${JSON.stringify({ version: VERSION })}\n` : `${VERSION}\n`);
    return EXIT.ok;
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? argv.slice(1).join(' ') : '';
    const command = topic ? find(topic) : undefined;
    if (topic && !command)
      return fail(new UsageError(`unknown command "${topic}" (zcops --help lists them)`));
    io.out(`${command ? helpOf(command) : TOP_HELP}\n`);
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  const twoWord = second !== undefined ? find(`${first} ${second}`) : undefined;
  const command = twoWord ?? find(first);
  if (!command) {
    const group = COMMANDS.filter((c) => c.name.startsWith(`${first} `));
    if (group.length > 0) {
      if (second === '--help' || second === '-h' || second === undefined) {
        io.out(`${group.map(helpOf).join('\n\n')}\n`);
        return second === undefined ? EXIT.usage : EXIT.ok;
      }
      return fail(
        new UsageError(`unknown sub-command "${first} ${second}" (${group.map((c) => c.name).join(', ')})`),
      );
    }
    return fail(new UsageError(`unknown command "${first}" (zcops --help lists them)`));
  }
  const rest = argv.slice(twoWord ? 2 : 1);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: command.positionals,
      strict: true,
    });
  } catch (err) {
    return fail(
      new UsageError(
        `${(err as Error).message.replace(/\. To specify a positional.*$/s, '')} (zcops ${command.name} --help)`,
      ),
    );
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (values.help) {
    io.out(`${helpOf(command)}\n`);
    return EXIT.ok;
  }
  const ctx = new CommandContext(io, {
    json: values.json === true,
    ...(typeof values['profile-file'] === 'string' ? { profileFile: values['profile-file'] } : {}),
    ...(typeof values.config === 'string' ? { configFile: values.config } : {}),
  });
  try {
    return await command.run(ctx, { values, positionals: parsed.positionals });
  } catch (err) {
    if (err instanceof CliError) return fail(err);
    // AWS and other unexpected errors: the class and message, never a stack (or a secret).
    const e = err as Error;
    const unreachable = /ECONNREFUSED|ENOTFOUND|getaddrinfo|connect/i.test(
      `${e.name} ${e.message} ${String((e as { code?: string }).code ?? '')}`,
    );
    return fail(
      new CliError(
        unreachable
          ? `the stack is not reachable (${e.message}); is the local stack running (npm start)?`
          : `${e.name}: ${e.message}`,
        unreachable ? EXIT.unavailable : EXIT.failure,
      ),
    );
  } finally {
    ctx.close();
  }
}

function find(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

function helpOf(command: Command): string {
  return `zcops ${command.name} — ${command.summary}\n\n${command.usage}\n\n${GLOBAL_HELP}\n\n${EXIT_CODES_HELP}`;
}
