import { describe, expect, it } from 'vitest';
import { obfuscateApiKey } from '../../../simulator/auth/obfuscate.ts';

describe('obfuscateApiKey (port of the docs Python)', () => {
  // Expected values computed with the docs' Python function.
  it.each([
    ['abcdefghijklmnop', 1700000123456, 'bcdefgcidjek'],
    ['Qx7Rk2Mv9Tb4Wn8Zc3Lp', 1735689600000, 'MQQQQQ277777'],
    ['Qx7Rk2Mv9Tb4Wn8Zc3Lp', 1735689999999, 'TTTTTTM44444'],
  ])('obfuscates %s at %d', (key, ts, expected) => {
    expect(obfuscateApiKey(key, ts)).toBe(expected);
  });

  it('zero-pads r = n >> 1 to six digits', () => {
    // n = 000002 → r = 000001
    expect(obfuscateApiKey('0123456789AB', 1700000000002)).toBe('000002222223');
  });

  it('always yields 12 characters and changes with the timestamp', () => {
    const a = obfuscateApiKey('Qx7Rk2Mv9Tb4', 1735689600123);
    const b = obfuscateApiKey('Qx7Rk2Mv9Tb4', 1735689600124);
    expect(a).toHaveLength(12);
    expect(a).not.toBe(b);
  });
});
