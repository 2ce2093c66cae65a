import { ScheduleExpressionError } from './errors.ts';

/**
 * EventBridge Scheduler expressions, evaluated locally: `rate(n minutes|hours|days)` and
 * `cron(minutes hours day-of-month month day-of-week year)` in an IANA time zone. Supported in
 * cron fields: `*`, `?`, numbers, names (JAN, MON), ranges `a-b`, lists `a,b` and steps `a/n`,
 * `*\/n`. Day-of-week is 1-7 = SUN-SAT as in EventBridge. `L`, `W` and `#` are refused with a clear
 * error (the local scheduler skips such a schedule; use `--schedule-every`).
 *
 * @example
 * const s = parseScheduleExpression('cron(0 3 * * ? *)', 'Europe/Paris');
 * s.next(Date.now()); // epoch ms of the next 03:00 in Paris
 */
export interface ParsedSchedule {
  expression: string;
  /** The first firing time strictly after `afterMs`. */
  next(afterMs: number): number;
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.+)\)$/;
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function parseScheduleExpression(expression: string, timezone = 'UTC'): ParsedSchedule {
  const trimmed = expression.trim();
  const rate = RATE.exec(trimmed);
  if (rate) {
    const n = Number(rate[1]);
    if (n < 1) throw new ScheduleExpressionError(`${expression}: the rate must be at least 1`);
    const every = n * UNIT_MS[rate[2]!.replace(/s$/, '')]!;
    // A rate schedule fires first one period after it is created.
    return { expression, next: (after) => after + every };
  }
  const cron = CRON.exec(trimmed);
  if (!cron) {
    throw new ScheduleExpressionError(
      `${expression}: use cron(m h dom mon dow yr) or rate(n minutes|hours|days)`,
    );
  }
  const parts = cron[1]!.trim().split(/\s+/);
  if (parts.length !== 6) throw new ScheduleExpressionError(`${expression}: cron needs six fields`);
  const [min, hour, dom, mon, dow, year] = parts as [string, string, string, string, string, string];
  if (dom !== '?' && dow !== '?') {
    throw new ScheduleExpressionError(`${expression}: one of day-of-month and day-of-week must be ?`);
  }
  const fields = {
    minute: field(min, 0, 59, expression, 'minutes'),
    hour: field(hour, 0, 23, expression, 'hours'),
    dom: field(dom, 1, 31, expression, 'day-of-month'),
    month: field(mon, 1, 12, expression, 'month', MONTH_NAMES),
    dow: field(dow, 1, 7, expression, 'day-of-week', DAY_NAMES),
    year: field(year, 1970, 2199, expression, 'year'),
  };
  assertTimeZone(timezone, expression);
  return { expression, next: (after) => nextCron(fields, timezone, after) };
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** A field as the set of values it allows; `undefined` means any (`*` or `?`). */
type FieldSet = Set<number> | undefined;

function field(
  text: string,
  lo: number,
  hi: number,
  expression: string,
  name: string,
  names?: readonly string[],
): FieldSet {
  if (text === '*' || text === '?') return undefined;
  if (/[LW#]/.test(text.replace(/[A-Z]{3}/g, (m) => (names?.includes(m) ? '' : m)))) {
    throw new ScheduleExpressionError(
      `${expression}: ${name} uses L, W or #, which the local scheduler does not run`,
    );
  }
  const value = (t: string): number => {
    const upper = t.toUpperCase();
    const named = names?.indexOf(upper) ?? -1;
    const n = named >= 0 ? named + 1 : /^\d+$/.test(t) ? Number(t) : Number.NaN;
    if (!Number.isInteger(n) || n < lo || n > hi) {
      throw new ScheduleExpressionError(`${expression}: ${name} value "${t}" is not in ${lo}..${hi}`);
    }
    return n;
  };
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const [range, stepText] = item.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) {
      throw new ScheduleExpressionError(
        `${expression}: ${name} step "${stepText}" must be a positive integer`,
      );
    }
    let from: number;
    let to: number;
    if (range === '*') {
      from = lo;
      to = hi;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      from = value(a);
      to = value(b);
    } else {
      from = value(range);
      to = stepText === undefined ? from : hi;
    }
    if (from > to) throw new ScheduleExpressionError(`${expression}: ${name} range "${range}" is reversed`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

interface CronFields {
  minute: FieldSet;
  hour: FieldSet;
  dom: FieldSet;
  month: FieldSet;
  dow: FieldSet;
  year: FieldSet;
}

function assertTimeZone(tz: string, expression: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new ScheduleExpressionError(`${expression}: unknown time zone ${tz}`);
  }
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 1 = Sunday … 7 = Saturday. */
  dow: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallTime(ms: number, tz: string): WallTime {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(ms)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    dow: DAY_NAMES.indexOf((parts.weekday ?? 'Sun').toUpperCase().slice(0, 3)) + 1,
  };
}

const has = (set: FieldSet, v: number) => set === undefined || set.has(v);

/**
 * Walks forward minute by minute in wall time, skipping whole days and hours that cannot match,
 * so a yearly schedule is found in a few thousand steps. Gives up after ten years (no match).
 */
function nextCron(f: CronFields, tz: string, afterMs: number): number {
  let t = Math.floor(afterMs / 60_000) * 60_000 + 60_000;
  const limit = afterMs + 10 * 366 * 86_400_000;
  while (t < limit) {
    const w = wallTime(t, tz);
    const dayOk = has(f.year, w.year) && has(f.month, w.month) && has(f.dom, w.day) && has(f.dow, w.dow);
    if (!dayOk) {
      // To the next wall-clock midnight (approximately; re-checked on the next turn).
      t += ((23 - w.hour) * 60 + (60 - w.minute)) * 60_000;
      continue;
    }
    if (!has(f.hour, w.hour)) {
      t += (60 - w.minute) * 60_000;
      continue;
    }
    if (has(f.minute, w.minute)) return t;
    t += 60_000;
  }
  throw new ScheduleExpressionError('the cron expression never fires within ten years');
}
