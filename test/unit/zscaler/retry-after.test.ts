import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryAfterFromResponse } from '../../../shared/zscaler/http/retry-after.ts';

const NOW = Date.parse('2025-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['13s', 13_000],
    ['13', 13_000],
    [' 13 ', 13_000],
    ['1.3s', 1_300],
    ['0.25', 250],
    ['0.0015s', 2],
    ['0 seconds', 0],
    ['5 second', 5_000],
    ['2 secs', 2_000],
    ['593s', 593_000],
  ])('reads %j as %d ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it('reads a number of seconds', () => {
    expect(parseRetryAfter(7, NOW)).toBe(7_000);
    expect(parseRetryAfter(1.5, NOW)).toBe(1_500);
  });

  it('reads an HTTP-date relative to now, and a past date as 0', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', NOW)).toBe(0);
  });

  it.each([undefined, null, '', 'soon', '-5', '13m', 'abc s'])('answers undefined for %j', (value) => {
    expect(parseRetryAfter(value as string | undefined, NOW)).toBeUndefined();
  });
});

describe('retryAfterFromResponse', () => {
  it('prefers the header', () => {
    expect(retryAfterFromResponse('13s', { 'Retry-After': '2 seconds' }, NOW)).toBe(13_000);
  });

  it('falls back to the ZTW body field', () => {
    expect(
      retryAfterFromResponse(
        undefined,
        { message: 'Rate Limit (1/SECOND) exceeded', 'Retry-After': '0 seconds' },
        NOW,
      ),
    ).toBe(0);
    expect(retryAfterFromResponse(undefined, { 'Retry-After': '42 seconds' }, NOW)).toBe(42_000);
  });

  it('takes the first of repeated headers and ignores unreadable bodies', () => {
    expect(retryAfterFromResponse(['3', '9'], undefined, NOW)).toBe(3_000);
    expect(retryAfterFromResponse(undefined, 'text', NOW)).toBeUndefined();
    expect(retryAfterFromResponse('later', { other: 1 }, NOW)).toBeUndefined();
  });
});
