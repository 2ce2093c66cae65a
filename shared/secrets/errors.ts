import type { Disposition } from '../core/disposition.ts';

/** Errors of the secret port. Messages name the secret, never its value. */
export class SecretError extends Error {
  readonly secretName: string;
  constructor(message: string, secretName: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.secretName = secretName;
  }

  /** A job that cannot read its tenant's secret fails naming the class (never the value). */
  get disposition(): Disposition {
    return { kind: 'fail', code: this.name, reason: this.message };
  }
}

/** The secret does not exist (a configuration problem, not a transient one). */
export class SecretNotFoundError extends SecretError {}

/** The secret store could not be reached or refused access; retrying later may work. */
export class SecretUnavailableError extends SecretError {}

/** The secret exists but its value does not have the expected shape. */
export class SecretFormatError extends SecretError {}
