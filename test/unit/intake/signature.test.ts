import { describe, expect, it } from 'vitest';
import { safeEqual, sign } from '../../../shared/core/webhook-signature.ts';
import { AuthenticationError } from '../../../shared/intake/errors.ts';
import { verifyCaller } from '../../../shared/intake/signature.ts';

const key = 'k'.repeat(32);
const now = 1_795_346_400_000;
const body = Buffer.from('{"a":1}');
const base = { body, nowMs: now, hmacKeys: [key], bearerTokens: ['t'.repeat(20)], replayWindowSeconds: 300 };

describe('caller verification', () => {
  it('accepts a fresh signature over timestamp and body, with any rotated key', () => {
    const ts = String(now / 1000);
    expect(
      verifyCaller({
        ...base,
        headers: { 'x-zcops-timestamp': ts, 'x-zcops-signature': sign(key, ts, body) },
      }),
    ).toBe('hmac');
    const rotated = { ...base, hmacKeys: ['n'.repeat(32), key] };
    const bare = sign(key, ts, body).slice(7).toUpperCase();
    expect(
      verifyCaller({ ...rotated, headers: { 'x-zcops-timestamp': ts, 'x-zcops-signature': bare } }),
    ).toBe('hmac');
  });

  it('refuses replays outside the window, tampered bodies and malformed headers', () => {
    const old = String(now / 1000 - 301);
    const check = (headers: Record<string, string>) => () => verifyCaller({ ...base, headers });
    expect(check({ 'x-zcops-timestamp': old, 'x-zcops-signature': sign(key, old, body) })).toThrow(
      /replay window/,
    );
    const ts = String(now / 1000);
    expect(check({ 'x-zcops-timestamp': ts, 'x-zcops-signature': sign(key, ts, '{"a":2}') })).toThrow(
      /does not match/,
    );
    expect(check({ 'x-zcops-signature': sign(key, ts, body) })).toThrow(/needs the x-zcops-timestamp/);
    expect(check({ 'x-zcops-timestamp': '1e9', 'x-zcops-signature': 'x' })).toThrow(/epoch seconds/);
    expect(check({ 'x-zcops-timestamp': ts, 'x-zcops-signature': 'md5=abc' })).toThrow(/sha256=/);
    expect(check({})).toThrow(AuthenticationError);
  });

  it('checks bearer tokens in constant time and never echoes them', () => {
    expect(verifyCaller({ ...base, headers: { authorization: `Bearer ${'t'.repeat(20)}` } })).toBe('bearer');
    try {
      verifyCaller({ ...base, headers: { authorization: 'Bearer guess-guess-guess' } });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain('guess');
    }
    expect(() =>
      verifyCaller({ ...base, bearerTokens: [], headers: { authorization: 'Bearer abc' } }),
    ).toThrow(/does not accept/);
    expect(safeEqual('a', 'a')).toBe(true);
    expect(safeEqual('a', 'ab')).toBe(false);
  });
});
