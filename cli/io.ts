/**
 * The CLI's window on the world, injectable so tests run commands in-process and read what they
 * print. `process` provides the real one (`processIo()`).
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** The whole of standard input (for `submit -`). */
  readStdin(): Promise<string>;
  env: Record<string, string | undefined>;
  cwd: string;
  /** True when stderr is a terminal (progress bars redraw in place). */
  interactive: boolean;
  /** Aborted on Ctrl-C (long-running commands stop cleanly). */
  signal: AbortSignal;
}

/** The real process's streams, environment and Ctrl-C. */
export function processIo(): CliIo {
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    cwd: process.cwd(),
    interactive: process.stderr.isTTY === true,
    signal: abort.signal,
  };
}
