/** Errors of the audit trail. */
export class AuditError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An event could not be written; the caller decides whether the step it records may go on. */
export class AuditWriteError extends AuditError {}

/** An event with the same key exists already: the trail is append-only, nothing is overwritten. */
export class AuditDuplicateError extends AuditError {}
