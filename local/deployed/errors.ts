/** The synthesized template asks for something the deployed-shape run cannot stand in for. */
export class DeployedShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An EventBridge pattern uses an operator the local matcher does not implement (never a silent match). */
export class EventPatternError extends DeployedShapeError {}

/** A function invocation failed: the handler threw, timed out, or its process died. */
export class InvocationError extends DeployedShapeError {
  readonly errorType: string;
  constructor(errorType: string, message: string) {
    super(message);
    this.errorType = errorType;
  }
}
