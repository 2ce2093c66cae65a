import type { SubmitResult } from '../requests/submit.ts';
import type { SecretSource } from '../secrets/secret-source.ts';
import { type Accept, type AcceptanceDeps, acceptance } from './acceptance.ts';
import { authenticate, type IntakeCall } from './authenticate.ts';
import type { Channel } from './channel.ts';
import { lookUpRequest, type RequestAnswer } from './request-lookup.ts';
import { translate } from './translate.ts';

/** What HTTP intake runs on: acceptance's dependencies and the sources' credentials. */
export interface WebhookIntakeDeps extends AcceptanceDeps {
  secrets: SecretSource;
}

/**
 * Intake over HTTP, one call per request: `receive` authenticates the caller (headers + raw body →
 * source), translates the channel's body into a canonical draft and accepts it through `submit`;
 * `lookUp` authenticates and reads a request under the visibility rule. Failures are the typed
 * errors of those steps (`AuthenticationError`, `RouteNotAllowedError`, `SecretError`,
 * `MalformedBodyError`, `InvalidRequestIdError`, and `submit`'s `RequestError`s); the HTTP layer
 * turns each into its answer.
 *
 * @example
 * const intake = new WebhookIntake({ config, secrets, store, audit, queue, clock });
 * const result = await intake.receive('servicenow', { headers, body }); // { outcome: 'accepted', requestId, state }
 */
export class WebhookIntake {
  readonly #deps: WebhookIntakeDeps;
  readonly #accept: Accept;

  constructor(deps: WebhookIntakeDeps) {
    this.#deps = deps;
    this.#accept = acceptance(deps);
  }

  /** Accepts (or answers as a duplicate) the request a call on `channel` carries. */
  async receive(channel: Channel, call: IntakeCall): Promise<SubmitResult> {
    const policy = await authenticate(this.#deps, channel, call);
    const { draft, context } = translate(channel, policy, call);
    return this.#accept(draft, policy, context);
  }

  /** The request `id` as the calling source may see it. */
  async lookUp(id: string, call: IntakeCall): Promise<RequestAnswer> {
    const policy = await authenticate(this.#deps, 'lookup', call);
    return lookUpRequest(this.#deps, id, policy);
  }
}
