import { describe, expect, it } from 'vitest';
import { decayFactor, HABIT_HALF_LIFE_MS } from '../../../src/domain/risk/decay.ts';
import {
  emptyProfile,
  HOURS_PER_WEEK,
  hourOfWeek,
  MAX_FAILURES,
  MAX_VALUES_PER_DIMENSION,
  NOVELTY_DIMENSIONS,
  noveltyValues,
  RECENT_EVENTS,
  updateProfile,
  upgradeProfile,
  WEIGHT_UNIT,
} from '../../../src/domain/risk/profile.ts';
import { BERLIN, DAY, HOUR, MINUTE, NEW_YORK, observation, profileOf, readable, series, T0 } from './fixtures.ts';

describe('hourOfWeek', () => {
  it('counts from Monday 00:00 UTC', () => {
    expect(hourOfWeek(Date.parse('1970-01-05T00:00:00Z'))).toBe(0);
    expect(hourOfWeek(Date.parse('1970-01-05T00:59:59.999Z'))).toBe(0);
    expect(hourOfWeek(Date.parse('1970-01-05T01:00:00Z'))).toBe(1);
    expect(hourOfWeek(T0)).toBe(9);
  });

  it('ends the week on Sunday 23:00 → 167', () => {
    expect(hourOfWeek(Date.parse('1970-01-11T23:00:00Z'))).toBe(167);
    expect(hourOfWeek(Date.parse('2024-01-07T23:30:00Z'))).toBe(167);
    expect(hourOfWeek(Date.parse('2024-01-08T00:00:00Z'))).toBe(0);
  });

  it('starts the epoch on a Thursday', () => {
    expect(hourOfWeek(0)).toBe(3 * 24);
    expect(hourOfWeek(Date.parse('1970-01-04T12:00:00Z'))).toBe(6 * 24 + 12);
  });

  it('names each weekday of a real week', () => {
    const days = Array.from({ length: 7 }, (_, index) => hourOfWeek(Date.UTC(2024, 4, 6 + index, 15)));
    expect(days).toEqual([15, 39, 63, 87, 111, 135, 159]);
  });
});

describe('emptyProfile', () => {
  it('knows nothing', () => {
    const profile = emptyProfile();
    expect(profile.events).toBe(0);
    expect(readable(profile).weight).toBe(0);
    expect(profile.at).toBeNull();
    expect(readable(profile).values).toEqual({ device: {}, browser: {}, os: {}, subnet: {}, asn: {}, country: {} });
    expect(readable(profile).hours).toEqual({});
    expect(profile.lastPlace).toBeNull();
    expect(profile.recent).toEqual([]);
    expect(profile.failures).toEqual([]);
  });

  it('hands out a fresh object each time', () => {
    const a = emptyProfile();
    a.hours.push([0, 5000]);
    a.values.device.push(['laptop', 1000]);
    expect(emptyProfile().hours).toEqual([]);
    expect(emptyProfile().values.device).toEqual([]);
  });
});

describe('noveltyValues', () => {
  it('reads each dimension, the ASN as a string', () => {
    expect(noveltyValues(observation())).toEqual({
      device: 'laptop',
      browser: 'chrome',
      os: 'windows',
      subnet: '81.2.69.0/24',
      asn: '3320',
      country: 'DE',
    });
  });

  it('ignores private subnets (shared by unrelated homes) and missing values', () => {
    expect(
      noveltyValues(
        observation({
          client: { device: null, browser: null, os: null },
          network: { ip: '192.168.1.10', subnet: '192.168.1.0/24', scope: 'private', asn: null, country: null },
        }),
      ),
    ).toEqual({ device: null, browser: null, os: null, subnet: null, asn: null, country: null });
    expect(noveltyValues(observation({ network: { scope: 'loopback' } })).subnet).toBeNull();
    expect(noveltyValues(observation({ network: { scope: null } })).subnet).toBeNull();
  });
});

describe('updateProfile', () => {
  it('records a first event at full weight', () => {
    const profile = updateProfile(emptyProfile(), observation({ outcome: 'success' }));
    expect(profile.events).toBe(1);
    expect(readable(profile).weight).toBe(1);
    expect(profile.at).toBe(T0);
    expect(readable(profile).values).toEqual({
      device: { laptop: 1 },
      browser: { chrome: 1 },
      os: { windows: 1 },
      subnet: { '81.2.69.0/24': 1 },
      asn: { '3320': 1 },
      country: { DE: 1 },
    });
    expect(readable(profile).hours).toEqual({ 9: 1 });
    expect(profile.lastPlace).toEqual({ ...BERLIN, at: T0 });
    expect(profile.recent).toEqual([{ at: T0, device: 'laptop', subnet: '81.2.69.0/24' }]);
    expect(profile.failures).toEqual([]);
  });

  it('does not mutate the profile it is given', () => {
    const before = profileOf([observation()]);
    const snapshot = structuredClone(before);
    updateProfile(before, observation({ at: T0 + DAY, client: { device: 'phone' }, outcome: 'failure' }));
    expect(before).toEqual(snapshot);
  });

  it('adds 1 per sighting at the same instant', () => {
    const profile = profileOf(series(5, T0, 0));
    expect(profile.events).toBe(5);
    expect(readable(profile).weight).toBe(5);
    expect(readable(profile).values.device).toEqual({ laptop: 5 });
    expect(readable(profile).hours[9]).toBe(5);
  });

  it('halves every weight after 30 days', () => {
    const profile = profileOf([
      observation({ at: T0 }),
      observation({ at: T0 + HABIT_HALF_LIFE_MS, client: { device: 'phone' } }),
    ]);
    expect(profile.at).toBe(T0 + HABIT_HALF_LIFE_MS);
    expect(readable(profile).weight).toBe(1.5);
    expect(readable(profile).values.device).toEqual({ laptop: 0.5, phone: 1 });
    expect(readable(profile).values.browser).toEqual({ chrome: 1.5 });
    // 30 days later is Wednesday 09:00 (hour 57).
    expect(readable(profile).hours[9]).toBe(0.5);
    expect(readable(profile).hours[57]).toBe(1);
  });

  it('decays by the factor over any gap, kept to three decimals', () => {
    const profile = profileOf([observation({ at: T0 }), observation({ at: T0 + 7 * DAY })]);
    // 1 × 2^(-7/30) + 1 = 1.85067 → 1.851.
    expect(1 + decayFactor(7 * DAY)).toBeCloseTo(1.85067, 5);
    expect(readable(profile).weight).toBe(1.851);
    expect(readable(profile).values.device.laptop).toBe(1.851);
    expect(readable(profile).hours[9]).toBe(1.851);
  });

  it('keeps every weight as whole thousandths of an event', () => {
    const profile = profileOf(series(7, T0, 3 * DAY + 7 * HOUR + 13 * MINUTE));
    const stored = [
      profile.weight,
      ...profile.hours.map(([, weight]) => weight),
      ...NOVELTY_DIMENSIONS.flatMap((dimension) => profile.values[dimension].map(([, weight]) => weight)),
    ];
    for (const weight of stored) expect(Number.isInteger(weight)).toBe(true);
    // Read in events, they are fractions to three decimals.
    expect(stored.some((weight) => weight % WEIGHT_UNIT !== 0)).toBe(true);
    expect(readable(profile).weight).toBe(profile.weight / 1000);
  });

  it('adds an already-faded weight for a late (older) event and keeps `at`', () => {
    const recent = profileOf([observation({ at: T0 + 10 * DAY })]);
    const late = updateProfile(recent, observation({ at: T0, client: { device: 'phone' } }));
    // 2^(-10/30) = 0.7937 → 0.794.
    expect(late.at).toBe(T0 + 10 * DAY);
    expect(late.events).toBe(2);
    expect(readable(late).weight).toBe(1.794);
    expect(readable(late).values.device.laptop).toBe(1);
    expect(readable(late).values.device.phone).toBe(0.794);
    expect(readable(late).values.browser.chrome).toBe(1.794);
    // The late event's hour (Monday 09:00) gets the faded weight; the newest (Thursday 09:00) keeps 1.
    expect(readable(late).hours[9]).toBe(0.794);
    expect(readable(late).hours[3 * 24 + 9]).toBe(1);
  });

  it('forgets a value not seen for about nine half-lives', () => {
    const kept = profileOf([
      observation({ at: T0, client: { device: 'old-phone' } }),
      observation({ at: T0 + 240 * DAY }),
    ]);
    // 2^-8 = 0.0039: still remembered.
    expect(readable(kept).values.device['old-phone']).toBe(0.004);
    const forgotten = profileOf([
      observation({ at: T0, client: { device: 'old-phone' } }),
      observation({ at: T0 + 300 * DAY }),
    ]);
    // 2^-10 ≈ 0.001: gone.
    expect(readable(forgotten).values.device).toEqual({ laptop: 1 });
    // The faded share of a value seen again is dropped the same way.
    expect(readable(forgotten).values.browser).toEqual({ chrome: 1 });
  });

  it('keeps only the hours of the week the user was active in, and forgets them like values', () => {
    const profile = profileOf([observation({ at: T0 }), observation({ at: T0 + 300 * DAY + 5 * HOUR })]);
    // T0 is Monday 09:00; 300 days later is a Saturday (hour 5 × 24 + 14). The first hour has faded out.
    expect(readable(profile).hours).toEqual({ [hourOfWeek(T0 + 300 * DAY + 5 * HOUR)]: 1 });
  });

  it('reads profiles stored before tallies (fractional weights by key; hours sparse or a dense array of 168)', () => {
    const current = profileOf([observation({ at: T0 }), observation({ at: T0 + DAY, client: { device: 'phone' } })]);
    const fractional = { ...readable(current), hours: { 9: 0.977, 33: 1 } as Record<number, number> };
    const dense = { ...fractional, hours: Array.from({ length: HOURS_PER_WEEK }, (_, h) => fractional.hours[h] ?? 0) };
    for (const stored of [fractional, dense]) {
      const upgraded = upgradeProfile(JSON.parse(JSON.stringify(stored)));
      expect(upgraded).toEqual(current);
      const next = updateProfile(upgraded, observation({ at: T0 + HABIT_HALF_LIFE_MS }));
      expect(next).toEqual(updateProfile(current, observation({ at: T0 + HABIT_HALF_LIFE_MS })));
    }
    // Today's shape is read as it is.
    expect(upgradeProfile(current)).toBe(current);
  });

  it('does not learn habits from a failed login', () => {
    const established = profileOf(series(5, T0, HOUR, { outcome: 'success' }));
    const attempt = observation({
      at: T0 + DAY,
      outcome: 'failure',
      client: { device: 'attacker-pc', browser: 'firefox', os: 'linux' },
      network: { ip: '203.0.114.7', subnet: '203.0.114.0/24', asn: 64500, ...NEW_YORK },
    });
    const after = updateProfile(established, attempt);
    expect(after.events).toBe(6);
    expect(readable(after).weight).toBe(readable(established).weight);
    expect(after.at).toBe(established.at);
    expect(readable(after).values).toEqual(readable(established).values);
    expect(readable(after).hours).toEqual(readable(established).hours);
    expect(after.lastPlace).toEqual(established.lastPlace);
    expect(after.failures).toEqual([T0 + DAY]);
    // It still counts towards velocity and sharing.
    expect(after.recent.at(-1)).toEqual({ at: T0 + DAY, device: 'attacker-pc', subnet: '203.0.114.0/24' });
  });

  it('learns from events with no outcome and from successes alike', () => {
    const unknown = updateProfile(emptyProfile(), observation({ outcome: null }));
    const success = updateProfile(emptyProfile(), observation({ outcome: 'success' }));
    expect(readable(unknown).values).toEqual(readable(success).values);
    expect(readable(unknown).weight).toBe(1);
  });

  it('ends up with the same weights whatever order two events arrive in', () => {
    const first = observation({ at: T0, client: { device: 'phone' } });
    const second = observation({ at: T0 + 3 * DAY });
    const inOrder = profileOf([first, second]);
    const reversed = profileOf([second, first]);
    expect(reversed.at).toBe(inOrder.at);
    expect(readable(reversed).weight).toBeCloseTo(readable(inOrder).weight, 3);
    expect(readable(reversed).values.device.phone).toBeCloseTo(readable(inOrder).values.device.phone ?? Number.NaN, 3);
    expect(readable(reversed).values.device.laptop).toBeCloseTo(
      readable(inOrder).values.device.laptop ?? Number.NaN,
      3,
    );
    expect(reversed.recent).toEqual(inOrder.recent);
  });

  it('keeps the newest place, not a late event’s', () => {
    const profile = profileOf([
      observation({ at: T0 + HOUR, network: NEW_YORK }),
      observation({ at: T0, network: BERLIN }),
    ]);
    expect(profile.lastPlace).toEqual({ ...NEW_YORK, at: T0 + HOUR });
  });

  it('keeps the last place when an event has no coordinates', () => {
    const profile = profileOf([
      observation({ at: T0 }),
      observation({ at: T0 + HOUR, network: { lat: null, lon: null, country: 'FR', city: null } }),
    ]);
    expect(profile.lastPlace).toEqual({ ...BERLIN, at: T0 });
  });

  it('moves the place on for a newer located event', () => {
    const profile = profileOf([observation({ at: T0 }), observation({ at: T0 + DAY, network: NEW_YORK })]);
    expect(profile.lastPlace).toEqual({ ...NEW_YORK, at: T0 + DAY });
  });

  it('skips unknown values but still counts the event', () => {
    const profile = profileOf([
      observation({ client: { device: null, browser: null, os: null }, network: { asn: null, country: null } }),
    ]);
    expect(profile.events).toBe(1);
    expect(readable(profile).weight).toBe(1);
    expect(readable(profile).values.device).toEqual({});
    expect(readable(profile).values.asn).toEqual({});
    expect(readable(profile).values.country).toEqual({});
    expect(readable(profile).values.subnet).toEqual({ '81.2.69.0/24': 1 });
  });

  it(`keeps only the ${MAX_VALUES_PER_DIMENSION} heaviest values per dimension`, () => {
    // A home network used a lot, then a rotating mobile subnet, one new /24 a day.
    const home = series(10, T0, 0, { network: { subnet: '81.2.69.0/24' } });
    const rotating = Array.from({ length: 30 }, (_, day) =>
      observation({ at: T0 + (day + 1) * DAY, network: { subnet: `100.${day}.0.0/24` } }),
    );
    const profile = profileOf([...home, ...rotating]);
    const subnets = readable(profile).values.subnet;
    expect(Object.keys(subnets)).toHaveLength(MAX_VALUES_PER_DIMENSION);
    // Home faded to 10 × 2^-1 = 5 after 30 days (give or take the rounding to three decimals): still the heaviest.
    expect(subnets['81.2.69.0/24']).toBeCloseTo(5, 2);
    // The 23 newest mobile subnets stay, the 7 oldest (faintest) went.
    for (let day = 7; day < 30; day += 1) expect(subnets[`100.${day}.0.0/24`]).toBeDefined();
    for (let day = 0; day < 7; day += 1) expect(subnets[`100.${day}.0.0/24`]).toBeUndefined();
    // Other dimensions are untouched by the cap, and the event weight is not capped.
    expect(Object.keys(readable(profile).values.device)).toEqual(['laptop']);
    expect(profile.events).toBe(40);
  });

  it('does not cap a dimension at exactly the limit', () => {
    const profile = profileOf(
      Array.from({ length: MAX_VALUES_PER_DIMENSION }, (_, index) =>
        observation({ at: T0 + index * MINUTE, client: { device: `device-${index}` } }),
      ),
    );
    expect(Object.keys(readable(profile).values.device)).toHaveLength(MAX_VALUES_PER_DIMENSION);
    expect(readable(profile).values.device['device-0']).toBeDefined();
  });

  it(`keeps the ${RECENT_EVENTS} newest events, in time order`, () => {
    const profile = profileOf(series(25, T0, MINUTE));
    expect(profile.recent).toHaveLength(RECENT_EVENTS);
    expect(profile.recent[0]?.at).toBe(T0 + 5 * MINUTE);
    expect(profile.recent.at(-1)?.at).toBe(T0 + 24 * MINUTE);
    const late = updateProfile(profile, observation({ at: T0 + 10.5 * MINUTE, client: { device: 'phone' } }));
    expect(late.recent).toHaveLength(RECENT_EVENTS);
    expect(late.recent[0]?.at).toBe(T0 + 6 * MINUTE);
    expect(late.recent.map((event) => event.at)).toEqual(
      [...late.recent.map((event) => event.at)].sort((a, b) => a - b),
    );
    expect(late.recent.find((event) => event.device === 'phone')?.at).toBe(T0 + 10.5 * MINUTE);
  });

  it('drops a late event older than every recent one from the recent list', () => {
    const profile = profileOf(series(RECENT_EVENTS, T0 + DAY, MINUTE));
    const late = updateProfile(profile, observation({ at: T0 }));
    expect(late.recent).toEqual(profile.recent);
  });

  describe('failures', () => {
    it('counts failed logins since the last success', () => {
      const profile = profileOf([
        observation({ at: T0, outcome: 'failure' }),
        observation({ at: T0 + MINUTE, outcome: 'failure' }),
        observation({ at: T0 + 2 * MINUTE, outcome: 'failure' }),
      ]);
      expect(profile.failures).toEqual([T0, T0 + MINUTE, T0 + 2 * MINUTE]);
    });

    it('leaves the counter alone for events with no outcome', () => {
      const profile = profileOf([
        observation({ at: T0, outcome: 'failure' }),
        observation({ at: T0 + MINUTE, outcome: null }),
      ]);
      expect(profile.failures).toEqual([T0]);
    });

    it('keeps failures in time order when one arrives late', () => {
      const profile = profileOf([
        observation({ at: T0 + 5 * MINUTE, outcome: 'failure' }),
        observation({ at: T0, outcome: 'failure' }),
      ]);
      expect(profile.failures).toEqual([T0, T0 + 5 * MINUTE]);
    });

    it('resets on a success', () => {
      const profile = profileOf([
        observation({ at: T0, outcome: 'failure' }),
        observation({ at: T0 + MINUTE, outcome: 'failure' }),
        observation({ at: T0 + 2 * MINUTE, outcome: 'success' }),
      ]);
      expect(profile.failures).toEqual([]);
      const again = updateProfile(profile, observation({ at: T0 + 3 * MINUTE, outcome: 'failure' }));
      expect(again.failures).toEqual([T0 + 3 * MINUTE]);
    });

    it('remembers only the newest MAX_FAILURES', () => {
      const profile = profileOf(
        Array.from({ length: MAX_FAILURES + 5 }, (_, n) => observation({ at: T0 + n * MINUTE, outcome: 'failure' })),
      );
      expect(profile.failures).toHaveLength(MAX_FAILURES);
      expect(profile.failures[0]).toBe(T0 + 5 * MINUTE);
    });
  });

  it('tracks every novelty dimension', () => {
    const profile = profileOf([observation()]);
    expect(Object.keys(readable(profile).values).sort()).toEqual([...NOVELTY_DIMENSIONS].sort());
  });
});
