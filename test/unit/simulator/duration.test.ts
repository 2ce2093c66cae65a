import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../simulator/state/duration.ts';

describe('ZPA durations', () => {
  it.each([
    [132 * 86400 + 19 * 3600 + 50 * 60 + 43, '132d 19h 50m 43s'],
    [17 * 86400 + 4 * 3600 + 6 * 60 + 57, '17d 04h 06m 57s'],
    [86400 + 11 * 3600 + 57 * 60 + 54, '01d 11h 57m 54s'],
    [17 * 3600 + 32 * 60 + 50, '17h 32m 50s'],
    [0, '00h 00m 00s'],
    [-5, '00h 00m 00s'],
  ])('formats %d s as %s (the docs notation)', (secs, text) => {
    expect(formatDuration(secs)).toBe(text);
  });

  it.each([
    ['15d', 15 * 86400],
    ['12h', 12 * 3600],
    ['30m', 1800],
    ['45s', 45],
    ['1d 12h', 129_600],
    ['1d12h30m5s', 86400 + 12 * 3600 + 1805],
    ['132d 19h 50m 43s', 132 * 86400 + 19 * 3600 + 50 * 60 + 43],
  ])('parses %s', (text, secs) => {
    expect(parseDuration(text)).toBe(secs);
  });

  it.each(['', '15', 'd', '15x', '1h 2d', 'fifteen days'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('round-trips', () => {
    for (const s of [1, 59, 3600, 90061, 9_999_999]) expect(parseDuration(formatDuration(s))).toBe(s);
  });
});
