/**
 * ZPA durations as used by the connector search filters (`lastBrokerDisconnectTimeDuration GT 15d`)
 * and as the API reports them (`"132d 19h 50m 43s"`).
 */

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
type Unit = keyof typeof UNIT_MS;

/** A search-filter duration: one integer and one unit, e.g. `15d`, `12h`, `30m`, `45s`. */
export type ZpaDuration = `${number}${Unit}`;

/**
 * Validates a single-unit duration for a search value.
 *
 * @example
 * zpaDuration('15d') // '15d'
 * zpaDuration('15 days') // throws RangeError
 */
export function zpaDuration(value: string): ZpaDuration {
  if (!/^\d{1,6}[dhms]$/.test(value)) {
    throw new RangeError(
      `duration must be an integer followed by d, h, m or s (e.g. 15d, 12h); got "${value}"`,
    );
  }
  return value as ZpaDuration;
}

/**
 * Milliseconds of a duration, single-unit (`15d`) or as the API reports it (`132d 19h 50m 43s`,
 * `01d 11h 57m 54s`).
 *
 * @example
 * durationToMs('12h') // 43200000
 */
export function durationToMs(value: string): number {
  const parts = value.trim().split(/\s+/);
  let total = 0;
  for (const part of parts) {
    const m = /^(\d+)([dhms])$/.exec(part);
    if (!m) throw new RangeError(`unreadable duration "${value}"`);
    total += Number(m[1]) * UNIT_MS[m[2] as Unit];
  }
  return total;
}

/** The largest single unit that expresses `ms` exactly, e.g. 1296000000 → `15d`. */
export function msToZpaDuration(ms: number): ZpaDuration {
  if (!Number.isInteger(ms) || ms < 0) throw new RangeError('duration must be a non-negative integer of ms');
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}` as ZpaDuration;
  }
  throw new RangeError('duration must be a whole number of seconds');
}
