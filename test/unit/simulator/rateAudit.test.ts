import { describe, expect, it } from 'vitest';
import { findRateViolations } from '../../../simulator/rateAudit.ts';
import { DEFAULT_RATE_LIMITS } from '../../../simulator/ratelimit.ts';
import type { CallLogEntry, SimRateClass } from '../../../simulator/types.ts';

const call = (at: number, over: Partial<CallLogEntry> = {}): CallLogEntry => ({
  at,
  api: 'zpa',
  method: 'GET',
  path: '/x',
  query: '',
  status: 200,
  tenant: 't1',
  rateClass: 'read' as SimRateClass,
  counted: true,
  ...over,
});

describe('findRateViolations', () => {
  it('passes traffic that stays within every sliding window', () => {
    const log = Array.from({ length: 100 }, (_, i) => call(i * 500));
    expect(findRateViolations(log, DEFAULT_RATE_LIMITS)).toEqual([]);
  });

  it('flags 21 reads inside 10 s, once per overflowing stretch', () => {
    const log = Array.from({ length: 21 }, (_, i) => call(i * 100));
    const v = findRateViolations(log, DEFAULT_RATE_LIMITS);
    expect(v).toEqual([
      {
        api: 'zpa',
        tenant: 't1',
        rateClass: 'read',
        window: { limit: 20, windowMs: 10_000 },
        count: 21,
        from: 0,
        to: 2000,
      },
    ]);
  });

  it('treats the window as half-open: a call exactly windowMs later is outside', () => {
    const log = [...Array.from({ length: 20 }, () => call(0)), call(10_000)];
    expect(findRateViolations(log, DEFAULT_RATE_LIMITS)).toEqual([]);
  });

  it('keeps tenants, classes and APIs apart, and skips auth calls', () => {
    const log = [
      ...Array.from({ length: 15 }, (_, i) => call(i, { tenant: 'a' })),
      ...Array.from({ length: 15 }, (_, i) => call(i, { tenant: 'b' })),
      ...Array.from({ length: 10 }, (_, i) => call(i, { rateClass: 'write', method: 'DELETE', tenant: 'a' })),
      ...Array.from({ length: 50 }, (_, i) => call(i, { api: 'auth', rateClass: 'none' })),
    ];
    expect(findRateViolations(log, DEFAULT_RATE_LIMITS)).toEqual([]);
  });

  it('checks every ZTW window (1/min and 4/h deletes)', () => {
    const del = (at: number) =>
      call(at, { api: 'ztw', rateClass: 'delete', method: 'DELETE', tenant: 'org' });
    const perMinute = findRateViolations([del(0), del(30_000)], DEFAULT_RATE_LIMITS);
    expect(perMinute[0]?.window).toEqual({ limit: 1, windowMs: 60_000 });
    const perHour = findRateViolations(
      [0, 1, 2, 3, 4].map((m) => del(m * 61_000)),
      DEFAULT_RATE_LIMITS,
    );
    expect(perHour).toHaveLength(1);
    expect(perHour[0]).toMatchObject({ window: { limit: 4, windowMs: 3_600_000 }, count: 5 });
  });

  it('counts sent calls by default and only admitted ones on request', () => {
    const log = Array.from({ length: 25 }, (_, i) =>
      call(i, { counted: i < 20, status: i < 20 ? 200 : 429 }),
    );
    expect(findRateViolations(log, DEFAULT_RATE_LIMITS)).toHaveLength(1);
    expect(findRateViolations(log, DEFAULT_RATE_LIMITS, { count: 'admitted' })).toEqual([]);
  });
});
