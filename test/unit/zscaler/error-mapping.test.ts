import { describe, expect, it } from 'vitest';
import {
  AuthError,
  ConflictError,
  NotFoundError,
  RateLimitedError,
  TransientError,
  ValidationError,
} from '../../../shared/zscaler/errors.ts';
import { mapNetworkError, mapResponseError } from '../../../shared/zscaler/http/error-mapping.ts';

function map(status: number, body: unknown, headers: Record<string, string> = {}) {
  return mapResponseError({
    status,
    headers,
    text: typeof body === 'string' ? body : JSON.stringify(body),
    method: 'GET',
    path: '/mgmtconfig/v1/admin/customers/1/connector/2',
    nowMs: 0,
  });
}

describe('mapResponseError', () => {
  it('429 → RateLimitedError with the header wait (ZPA)', () => {
    const e = map(
      429,
      { id: 'invalid.toomanyrequests', reason: 'Exceeded the number of requests allowed' },
      {
        'retry-after': '13s',
      },
    );
    expect(e).toBeInstanceOf(RateLimitedError);
    expect((e as RateLimitedError).retryAfterMs).toBe(13_000);
    expect(e.id).toBe('invalid.toomanyrequests');
    expect(e.status).toBe(429);
  });

  it('429 → RateLimitedError with the body wait (ZTW) and a default when none is given', () => {
    const ztw = map(429, { message: 'Rate Limit (1/SECOND) exceeded', 'Retry-After': '0 seconds' });
    expect((ztw as RateLimitedError).retryAfterMs).toBe(0);
    expect(ztw.reason).toBe('Rate Limit (1/SECOND) exceeded');
    expect((map(429, {}) as RateLimitedError).retryAfterMs).toBe(1_000);
  });

  it('404, and 400 resource.not.found → NotFoundError', () => {
    expect(map(404, '')).toBeInstanceOf(NotFoundError);
    const e = map(400, { id: 'resource.not.found', reason: 'Resource not found', params: ['2'] });
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.params).toEqual(['2']);
  });

  it('409 and edit locks → ConflictError', () => {
    expect(map(409, { id: 'api.concurrent.access.error' })).toBeInstanceOf(ConflictError);
    expect(map(409, { code: 'EDIT_LOCK_NOT_AVAILABLE', message: 'locked' })).toBeInstanceOf(ConflictError);
    expect(map(400, { code: 'EDIT_LOCK_NOT_AVAILABLE' })).toBeInstanceOf(ConflictError);
  });

  it('401/403 → AuthError, keeping the ZTW code', () => {
    const e = map(401, { code: 'SESSION_NOT_VALID', message: 'Session is not valid' });
    expect(e).toBeInstanceOf(AuthError);
    expect(e.id).toBe('SESSION_NOT_VALID');
    expect(map(403, { id: 'authz.denied' })).toBeInstanceOf(AuthError);
  });

  it('other 4xx → ValidationError with id, reason and params', () => {
    const e = map(400, { id: 'invalid.input', reason: 'latitude out of range', params: ['latitude'] });
    expect(e).toBeInstanceOf(ValidationError);
    expect(e).toMatchObject({
      id: 'invalid.input',
      reason: 'latitude out of range',
      params: ['latitude'],
      status: 400,
    });
    expect(e.message).toContain('latitude out of range');
    expect(map(422, 'Unprocessable')).toBeInstanceOf(ValidationError);
  });

  it('5xx → TransientError with Retry-After when given; a non-JSON body becomes a short reason', () => {
    const e = map(503, { id: 'retryable.server.error' }, { 'retry-after': '10s' });
    expect(e).toBeInstanceOf(TransientError);
    expect((e as TransientError).retryAfterMs).toBe(10_000);
    const html = map(502, '<html>\n<body>Bad   gateway</body></html>');
    expect(html).toBeInstanceOf(TransientError);
    expect(html.reason).toBe('<html> <body>Bad gateway</body></html>');
  });
});

describe('mapNetworkError', () => {
  it.each(['ECONNRESET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET'])(
    '%s → TransientError',
    (code) => {
      const cause = Object.assign(new Error('boom'), { code });
      const e = mapNetworkError(cause, 'DELETE', '/x');
      expect(e).toBeInstanceOf(TransientError);
      expect(e.cause).toBe(cause);
      expect(e.message).toContain(code);
      expect(e.status).toBeUndefined();
    },
  );
});
