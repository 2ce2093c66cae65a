import { EXIT } from './exit-codes.ts';

/** An error the CLI reports in one line and turns into an exit code. Never carries a secret. */
export class CliError extends Error {
  readonly exitCode: number;
  /** Extra machine-readable detail for `--json` (issues, ids). */
  readonly detail: Record<string, unknown> | undefined;
  constructor(message: string, exitCode: number = EXIT.failure, detail?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.detail = detail;
  }
}

/** Bad flags, arguments or input files (exit 2). */
export class UsageError extends CliError {
  constructor(message: string, detail?: Record<string, unknown>) {
    super(message, EXIT.usage, detail);
  }
}

/** The request, key or message asked for does not exist (exit 3). */
export class NotFoundError extends CliError {
  constructor(message: string, detail?: Record<string, unknown>) {
    super(message, EXIT.notFound, detail);
  }
}

/** The stack to talk to cannot be found (no `.zcops/local.json`, no profile, no environment). */
export class TargetError extends CliError {
  constructor(message: string) {
    super(message, EXIT.unavailable);
  }
}
