import { describe, expect, it } from 'vitest';
import { ScheduleExpressionError } from '../../../local/errors.ts';
import { parseScheduleExpression } from '../../../local/schedule-expression.ts';

const at = (iso: string) => Date.parse(iso);

describe('parseScheduleExpression', () => {
  it('rate(n unit) fires one period later', () => {
    expect(parseScheduleExpression('rate(5 minutes)').next(at('2026-01-01T00:00:00Z'))).toBe(
      at('2026-01-01T00:05:00Z'),
    );
    expect(parseScheduleExpression('rate(1 day)').next(0)).toBe(86_400_000);
  });

  it('cron in UTC: daily at 03:00', () => {
    const s = parseScheduleExpression('cron(0 3 * * ? *)');
    expect(s.next(at('2026-01-01T02:59:00Z'))).toBe(at('2026-01-01T03:00:00Z'));
    expect(s.next(at('2026-01-01T03:00:00Z'))).toBe(at('2026-01-02T03:00:00Z'));
  });

  it('cron in a time zone: 03:00 in Paris is 02:00 UTC in winter, 01:00 in summer', () => {
    const s = parseScheduleExpression('cron(0 3 * * ? *)', 'Europe/Paris');
    expect(s.next(at('2026-01-10T00:00:00Z'))).toBe(at('2026-01-10T02:00:00Z'));
    expect(s.next(at('2026-07-10T00:00:00Z'))).toBe(at('2026-07-10T01:00:00Z'));
  });

  it('day-of-week is 1-7 = SUN-SAT, names, ranges, lists and steps work', () => {
    // 2026-01-05 is a Monday.
    const mondays = parseScheduleExpression('cron(30 6 ? * MON *)');
    expect(mondays.next(at('2026-01-01T00:00:00Z'))).toBe(at('2026-01-05T06:30:00Z'));
    const weekdays = parseScheduleExpression('cron(0 12 ? * 2-6 *)');
    expect(weekdays.next(at('2026-01-03T00:00:00Z'))).toBe(at('2026-01-05T12:00:00Z')); // Saturday → Monday
    const every15 = parseScheduleExpression('cron(0/15 * * * ? *)');
    expect(every15.next(at('2026-01-01T00:07:00Z'))).toBe(at('2026-01-01T00:15:00Z'));
    const list = parseScheduleExpression('cron(0 0 1,15 JAN,JUL ? 2026)');
    expect(list.next(at('2026-01-02T00:00:00Z'))).toBe(at('2026-01-15T00:00:00Z'));
    expect(list.next(at('2026-01-15T00:00:00Z'))).toBe(at('2026-07-01T00:00:00Z'));
  });

  it('refuses what it cannot run, with the reason', () => {
    expect(() => parseScheduleExpression('cron(0 3 L * ? *)')).toThrow(/L, W or #/);
    expect(() => parseScheduleExpression('cron(0 3 ? * 2#1 *)')).toThrow(ScheduleExpressionError);
    expect(() => parseScheduleExpression('cron(0 3 * * * *)')).toThrow(/must be \?/);
    expect(() => parseScheduleExpression('cron(0 3 * *)')).toThrow(/six fields/);
    expect(() => parseScheduleExpression('cron(61 3 * * ? *)')).toThrow(/0\.\.59/);
    expect(() => parseScheduleExpression('every day')).toThrow(/cron\(/);
    expect(() => parseScheduleExpression('cron(0 3 * * ? *)', 'Mars/Olympus')).toThrow(/time zone/);
    expect(() => parseScheduleExpression('cron(0 0 1 1 ? 1999)').next(Date.now())).toThrow(/never fires/);
  });
});
