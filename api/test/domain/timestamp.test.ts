import { describe, expect, it } from 'vitest';
import { formatTimestamp, parseTimestamp } from '../../src/domain/timestamp.ts';

const at = (iso: string) => ({ ok: true, ms: Date.parse(iso) });

describe('parseTimestamp', () => {
  it('reads ISO-8601 with Z, offsets, fractions and date-only forms', () => {
    expect(parseTimestamp('2024-05-01T12:00:00Z')).toEqual(at('2024-05-01T12:00:00.000Z'));
    expect(parseTimestamp('2024-05-01T12:00:00.123456Z')).toEqual(at('2024-05-01T12:00:00.123Z'));
    expect(parseTimestamp('2024-05-01T14:00:00+02:00')).toEqual(at('2024-05-01T12:00:00.000Z'));
    expect(parseTimestamp('2024-05-01T14:00:00+0200')).toEqual(at('2024-05-01T12:00:00.000Z'));
    expect(parseTimestamp('2024-05-01')).toEqual(at('2024-05-01T00:00:00.000Z'));
  });

  it('takes a time without an offset as UTC, whatever the server zone', () => {
    expect(parseTimestamp('2024-05-01T12:00:00')).toEqual(at('2024-05-01T12:00:00.000Z'));
  });

  it('reads epoch milliseconds as a number or a digit string', () => {
    expect(parseTimestamp(1714564800000)).toEqual({ ok: true, ms: 1714564800000 });
    expect(parseTimestamp('1714564800000')).toEqual({ ok: true, ms: 1714564800000 });
    expect(parseTimestamp(1714564800000.9)).toEqual({ ok: true, ms: 1714564800000 });
  });

  it.each([
    ['2024-02-30T00:00:00Z', 'is not a real date and time'],
    ['2024-13-01', 'is not a real date and time'],
    ['2024-05-01T25:00:00Z', 'is not a real date and time'],
    ['yesterday', 'must be an ISO-8601 string'],
    ['05/01/2024', 'must be an ISO-8601 string'],
    [-1, 'must be between'],
    [Number.NaN, 'finite'],
    [true, 'must be an ISO-8601 string or epoch milliseconds'],
    [{}, 'must be an ISO-8601 string or epoch milliseconds'],
  ])('rejects %j', (value, message) => {
    const parsed = parseTimestamp(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });

  it('formats as ISO-8601 UTC with milliseconds', () => {
    expect(formatTimestamp(1714564800000)).toBe('2024-05-01T12:00:00.000Z');
  });
});
