import type { Issue } from '../requests/issues.ts';

/** Errors of the intake (authentication, configuration, event mapping). */
export class IntakeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The caller could not be authenticated (401). The message says what was wrong, never a secret. */
export class AuthenticationError extends IntakeError {}

/** The source is known but may not use this route (403). */
export class RouteNotAllowedError extends IntakeError {}

/** The intake configuration is invalid; `problems` lists `path: message` for every field. */
export class IntakeConfigError extends IntakeError {
  readonly problems: string[];
  constructor(origin: string, problems: string[]) {
    super(`${origin} is invalid: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/** The body is not JSON (400); `issues` holds the parser's complaint at `(root)`. */
export class MalformedBodyError extends IntakeError {
  readonly issues: Issue[];
  constructor(issues: Issue[]) {
    super('the body is not valid JSON');
    this.issues = issues;
  }
}

/** A looked-up request id is not a request id (400); `issues` names the `id`. */
export class InvalidRequestIdError extends IntakeError {
  readonly issues: Issue[];
  constructor(issues: Issue[]) {
    super('the request id is not valid');
    this.issues = issues;
  }
}
