import { describe, expect, it } from 'vitest';
import { baselineEvidence, baselineOf, DEFAULT_BASELINE } from '../../../src/domain/risk/baseline.ts';
import { emptyProfile, type RiskProfile, upgradeProfile } from '../../../src/domain/risk/profile.ts';
import { DAY, HOUR, observation, profileOf, series, T0 } from './fixtures.ts';

describe('baselineOf', () => {
  it('needs 10 events over 5 days by default', () => {
    expect(DEFAULT_BASELINE).toEqual({ minEvents: 10, minDays: 5 });
    expect(baselineOf(emptyProfile())).toEqual({ events: 0, days: 0, complete: false });
    expect(baselineOf(profileOf(series(10, T0, 12 * HOUR)))).toEqual({ events: 10, days: 4.5, complete: false });
    expect(baselineOf(profileOf(series(11, T0, 12 * HOUR)))).toEqual({ events: 11, days: 5, complete: true });
    expect(baselineOf(profileOf(series(9, T0, DAY)))).toMatchObject({ days: 8, complete: false });
  });

  it('takes its settings', () => {
    const profile = profileOf(series(3, T0, DAY));
    expect(baselineOf(profile, { minEvents: 3, minDays: 2 }).complete).toBe(true);
    expect(baselineOf(profile, { minEvents: 3, minDays: 2.5 }).complete).toBe(false);
  });

  it('starts the history at the first event that shaped the profile: failed logins do not', () => {
    const profile = profileOf([
      observation({ at: T0 - 30 * DAY, outcome: 'failure' }),
      observation({ at: T0, outcome: 'success' }),
      observation({ at: T0 + 2 * DAY }),
    ]);
    expect(profile.firstAt).toBe(T0);
    expect(baselineOf(profile)).toEqual({ events: 3, days: 2, complete: false });
    // A late event from before moves the start back.
    expect(profileOf([observation({ at: T0 - 6 * DAY })], profile).firstAt).toBe(T0 - 6 * DAY);
  });

  it('says what judged a signal, in words and numbers', () => {
    expect(baselineEvidence({ events: 37, days: 21.7, complete: true })).toEqual({
      baseline: '37 events over 21 days',
      baselineEvents: 37,
      baselineDays: 21,
    });
    expect(baselineEvidence({ events: 1, days: 1, complete: false }).baseline).toBe('1 event over 1 day');
  });
});

describe('upgradeProfile and the start of history', () => {
  const stored = (profile: RiskProfile) => {
    const { firstAt: _, ...withoutStart } = JSON.parse(JSON.stringify(profile)) as RiskProfile;
    return withoutStart as RiskProfile;
  };

  it('takes a stored profile with a complete weight as mature', () => {
    const upgraded = upgradeProfile(stored(profileOf(series(12, T0, 0))));
    expect(upgraded.firstAt).toBe(T0 - 30 * DAY);
    expect(baselineOf(upgraded).complete).toBe(true);
  });

  it('lets a lighter stored profile learn from its newest event on', () => {
    const upgraded = upgradeProfile(stored(profileOf(series(6, T0, DAY))));
    expect(upgraded.firstAt).toBe(T0 + 5 * DAY);
    expect(baselineOf(upgraded).complete).toBe(false);
  });

  it('keeps a stored start, and an empty profile has none', () => {
    const profile = profileOf(series(3, T0, DAY));
    expect(upgradeProfile(JSON.parse(JSON.stringify(profile))).firstAt).toBe(T0);
    expect(upgradeProfile(stored(emptyProfile())).firstAt).toBeNull();
  });
});
