/** Base of the guardrails' typed errors. */
export class GuardrailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** `approve` was asked for a request that is not HELD. */
export class NotHeldError extends GuardrailError {
  readonly requestId: string;
  readonly state: string | undefined;
  constructor(requestId: string, state: string | undefined) {
    super(`request ${requestId} is ${state ?? 'missing'}, not HELD`);
    this.requestId = requestId;
    this.state = state;
  }
}
