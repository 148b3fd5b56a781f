import { describe, expect, it } from 'vitest';
import { emptyProfile, updateProfile } from '../../../src/domain/risk/profile.ts';
import {
  assess,
  combine,
  currentRisk,
  LEVEL_FLOORS,
  nextUserRisk,
  riskLevel,
  USER_RISK_HALF_LIFE_MS,
} from '../../../src/domain/risk/score.ts';
import type { NetworkActivity, Signal } from '../../../src/domain/risk/signals.ts';
import { DAY, HOUR, MINUTE, NEW_YORK, observation, profileOf, readable, series, T0 } from './fixtures.ts';

const signal = (score: number, name: Signal['name'] = 'burst'): Signal => ({ name, score, message: '', evidence: {} });
const alone = { accounts: 1, newcomers: 0, failing: 0, failingNewcomers: 0, usual: 1 };
const quiet: NetworkActivity = { ip: alone, subnet: alone, asn: alone, ownNetwork: true, windowMs: 10 * MINUTE };
/** One IP failing across 30 accounts new to it. */
const stuffing: NetworkActivity = {
  ...quiet,
  ip: { accounts: 32, newcomers: 32, failing: 30, failingNewcomers: 30, usual: 0 },
  ownNetwork: false,
};

describe('combine', () => {
  it('is 0 without signals', () => {
    expect(combine([])).toBe(0);
  });

  it('maps one signal to its share of 100', () => {
    expect(combine([signal(0.5)])).toBe(50);
    expect(combine([signal(0.123)])).toBe(12);
    expect(combine([signal(0.126)])).toBe(13);
  });

  it('combines like independent chances: two of 0.5 make 75', () => {
    expect(combine([signal(0.5), signal(0.5)])).toBe(75);
    expect(combine([signal(0.2), signal(0.2), signal(0.2)])).toBe(49);
    expect(combine([signal(0.3), signal(0.5)])).toBe(combine([signal(0.5), signal(0.3)]));
  });

  it('never passes 100, however many signals', () => {
    expect(combine(Array.from({ length: 50 }, () => signal(0.4)))).toBe(100);
    expect(combine([signal(1)])).toBe(100);
  });

  it('clamps each contribution to 0–1', () => {
    expect(combine([signal(1.5)])).toBe(100);
    expect(combine([signal(-0.3)])).toBe(0);
    expect(combine([signal(-2), signal(0.5)])).toBe(50);
  });
});

describe('riskLevel', () => {
  it.each([
    [0, 'low'],
    [29, 'low'],
    [29.9, 'low'],
    [30, 'medium'],
    [59, 'medium'],
    [60, 'high'],
    [79, 'high'],
    [80, 'critical'],
    [100, 'critical'],
  ] as const)('puts %d at %s', (score, level) => {
    expect(riskLevel(score)).toBe(level);
  });

  it('calls a negative score low', () => {
    expect(riskLevel(-5)).toBe('low');
  });

  it('lists the floors from the highest down', () => {
    expect(LEVEL_FLOORS.map(([level]) => level)).toEqual(['critical', 'high', 'medium', 'low']);
  });
});

describe('assess', () => {
  /** Twenty logins at T0 on a history that began three weeks before: a complete baseline. */
  const established = { ...profileOf(series(20, T0, 0)), firstAt: T0 - 21 * DAY };

  it('scores a first login 0, low, and starts the profile', () => {
    const login = observation({ outcome: 'success' });
    const assessment = assess(emptyProfile(), login, quiet);
    expect(assessment.risk).toBe(0);
    expect(assessment.level).toBe('low');
    expect(assessment.signals).toEqual([]);
    expect(assessment.profile).toEqual(updateProfile(emptyProfile(), login));
    expect(assessment.profile.events).toBe(1);
  });

  it('scores a habitual login 0', () => {
    // A week later: the same Monday 09:00.
    const assessment = assess(established, observation({ at: T0 + 7 * DAY }), quiet);
    expect(assessment.risk).toBe(0);
    expect(assessment.signals).toEqual([]);
  });

  it('orders the signals strongest first and combines them', () => {
    const takeover = observation({
      at: T0 + HOUR,
      outcome: 'success',
      client: { device: 'phone', browser: 'firefox', os: 'linux' },
      network: { ip: '203.0.114.7', subnet: '203.0.114.0/24', asn: 64500, ...NEW_YORK },
    });
    const assessment = assess(established, takeover, stuffing);
    const names = assessment.signals.map((s) => s.name);
    expect(names).toEqual([
      'credential_stuffing',
      'impossible_travel',
      'new_device_on_new_network',
      'new_country',
      'new_device',
      'new_browser',
    ]);
    const scores = assessment.signals.map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(assessment.risk).toBe(combine(assessment.signals));
    expect(assessment.risk).toBe(99);
    expect(assessment.level).toBe('critical');
  });

  it('returns the profile after the event without touching the one given', () => {
    const before = structuredClone(established);
    const login = observation({ at: T0 + 7 * DAY, client: { device: 'phone' } });
    const assessment = assess(established, login, quiet);
    expect(established).toEqual(before);
    expect(assessment.profile).toEqual(updateProfile(established, login));
    expect(assessment.profile.events).toBe(21);
    expect(readable(assessment.profile).values.device.phone).toBe(1);
  });

  it('scores the event against the profile before it', () => {
    // The same new device twice: the second time it is known (one of 22 sightings, so still rare).
    const first = assess(established, observation({ at: T0 + HOUR, client: { device: 'phone' } }), quiet);
    const second = assess(first.profile, observation({ at: T0 + 2 * HOUR, client: { device: 'phone' } }), quiet);
    expect(first.signals.find((s) => s.name === 'new_device')?.message).toBe('First device phone (1 known)');
    expect(second.signals.find((s) => s.name === 'new_device')?.message).toBe('Rarely used device phone');
    expect(second.risk).toBeLessThan(first.risk);
  });

  it('uses the activity for credential stuffing only', () => {
    const login = observation({ at: T0 + 7 * DAY, outcome: 'success' });
    const assessment = assess(established, login, stuffing);
    expect(assessment.signals.map((s) => s.name)).toEqual(['credential_stuffing']);
    expect(assessment.risk).toBe(85);
    expect(assessment.level).toBe('critical');
  });

  it('judges no novelty before the baseline is complete, but still scores attack evidence', () => {
    const takeover = observation({
      at: T0 + HOUR,
      outcome: 'success',
      client: { device: 'phone', browser: 'firefox', os: 'linux' },
      network: { ip: '203.0.114.7', subnet: '203.0.114.0/24', asn: 64500, ...NEW_YORK },
    });
    // Twenty events within one day: enough events, not enough days.
    const young = profileOf(series(20, T0, 0));
    expect(assess(young, takeover, quiet).signals.map((s) => s.name)).toEqual(['impossible_travel']);
    expect(assess(young, takeover, stuffing).signals.map((s) => s.name)).toEqual([
      'credential_stuffing',
      'impossible_travel',
    ]);
    // The amount of history needed is a setting.
    const names = assess(young, takeover, quiet, { minEvents: 20, minDays: 0 }).signals.map((s) => s.name);
    expect(names).toContain('new_country');
    expect(assess(established, takeover, quiet, { minEvents: 21, minDays: 0 }).signals).toHaveLength(1);
  });
});

describe('currentRisk', () => {
  it('halves every 24 hours', () => {
    expect(USER_RISK_HALF_LIFE_MS).toBe(DAY);
    expect(currentRisk({ score: 80, at: T0 }, T0)).toBe(80);
    expect(currentRisk({ score: 80, at: T0 }, T0 + DAY)).toBe(40);
    expect(currentRisk({ score: 80, at: T0 }, T0 + 2 * DAY)).toBe(20);
  });

  it('rounds to one decimal', () => {
    // 33 × 2^-½ = 23.33…
    expect(currentRisk({ score: 33, at: T0 }, T0 + 12 * HOUR)).toBe(23.3);
    expect(currentRisk({ score: 1, at: T0 }, T0 + 30 * DAY)).toBe(0);
  });

  it('does not grow when read before it was set', () => {
    expect(currentRisk({ score: 50, at: T0 }, T0 - DAY)).toBe(50);
  });
});

describe('nextUserRisk', () => {
  it('takes the event’s risk when there is no previous one', () => {
    expect(nextUserRisk(null, 42, T0)).toEqual({ score: 42, at: T0 });
    expect(nextUserRisk(null, 0, T0)).toEqual({ score: 0, at: T0 });
  });

  it('keeps the decayed previous risk when it is higher', () => {
    expect(nextUserRisk({ score: 80, at: T0 }, 30, T0 + DAY)).toEqual({ score: 40, at: T0 + DAY });
  });

  it('takes the event’s risk when it is higher than the decayed previous one', () => {
    expect(nextUserRisk({ score: 80, at: T0 }, 50, T0 + DAY)).toEqual({ score: 50, at: T0 + DAY });
    expect(nextUserRisk({ score: 20, at: T0 }, 90, T0 + HOUR)).toEqual({ score: 90, at: T0 + HOUR });
  });

  it('keeps the previous risk on a tie', () => {
    expect(nextUserRisk({ score: 80, at: T0 }, 40, T0 + DAY)).toEqual({ score: 40, at: T0 + DAY });
  });

  it('does not let a late, lower-risk event lower the risk or move time back', () => {
    const previous = { score: 80, at: T0 + DAY };
    expect(nextUserRisk(previous, 10, T0)).toEqual({ score: 80, at: T0 + DAY });
    expect(nextUserRisk(previous, 0, T0 - 30 * DAY)).toEqual({ score: 80, at: T0 + DAY });
  });

  it('never moves time backwards when a late event raises the risk', () => {
    expect(nextUserRisk({ score: 10, at: T0 + DAY }, 70, T0).at).toBe(T0 + DAY);
  });

  it('decays a quiet user to low', () => {
    let risk = nextUserRisk(null, 90, T0);
    risk = nextUserRisk(risk, 0, T0 + 2 * DAY);
    expect(risk).toEqual({ score: 22.5, at: T0 + 2 * DAY });
    expect(riskLevel(currentRisk(risk, T0 + 2 * DAY))).toBe('low');
  });
});

describe('nextUserRisk with a late event', () => {
  it('counts a late event at the strength it has faded to by the newest time', () => {
    expect(nextUserRisk({ score: 10, at: T0 + 2 * DAY }, 80, T0)).toEqual({ score: 20, at: T0 + 2 * DAY });
  });
});
