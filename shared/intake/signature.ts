import {
  HUB_SIGNATURE_HEADER,
  SIGNATURE_HEADER,
  safeEqual,
  sign,
  signBody,
  TIMESTAMP_HEADER,
} from '../core/webhook-signature.ts';
import { AuthenticationError } from './errors.ts';

export interface VerifyInput {
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer;
  nowMs: number;
  hmacKeys: readonly string[];
  bearerTokens: readonly string[];
  replayWindowSeconds: number;
  /** Accept Jira's `X-Hub-Signature` (body only, no timestamp): only on the Jira hook route. */
  bodySignature?: boolean;
}

/** How a caller proved who it is. */
export type CallerProof = 'bearer' | 'hmac' | 'hub-signature';

/**
 * Authenticates a webhook call: a bearer token, an HMAC-SHA256 signature over timestamp and
 * body within the replay window, or (with `bodySignature`) Jira's `X-Hub-Signature` over the body. Every comparison runs in constant time and against every accepted
 * value (rotation). Throws `AuthenticationError` saying what was wrong (never a secret).
 *
 * @example
 * verifyCaller({ headers, body, nowMs: Date.now(), hmacKeys: [key], bearerTokens: [], replayWindowSeconds: 300 });
 */
export function verifyCaller(input: VerifyInput): CallerProof {
  const { headers } = input;
  const authorization = headers.authorization;
  const signature = headers[SIGNATURE_HEADER];
  if (authorization !== undefined) {
    const match = /^Bearer ([\x21-\x7e]{1,4096})$/.exec(authorization.trim());
    if (!match?.[1]) throw new AuthenticationError('the Authorization header must be "Bearer <token>"');
    if (input.bearerTokens.length === 0)
      throw new AuthenticationError('this source does not accept bearer tokens');
    let ok = false;
    for (const token of input.bearerTokens) ok = safeEqual(match[1], token) || ok;
    if (!ok) throw new AuthenticationError('the bearer token is not valid');
    return 'bearer';
  }
  if (signature !== undefined) {
    if (input.hmacKeys.length === 0) throw new AuthenticationError('this source does not accept signatures');
    const ts = headers[TIMESTAMP_HEADER];
    if (ts === undefined)
      throw new AuthenticationError(`a signed request needs the ${TIMESTAMP_HEADER} header`);
    if (!/^\d{1,12}$/.test(ts)) throw new AuthenticationError(`${TIMESTAMP_HEADER} must be epoch seconds`);
    const skew = Math.abs(input.nowMs / 1000 - Number(ts));
    if (skew > input.replayWindowSeconds) {
      throw new AuthenticationError(
        `${TIMESTAMP_HEADER} is outside the ${input.replayWindowSeconds}s replay window (check the sender's clock)`,
      );
    }
    if (!/^(sha256=)?[0-9a-fA-F]{64}$/.test(signature.trim())) {
      throw new AuthenticationError(`${SIGNATURE_HEADER} must be sha256=<64 hex digits>`);
    }
    const given = signature
      .trim()
      .toLowerCase()
      .replace(/^sha256=/, '');
    let ok = false;
    for (const key of input.hmacKeys) ok = safeEqual(given, sign(key, ts, input.body).slice(7)) || ok;
    if (!ok) throw new AuthenticationError('the signature does not match the body and timestamp');
    return 'hmac';
  }
  const hub = headers[HUB_SIGNATURE_HEADER];
  if (hub !== undefined) {
    if (!input.bodySignature)
      throw new AuthenticationError(
        `${HUB_SIGNATURE_HEADER} (Jira's webhook signature) is accepted on /v1/hooks/jira only`,
      );
    if (input.hmacKeys.length === 0) throw new AuthenticationError('this source does not accept signatures');
    const match = /^sha256=([0-9a-fA-F]{64})$/.exec(hub.trim());
    if (!match?.[1]) throw new AuthenticationError(`${HUB_SIGNATURE_HEADER} must be sha256=<64 hex digits>`);
    const given = match[1].toLowerCase();
    let ok = false;
    for (const key of input.hmacKeys) ok = safeEqual(given, signBody(key, input.body).slice(7)) || ok;
    if (!ok) throw new AuthenticationError(`${HUB_SIGNATURE_HEADER} does not match the body`);
    return 'hub-signature';
  }
  throw new AuthenticationError(
    `missing credentials: send ${SIGNATURE_HEADER} with ${TIMESTAMP_HEADER}, or Authorization: Bearer <token>${input.bodySignature ? `, or Jira's ${HUB_SIGNATURE_HEADER}` : ''}`,
  );
}
