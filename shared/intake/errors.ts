/** Errors of the intake (authentication, configuration, event mapping). */
export class IntakeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The caller could not be authenticated (401). The message says what was wrong, never a secret. */
export class AuthenticationError extends IntakeError {}

/** The intake configuration is invalid; `problems` lists `path: message` for every field. */
export class IntakeConfigError extends IntakeError {
  readonly problems: string[];
  constructor(origin: string, problems: string[]) {
    super(`${origin} is invalid: ${problems.join('; ')}`);
    this.problems = problems;
  }
}
