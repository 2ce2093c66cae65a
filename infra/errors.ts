/**
 * Typed errors of the CDK app. They are thrown at synth time, so their messages name the exact
 * configuration field or construct property at fault: the operator fixes a file, not a stack trace.
 */

/** The configuration file or a context override does not match the schema. */
export class InfraConfigError extends Error {
  override readonly name = 'InfraConfigError';
  /** One entry per problem, each `path: message` (e.g. `tenants[0].secretName: Required`). */
  readonly issues: readonly string[];

  constructor(source: string, issues: readonly string[]) {
    super(`invalid zcops configuration (${source}):\n  - ${issues.join('\n  - ')}`);
    this.issues = issues;
  }
}

/** A construct received props that would deploy something insecure or broken. */
export class InfraPropsError extends Error {
  override readonly name = 'InfraPropsError';
  /** The construct whose props were rejected, e.g. `JobsQueue`. */
  readonly construct: string;

  constructor(construct: string, message: string) {
    super(`${construct}: ${message}`);
    this.construct = construct;
  }
}

/** Lambda bundling could not run locally (esbuild missing); zcops never falls back to Docker. */
export class BundlingUnavailableError extends Error {
  override readonly name = 'BundlingUnavailableError';
}
