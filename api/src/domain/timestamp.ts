/** One UTC day. */
export const DAY_MS = 86_400_000;

/** Earliest and latest instants accepted for an event (years 1970 to 9999). */
const MIN_MS = 0;
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

export type TimestampParse = { ok: true; ms: number } | { ok: false; message: string };

/**
 * The one place an event timestamp is read. Accepts an ISO-8601 string (a time
 * without an offset is taken as UTC: producers log in UTC far more often than in
 * the server's zone), or epoch milliseconds as a number or a digit string.
 */
export function parseTimestamp(value: unknown): TimestampParse {
  if (typeof value === 'number') return fromEpochMs(value);
  if (typeof value !== 'string') return { ok: false, message: 'must be an ISO-8601 string or epoch milliseconds' };
  const text = value.trim();
  if (/^-?\d+$/.test(text)) return fromEpochMs(Number(text));
  const match = ISO_8601.exec(text);
  if (!match)
    return { ok: false, message: 'must be an ISO-8601 string (e.g. 2024-05-01T12:00:00Z) or epoch milliseconds' };
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = match;
  const offset = zone === undefined || zone.toUpperCase() === 'Z' ? 'Z' : normalizeOffset(zone);
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${frac.padEnd(3, '0').slice(0, 3)}${offset}`);
  // Date.parse rolls 2024-02-30 over to March; a round trip catches such dates.
  if (Number.isNaN(ms) || !isRealDate(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s))) {
    return { ok: false, message: 'is not a real date and time' };
  }
  return inRange(ms);
}

function fromEpochMs(ms: number): TimestampParse {
  if (!Number.isFinite(ms)) return { ok: false, message: 'must be a finite number of epoch milliseconds' };
  return inRange(Math.floor(ms));
}

function inRange(ms: number): TimestampParse {
  if (ms < MIN_MS || ms > MAX_MS) return { ok: false, message: 'must be between 1970-01-01 and 9999-12-31' };
  return { ok: true, ms };
}

function normalizeOffset(zone: string): string {
  const digits = zone.slice(1).replace(':', '').padEnd(4, '0');
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4)}`;
}

function isRealDate(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return false;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d >= 1 && d <= daysInMonth;
}

/** The wire form of every timestamp the API returns: ISO-8601 UTC with milliseconds. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
