import { describe, expect, it } from 'vitest';
import {
  type AppliedEvent,
  applyEvent,
  driftFacts,
  emptyAggregate,
  type UserAggregate,
} from '../../src/domain/aggregate.ts';
import { fingerprintHash } from '../../src/domain/fingerprint.ts';
import { DIMENSIONS, type Dimension, type TokenSet } from '../../src/domain/tokens.ts';

/** Replays events the way the store does: counting each value per user. */
function replay(events: Array<{ at: number; tokens: Partial<TokenSet> }>): UserAggregate {
  const counts = new Map<string, number>();
  let aggregate = emptyAggregate('alice', events[0]?.at ?? 0);
  events.forEach((event, index) => {
    const tokens: TokenSet = { browser: null, os: null, device: null, ipClass: null, ...event.tokens };
    const valueCounts: Partial<Record<Dimension, number>> = {};
    for (const dimension of DIMENSIONS) {
      const value = tokens[dimension];
      if (value === null) continue;
      const key = `${dimension}:${value}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      valueCounts[dimension] = counts.get(key);
    }
    const applied: AppliedEvent = { id: index + 1, at: event.at, tokens, valueCounts };
    aggregate = applyEvent(aggregate, applied);
  });
  return aggregate;
}

const laptop = { browser: 'chrome', os: 'windows', device: 'laptop', ipClass: '12.34.56.0/24' };
const phone = { browser: 'safari', os: 'ios', device: 'phone', ipClass: '98.76.54.0/24' };

describe('applyEvent', () => {
  it('counts events, time range and distinct values', () => {
    const a = replay([
      { at: 1000, tokens: laptop },
      { at: 3000, tokens: laptop },
      { at: 2000, tokens: phone },
    ]);
    expect(a.eventCount).toBe(3);
    expect(a.firstSeen).toBe(1000);
    expect(a.lastSeen).toBe(3000);
    expect(a.distinct).toEqual({ browser: 2, os: 2, device: 2, ipClass: 2 });
  });

  it('keeps the most frequent value of each dimension as the habit', () => {
    const a = replay([
      { at: 1, tokens: phone },
      { at: 2, tokens: laptop },
      { at: 3, tokens: laptop },
    ]);
    expect(a.habitual.browser).toEqual({ value: 'chrome', count: 2 });
    expect(a.fingerprint).toBe(fingerprintHash(laptop));
  });

  it('keeps the incumbent habit on a tie so the fingerprint does not flap', () => {
    const a = replay([
      { at: 1, tokens: laptop },
      { at: 2, tokens: phone },
    ]);
    expect(a.habitual.device?.value).toBe('laptop');
    expect(a.fingerprint).toBe(fingerprintHash(laptop));
  });

  it('orders latest and previous by timestamp, even when events arrive out of order', () => {
    const a = replay([
      { at: 3000, tokens: laptop },
      { at: 1000, tokens: phone },
      { at: 2000, tokens: { device: 'tablet' } },
    ]);
    expect(a.latest?.at).toBe(3000);
    expect(a.previous?.at).toBe(2000);
    expect(driftFacts(a)).toMatchObject({ latestDevice: 'laptop', previousDevice: 'tablet' });
  });

  it('breaks timestamp ties by arrival', () => {
    const a = replay([
      { at: 1000, tokens: laptop },
      { at: 1000, tokens: phone },
    ]);
    expect(a.latest?.tokens.device).toBe('phone');
    expect(a.previous?.tokens.device).toBe('laptop');
  });

  it('keeps the drift score current with the legacy rules', () => {
    expect(replay([{ at: 1, tokens: laptop }]).driftScore).toBe(0);
    // +20 IPs +5 OS +5 browsers +5 devices +10 switch
    expect(
      replay([
        { at: 1, tokens: laptop },
        { at: 2, tokens: phone },
      ]).driftScore,
    ).toBe(45);
    // switching back to the laptop is still a switch from the phone
    expect(
      replay([
        { at: 1, tokens: laptop },
        { at: 2, tokens: phone },
        { at: 3, tokens: phone },
      ]).driftScore,
    ).toBe(35);
  });

  it('computes stability of the latest event against the habits', () => {
    const a = replay([
      { at: 1, tokens: laptop },
      { at: 2, tokens: laptop },
      { at: 3, tokens: { ...laptop, browser: 'firefox' } },
    ]);
    expect(a.stability).toBe(60);
  });
});
