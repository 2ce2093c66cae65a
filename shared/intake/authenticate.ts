import type { IntakeConfig, SourcePolicy } from '../config/sources.ts';
import type { Clock } from '../core/clock.ts';
import type { SecretSource } from '../secrets/secret-source.ts';
import { identifyCaller } from './caller-identification.ts';
import { type CallPurpose, channelRefusal, fitsChannel } from './channel.ts';
import { RouteNotAllowedError } from './errors.ts';

/** One HTTP call as intake reads it: lower-case header names and the raw body bytes. */
export interface IntakeCall {
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer;
}

export interface AuthenticateDeps {
  config: IntakeConfig;
  secrets: SecretSource;
  clock: Clock;
}

/**
 * The source a call comes from: found by its credential (`identifyCaller`; Jira's body signature
 * only on the Jira channel), then held to the channel (an ITSM hook is its own system's, the
 * teardown hook an autoscaling source's). Throws `AuthenticationError` (401), `SecretError` (503)
 * or `RouteNotAllowedError` (403).
 *
 * @example
 * const policy = await authenticate({ config, secrets, clock }, 'jira', { headers, body });
 */
export async function authenticate(
  deps: AuthenticateDeps,
  purpose: CallPurpose,
  call: IntakeCall,
): Promise<SourcePolicy> {
  const { policy } = await identifyCaller({
    config: deps.config,
    secrets: deps.secrets,
    headers: call.headers,
    body: call.body,
    nowMs: deps.clock.now(),
    bodySignature: purpose === 'jira',
    fits: fitsChannel(purpose),
  });
  const refusal = channelRefusal(purpose, policy);
  if (refusal) throw new RouteNotAllowedError(refusal);
  return policy;
}
