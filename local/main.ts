import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseStartArgs, START_USAGE } from './args.ts';
import { banner } from './banner.ts';
import { LocalConfigError } from './errors.ts';
import { readConfigFile } from './local-config.ts';
import { startLocalStack } from './stack.ts';

/**
 * `npm start`: the whole zcops stack on this machine (see `local/stack.ts`), until Ctrl-C.
 * Exit codes: 0 stopped cleanly, 1 failed to start, 2 bad flags or files.
 */
const cwd = process.cwd();
const stateDir = join(cwd, '.zcops');
const time = () => new Date().toISOString().slice(11, 19);

try {
  const args = parseStartArgs(process.argv.slice(2));
  if (args.help) {
    console.log(START_USAGE);
    process.exit(0);
  }
  const config = args.configFile ? readConfigFile(resolve(cwd, args.configFile)) : undefined;
  let tenantCredentials: { text: string; origin: string } | undefined;
  if (args.tenantFile) {
    const path = resolve(cwd, args.tenantFile);
    try {
      tenantCredentials = { text: readFileSync(path, 'utf8'), origin: path };
    } catch (err) {
      throw new LocalConfigError(path, [
        (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message,
      ]);
    }
  } else if (process.env.ZCOPS_TENANT_CREDENTIALS) {
    tenantCredentials = { text: process.env.ZCOPS_TENANT_CREDENTIALS, origin: 'ZCOPS_TENANT_CREDENTIALS' };
  }
  if (tenantCredentials && !config) {
    throw new LocalConfigError('--tenant-file', [
      'real tenants need --config naming them (customer ids, clouds, secret names)',
    ]);
  }
  console.log('starting the zcops local stack…');
  const stack = await startLocalStack({
    stateDir,
    port: args.port,
    host: args.host,
    ...(config ? { config } : {}),
    ...(tenantCredentials ? { tenantCredentials } : {}),
    live: args.live,
    persist: args.persist,
    ...(args.scheduleEveryMs !== undefined ? { scheduleEveryMs: args.scheduleEveryMs } : {}),
    schedules: !args.noSchedules,
    simulator: { port: args.simulatorPort },
    logLevel: args.verbose ? 'INFO' : 'WARN',
    print: (line) => console.log(`${time()} ${line}`),
  });
  console.log(banner(stack, stateDir, cwd));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      console.log('stopping already; Ctrl-C again in a moment forces it');
      process.exitCode = 130;
      setTimeout(() => process.exit(130), 2000).unref();
      return;
    }
    stopping = true;
    console.log(`\n${signal}: finishing running batches and stopping…`);
    stack
      .stop()
      .then(() => {
        console.log('stopped.');
        process.exit(0);
      })
      .catch((err: unknown) => {
        console.error(`stopping failed: ${(err as Error).message}`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('Ctrl-C'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (err) {
  if (err instanceof LocalConfigError) {
    console.error(`zcops local stack: ${err.message}\n\n${START_USAGE}`);
    process.exit(2);
  }
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') {
    console.error(`zcops local stack: a port is in use (${e.message}); is it already running? Try --port`);
    process.exit(1);
  }
  console.error(`zcops local stack failed to start: ${e.name}: ${e.message}`);
  process.exit(1);
}
