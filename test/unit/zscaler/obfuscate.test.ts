import { describe, expect, it } from 'vitest';
import { obfuscateApiKey } from '../../../shared/zscaler/ztw/auth/obfuscate.ts';

// Hand-computed from the docs' algorithm: n = last 6 digits of the timestamp, r = (n >> 1) padded
// to 6 digits; key = seed[n_i] for each digit, then seed[r_j + 2] for each digit.
describe('obfuscateApiKey', () => {
  it('n=123456, r=061728', () => {
    // seed[1..6] = bcdefg; r digits 0,6,1,7,2,8 → seed[2,8,3,9,4,10] = c,i,d,j,e,k
    expect(obfuscateApiKey('abcdefghijkl', 1700000123456)).toBe('bcdefgcidjek');
  });

  it('n=000042, r=000021 (leading zeros kept)', () => {
    // seed[0,0,0,0,4,2] = 000042; r digits 0,0,0,0,2,1 → seed[2,2,2,2,4,3] = 222243
    expect(obfuscateApiKey('0123456789AB', 1700000000042)).toBe('000042222243');
  });

  it('n=999999, r=499999 (highest index is 11)', () => {
    // seed[9] = q (x6); r digits 4,9,9,9,9,9 → seed[6]=T, seed[11]=o (x5)
    expect(obfuscateApiKey('ZyXwVuTsRqPo', 1712345999999)).toBe('qqqqqqTooooo');
  });

  it('rejects keys shorter than 12 characters', () => {
    expect(() => obfuscateApiKey('short', 1700000123456)).toThrow(/at least 12/);
  });
});
