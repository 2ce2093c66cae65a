/**
 * ZPA's duration notation: `132d 19h 50m 43s` in answers, `15d`, `12h`, `1d 6h`, `45s` in searches.
 */

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Renders seconds the way ZPA does in `last…TimeDuration` fields: days only when non-zero, the
 * other units two digits wide (`17d 04h 06m 57s`, `17h 32m 50s`).
 *
 * @example formatDuration(93 * 60) === '01h 33m 00s'
 */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const hms = `${pad2(hours)}h ${pad2(minutes)}m ${pad2(seconds)}s`;
  return days > 0 ? `${pad2(days)}d ${hms}` : hms;
}

const DURATION = /^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?$/;

/**
 * Parses a search duration into seconds; `undefined` when it is not one.
 *
 * @example parseDuration('1d 12h') === 129_600
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const m = DURATION.exec(t);
  if (!m || (m[1] ?? m[2] ?? m[3] ?? m[4]) === undefined) return undefined;
  const n = (g: string | undefined) => (g === undefined ? 0 : Number(g));
  return n(m[1]) * 86_400 + n(m[2]) * 3600 + n(m[3]) * 60 + n(m[4]);
}
