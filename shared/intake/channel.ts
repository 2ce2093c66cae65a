import type { SourcePolicy } from '../config/sources.ts';

/**
 * How a caller hands intake a request over HTTP: the canonical body (`submit`), an ITSM hook
 * (`servicenow`, `jira`), or the generic scale-in hook (`teardown`). `lookup` reads a request.
 */
export const CHANNELS = ['submit', 'servicenow', 'jira', 'teardown'] as const;
export type Channel = (typeof CHANNELS)[number];
export type CallPurpose = Channel | 'lookup';

/**
 * Sources that suit a channel: when no source matches the credential, the refusal of the only
 * one that suits is the one reported.
 */
export function fitsChannel(purpose: CallPurpose): (s: SourcePolicy) => boolean {
  switch (purpose) {
    case 'servicenow':
    case 'jira':
      return (s) => s.itsm?.system === purpose;
    case 'teardown':
      return (s) => s.kind === 'autoscaling';
    case 'submit':
      return (s) => s.kind === 'api' || s.kind === 'cli';
    case 'lookup':
      return () => true;
  }
}

/** A reason the authenticated source may not use this channel, if any. */
export function channelRefusal(purpose: CallPurpose, policy: SourcePolicy): string | undefined {
  if ((purpose === 'servicenow' || purpose === 'jira') && policy.itsm?.system !== purpose) {
    return `source ${policy.name} is not configured for ${purpose} hooks`;
  }
  if (purpose === 'teardown' && policy.kind !== 'autoscaling') {
    return `source ${policy.name} is not an autoscaling source`;
  }
  return undefined;
}
