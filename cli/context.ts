import type { CliIo } from './io.ts';
import { resolveProfile, type TargetProfile } from './profile.ts';
import { type StackAccess, stackAccess } from './stack-access.ts';

/**
 * What a command runs with: the IO, `--json`, and the stack (resolved on first use, so `--help`
 * and `simulator` work without one).
 *
 * @example
 * ctx.print({ requestId, state }, () => `request ${requestId} is ${state}\n`);
 */
export class CommandContext {
  readonly io: CliIo;
  readonly json: boolean;
  readonly #profileFile: string | undefined;
  readonly #configFile: string | undefined;
  #stack: StackAccess | undefined;

  constructor(io: CliIo, options: { json: boolean; profileFile?: string; configFile?: string }) {
    this.io = io;
    this.json = options.json;
    this.#profileFile = options.profileFile;
    this.#configFile = options.configFile;
  }

  profile(): TargetProfile {
    return resolveProfile({
      cwd: this.io.cwd,
      env: this.io.env,
      ...(this.#profileFile ? { profileFile: this.#profileFile } : {}),
      ...(this.#configFile ? { configFile: this.#configFile } : {}),
    });
  }

  stack(): StackAccess {
    if (!this.#stack) this.#stack = stackAccess(this.profile(), this.io.env);
    return this.#stack;
  }

  /** Prints `data` as JSON with `--json`, else the human rendering. */
  print(data: unknown, human: () => string): void {
    if (this.json) this.io.out(`${JSON.stringify(data, null, 2)}\n`);
    else this.io.out(human());
  }

  /** A note for people on stderr (never with `--json`, which keeps stderr for errors). */
  note(text: string): void {
    if (!this.json) this.io.err(`${text}\n`);
  }

  close(): void {
    this.#stack?.close();
  }
}
