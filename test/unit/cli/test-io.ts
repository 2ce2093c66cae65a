import type { CliIo } from '../../../cli/io.ts';

/** An in-memory CLI IO: what commands print is collected; stdin is a given string. */
export interface TestIo extends CliIo {
  stdout: string;
  stderr: string;
  abort(): void;
  /** stdout parsed as JSON (after `--json`). */
  json<T = Record<string, unknown>>(): T;
  /** stderr parsed as JSON (an error after `--json`). */
  errorJson<T = { error: Record<string, unknown> }>(): T;
}

export function testIo(options: {
  cwd: string;
  env?: Record<string, string | undefined>;
  stdin?: string;
}): TestIo {
  const controller = new AbortController();
  const io: TestIo = {
    stdout: '',
    stderr: '',
    out(t) {
      io.stdout += t;
    },
    err(t) {
      io.stderr += t;
    },
    readStdin: async () => options.stdin ?? '',
    env: options.env ?? {},
    cwd: options.cwd,
    interactive: false,
    signal: controller.signal,
    abort: () => controller.abort(),
    json<T>() {
      return JSON.parse(io.stdout) as T;
    },
    errorJson<T>() {
      return JSON.parse(io.stderr) as T;
    },
  };
  return io;
}
