import type { IntakeConfig, SourcePolicy } from '../config/sources.ts';
import { SecretError } from '../secrets/errors.ts';
import type { SecretSource } from '../secrets/secret-source.ts';
import { loadSourceCredentials } from './credentials.ts';
import { AuthenticationError } from './errors.ts';
import { type CallerProof, verifyCaller } from './signature.ts';
import { candidateSources, SOURCE_HEADER } from './source-resolution.ts';

export interface IdentifyInput {
  config: IntakeConfig;
  secrets: SecretSource;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer;
  nowMs: number;
  /** Accept Jira's `X-Hub-Signature` (the Jira hook route only). */
  bodySignature: boolean;
  /** Sources that suit the route: when nothing matches, the error of the only such source is the most useful. */
  fits: (source: SourcePolicy) => boolean;
}

export interface IdentifiedCaller {
  policy: SourcePolicy;
  proof: CallerProof;
}

/**
 * Finds the source whose credential the caller holds. With `X-Zcops-Source` only that source is
 * tried; without it the credential is checked against every source with webhook credentials,
 * every one of them in constant time and none skipped once one matched, so the time taken does not
 * tell which source (if any) matched. A credential valid for two sources is refused as ambiguous.
 * Throws `AuthenticationError` (401) or, when no source matched and a source's secret could not be
 * read, that `SecretError` (503: the caller may hold that source's credential).
 *
 * @example
 * const { policy } = await identifyCaller({ config, secrets, headers, body, nowMs, bodySignature: false, fits: () => true });
 */
export async function identifyCaller(input: IdentifyInput): Promise<IdentifiedCaller> {
  const candidates = candidateSources(input.config, input.headers);
  if (candidates.length === 0) throw new AuthenticationError('no source accepts webhook calls');
  const matches: IdentifiedCaller[] = [];
  const refusals = new Map<SourcePolicy, AuthenticationError>();
  let unreadable: SecretError | undefined;
  for (const policy of candidates) {
    try {
      const creds = await loadSourceCredentials(policy, input.secrets);
      const proof = verifyCaller({
        headers: input.headers,
        body: input.body,
        nowMs: input.nowMs,
        bodySignature: input.bodySignature,
        ...creds,
      });
      matches.push({ policy, proof });
    } catch (err) {
      if (err instanceof AuthenticationError) refusals.set(policy, err);
      else if (err instanceof SecretError) unreadable ??= err;
      else throw err;
    }
  }
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1) {
    throw new AuthenticationError(
      `the credential is valid for several sources (${matches.map((m) => m.policy.name).join(', ')}); name yours in the ${SOURCE_HEADER} header`,
    );
  }
  if (unreadable) throw unreadable;
  throw mostUseful(candidates, refusals, input.fits);
}

/** The refusal to report: the only candidate's, else the only fitting one's, else one they all share. */
function mostUseful(
  candidates: SourcePolicy[],
  refusals: Map<SourcePolicy, AuthenticationError>,
  fits: (source: SourcePolicy) => boolean,
): AuthenticationError {
  const fitting = candidates.filter(fits);
  const only = candidates.length === 1 ? candidates[0] : fitting.length === 1 ? fitting[0] : undefined;
  const chosen = only ? refusals.get(only) : undefined;
  if (chosen) return chosen;
  const messages = new Set([...refusals.values()].map((e) => e.message));
  if (messages.size === 1) return [...refusals.values()][0]!;
  return new AuthenticationError(`the credential matches no source that may call this route`);
}
