import { describe, expect, it } from 'vitest';
import { decayFactor, HABIT_HALF_LIFE_MS } from '../../../src/domain/risk/decay.ts';

const DAY = 24 * 3600 * 1000;

describe('decayFactor', () => {
  it('uses a 30-day half-life by default', () => {
    expect(HABIT_HALF_LIFE_MS).toBe(30 * DAY);
    expect(decayFactor(30 * DAY)).toBe(0.5);
    expect(decayFactor(60 * DAY)).toBe(0.25);
    expect(decayFactor(90 * DAY)).toBe(0.125);
  });

  it('does not decay over no time, or when the time runs backwards', () => {
    expect(decayFactor(0)).toBe(1);
    expect(decayFactor(-DAY)).toBe(1);
    expect(decayFactor(-1_000 * DAY)).toBe(1);
  });

  it('fades continuously in between', () => {
    expect(decayFactor(15 * DAY)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(decayFactor(DAY)).toBeCloseTo(2 ** (-1 / 30), 12);
    expect(decayFactor(DAY)).toBeLessThan(1);
    expect(decayFactor(DAY)).toBeGreaterThan(decayFactor(2 * DAY));
  });

  it('accepts another half-life', () => {
    expect(decayFactor(DAY, DAY)).toBe(0.5);
    expect(decayFactor(3 * DAY, DAY)).toBe(0.125);
    expect(decayFactor(12 * 3600 * 1000, DAY)).toBeCloseTo(Math.SQRT1_2, 12);
  });
});
