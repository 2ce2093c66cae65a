/** Errors of the local stack. Messages say what to do; they never carry a secret. */
export class LocalStackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The local stack's options or files are wrong (exit code 2 in `npm start`). */
export class LocalConfigError extends LocalStackError {
  readonly issues: string[];
  constructor(origin: string, issues: string[]) {
    super(`${origin}:\n  ${issues.join('\n  ')}`);
    this.issues = issues;
  }
}

/** A schedule expression the local scheduler cannot run (e.g. cron's L, W or #). */
export class ScheduleExpressionError extends LocalStackError {}
