import { describe, expect, it } from 'vitest';
import {
  AuthError,
  ConflictError,
  ExpiredCredentialError,
  RateLimitedError,
  ValidationError,
} from '../../../shared/zscaler/errors.ts';
import { DEFAULT_BLOCKED_WAIT_MS, mapResponseError } from '../../../shared/zscaler/http/error-mapping.ts';
import { RetryPolicy } from '../../../shared/zscaler/http/retry-policy.ts';
import { asSignInError } from '../../../shared/zscaler/zpa/auth/sign-in-errors.ts';

// The answers the official clients retry (facts page), in the shapes Zscaler sends them.
function map(status: number, body: unknown, method = 'POST') {
  return mapResponseError({
    status,
    headers: {},
    text: JSON.stringify(body),
    method,
    path: '/x',
    nowMs: 0,
  });
}

const policy = new RetryPolicy({ random: () => 0, maxTotalWaitMs: 60_000 });
const notActed = (e: unknown) => policy.decide(e, { mode: 'not-acted', attempt: 1, waitedMs: 0 }).action;

describe('busy answers: the server did not act, retried with their own back-off', () => {
  const cases: [string, number, unknown, string][] = [
    [
      'ZPA 400 db.simultaneous.request',
      400,
      { id: 'db.simultaneous.request', reason: 'x' },
      'simultaneous-request',
    ],
    ['ZPA 409 api.concurrent.access.error', 409, { id: 'api.concurrent.access.error' }, 'concurrent-access'],
    [
      'ZPA 400 non.restricted.entity.authorization.failed',
      400,
      { id: 'non.restricted.entity.authorization.failed' },
      'restricted-entity',
    ],
    ['ZTW 409 EDIT_LOCK_NOT_AVAILABLE', 409, { code: 'EDIT_LOCK_NOT_AVAILABLE' }, 'edit-lock'],
    [
      'ZTW 412 org barrier',
      412,
      { code: 'UNEXPECTED_ERROR', message: 'Failed during enter Org barrier' },
      'org-barrier',
    ],
    [
      'ZTW 409 org barrier',
      409,
      { code: 'UNEXPECTED_ERROR', message: 'Failed during enter Org barrier' },
      'org-barrier',
    ],
    [
      'ZTW 400 precondition',
      400,
      {
        code: 'UNEXPECTED_ERROR',
        message: 'Request processing failed, possibly because an expected precondition was not met',
      },
      'precondition',
    ],
    [
      'ZTW 409 precondition',
      409,
      {
        code: 'UNEXPECTED_ERROR',
        message: 'Request processing failed, possibly because an expected precondition was not met',
      },
      'precondition',
    ],
  ];
  for (const [name, status, body, kind] of cases) {
    it(`${name} → ConflictError(${kind}), retried even on a not-acted write`, () => {
      const e = map(status, body);
      expect(e).toBeInstanceOf(ConflictError);
      expect((e as ConflictError).kind).toBe(kind);
      expect(e.status).toBe(status);
      expect(notActed(e)).toBe('retry');
      expect(policy.decide(e, { mode: 'never', attempt: 1, waitedMs: 0 }).action).toBe('fail');
    });
  }

  it('other 400s stay ValidationError (final)', () => {
    expect(map(400, { id: 'invalid.latitude' })).toBeInstanceOf(ValidationError);
    expect(map(400, { code: 'INVALID_INPUT_ARGUMENT', message: 'bad' })).toBeInstanceOf(ValidationError);
  });
});

describe('401s: back off, renew, or fail', () => {
  it('ZTW 401 "Resource Access Blocked" is a 429 in disguise: RateLimitedError, never a renewal', () => {
    const e = map(401, { message: 'Resource Access Blocked' }, 'GET');
    expect(e).toBeInstanceOf(RateLimitedError);
    expect(e).not.toBeInstanceOf(AuthError);
    expect((e as RateLimitedError).retryAfterMs).toBe(DEFAULT_BLOCKED_WAIT_MS);
    expect(e.status).toBe(401);
    // Sign-in endpoints keep it a back-off too.
    expect(asSignInError(e)).toBe(e);
  });

  it('ZTW SESSION_NOT_VALID and "Session already invalidated", ZPA invalid.token → ExpiredCredentialError', () => {
    for (const body of [
      { code: 'SESSION_NOT_VALID', message: 'Session is not valid' },
      { message: 'getAttribute: Session already invalidated' },
      { id: 'invalid.token', reason: 'Authentication token is missing, invalid or expired' },
    ]) {
      const e = map(401, body, 'GET');
      expect(e).toBeInstanceOf(ExpiredCredentialError);
      expect(e).toBeInstanceOf(AuthError);
    }
  });

  it('another 401, and 403, are plain AuthError (final)', () => {
    for (const [status, body] of [
      [401, { message: 'Invalid credentials' }],
      [403, { id: 'authz.failed' }],
    ] as const) {
      const e = map(status, body, 'GET');
      expect(e).toBeInstanceOf(AuthError);
      expect(e).not.toBeInstanceOf(ExpiredCredentialError);
    }
  });

  it('OAuth bodies {error, error_description} are named in the message', () => {
    const e = asSignInError(
      map(401, { error: 'invalid_client', error_description: 'Client authentication failed' }),
    );
    expect(e).toBeInstanceOf(AuthError);
    expect(e.id).toBe('invalid_client');
    expect(e.message).toContain('invalid_client: Client authentication failed');
  });
});
