import { describe, expect, it } from 'vitest';
import { emptyAggregate, type UserAggregate } from '../../src/domain/aggregate.ts';
import { decodeFactors, eventFactors } from '../../src/domain/factors.ts';
import type { TokenSet } from '../../src/domain/tokens.ts';

const laptop: TokenSet = { browser: 'chrome', os: 'windows', device: 'laptop', ipClass: '1.2.3.0/24' };

function userWith(latest: TokenSet | null, distinct: UserAggregate['distinct']): UserAggregate {
  return {
    ...emptyAggregate('u', 0),
    distinct,
    latest: latest === null ? null : { id: 1, at: 1000, tokens: latest },
  };
}

describe('eventFactors', () => {
  it('raises nothing for a user first values', () => {
    const bits = eventFactors(emptyAggregate('u', 0), {
      id: 1,
      at: 1,
      tokens: laptop,
      valueCounts: { browser: 1, os: 1, device: 1, ipClass: 1 },
    });
    expect(decodeFactors(bits)).toEqual([]);
  });

  it('raises a factor for a new value where the user already had one, and a device switch', () => {
    const before = userWith(laptop, { browser: 1, os: 1, device: 1, ipClass: 1 });
    const bits = eventFactors(before, {
      id: 2,
      at: 2000,
      tokens: { ...laptop, ipClass: '9.9.9.0/24', device: 'phone' },
      valueCounts: { browser: 2, os: 2, device: 1, ipClass: 1 },
    });
    expect(decodeFactors(bits)).toEqual(['MULTIPLE_IPS', 'MULTIPLE_DEVICE_TYPES', 'ABRUPT_DEVICE_SWITCH']);
  });

  it('sees no switch for an older event arriving late', () => {
    const before = userWith(laptop, { browser: 1, os: 1, device: 2, ipClass: 1 });
    const bits = eventFactors(before, {
      id: 2,
      at: 500,
      tokens: { ...laptop, device: 'phone' },
      valueCounts: { browser: 2, os: 2, device: 3, ipClass: 2 },
    });
    expect(decodeFactors(bits)).toEqual([]);
  });
});
