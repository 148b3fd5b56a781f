import { describe, expect, it } from 'vitest';
import { emptyProfile, type RiskProfile, tallyOf } from '../../../src/domain/risk/profile.ts';
import { credentialStuffingSignal } from '../../../src/domain/risk/signals/credential-stuffing.ts';
import { failedLoginsSignal } from '../../../src/domain/risk/signals/failed-logins.ts';
import { impossibleTravelSignal, TRAVEL_SPEED_KMH } from '../../../src/domain/risk/signals/impossible-travel.ts';
import {
  deviceAndNetworkSignal,
  maturity,
  NOVELTY_WEIGHTS,
  novelty,
  noveltySignals,
} from '../../../src/domain/risk/signals/novelty.ts';
import { unusualHourSignal } from '../../../src/domain/risk/signals/unusual-hour.ts';
import { BURST_WINDOW_MS, SHARING_WINDOW_MS, velocitySignals } from '../../../src/domain/risk/signals/velocity.ts';
import { type NetworkActivity, round } from '../../../src/domain/risk/signals.ts';
import {
  BERLIN,
  DAY,
  HOUR,
  MINUTE,
  NEW_YORK,
  observation,
  POTSDAM,
  profileOf,
  readable,
  series,
  T0,
} from './fixtures.ts';

const MUNICH = { country: 'DE', city: 'Munich', lat: 48.1351, lon: 11.582 };

/** Twenty logins from the same laptop, browser, OS, subnet, ASN and country, all at T0: maturity 1 − 2⁻⁵. */
const established = profileOf(series(20, T0, 0));
const ESTABLISHED = 1 - 2 ** -5;

const quietActivity: NetworkActivity = { usersOnIp: 1, usersOnSubnet: 1, failuresOnIp: 0, windowMs: 10 * MINUTE };

/** An observation with every novelty dimension changed. */
const stranger = observation({
  at: T0 + HOUR,
  client: { device: 'phone', browser: 'firefox', os: 'linux' },
  network: { ip: '203.0.114.7', subnet: '203.0.114.0/24', asn: 64500, ...NEW_YORK },
});

describe('maturity', () => {
  it('is 0 with no history, ½ after 4 events, about 0.9 after 13', () => {
    expect(maturity(emptyProfile())).toBe(0);
    expect(maturity(profileOf(series(4, T0, 0)))).toBe(0.5);
    expect(maturity(profileOf(series(8, T0, 0)))).toBe(0.75);
    expect(maturity(profileOf(series(13, T0, 0)))).toBeCloseTo(0.9, 1);
    expect(maturity(established)).toBe(ESTABLISHED);
  });

  it('follows the decayed weight, so a dormant baseline loses authority', () => {
    const dormant = profileOf([...series(4, T0, 0), observation({ at: T0 + 60 * DAY })]);
    // 4 × ¼ + 1 = 2 → 1 − 2^-½.
    expect(readable(dormant).weight).toBeCloseTo(2, 12);
    expect(maturity(dormant)).toBeCloseTo(1 - Math.SQRT1_2, 12);
  });
});

describe('novelty', () => {
  it('is 1 for a never-seen value', () => {
    expect(novelty(tallyOf({}), 'phone')).toBe(1);
    expect(novelty(tallyOf({ laptop: 10 }), 'phone')).toBe(1);
  });

  it('is 0 for a habitual value (at least a fifth of the history)', () => {
    expect(novelty(tallyOf({ laptop: 1 }), 'laptop')).toBe(0);
    expect(novelty(tallyOf({ laptop: 4, phone: 1 }), 'phone')).toBe(0);
    expect(novelty(tallyOf({ laptop: 3, phone: 1 }), 'phone')).toBe(0);
  });

  it('is at most ½ for a rarely used value, less the more it is used', () => {
    expect(novelty(tallyOf({ laptop: 9, phone: 1 }), 'phone')).toBeCloseTo(0.25, 12);
    expect(novelty(tallyOf({ laptop: 19, phone: 1 }), 'phone')).toBeCloseTo(0.375, 12);
    expect(novelty(tallyOf({ laptop: 1e9, phone: 1 }), 'phone')).toBeLessThan(0.5);
    expect(novelty(tallyOf({ laptop: 1e9, phone: 1 }), 'phone')).toBeCloseTo(0.5, 6);
  });

  it('treats an all-zero history as familiar', () => {
    expect(novelty(tallyOf({ laptop: 0 }), 'laptop')).toBe(0);
  });
});

describe('noveltySignals', () => {
  it('says nothing on a first login (empty profile, maturity 0)', () => {
    expect(noveltySignals(emptyProfile(), stranger)).toEqual([]);
  });

  it('says nothing when every value is habitual', () => {
    expect(noveltySignals(established, observation({ at: T0 + HOUR }))).toEqual([]);
  });

  it('flags every never-seen value, weighted by the dimension and the baseline', () => {
    const signals = noveltySignals(established, stranger);
    expect(signals.map((signal) => signal.name)).toEqual([
      'new_device',
      'new_browser',
      'new_os',
      'new_subnet',
      'new_asn',
      'new_country',
    ]);
    for (const signal of signals) {
      const dimension = signal.name.slice('new_'.length) as keyof typeof NOVELTY_WEIGHTS;
      expect(signal.score).toBeCloseTo(NOVELTY_WEIGHTS[dimension] * ESTABLISHED, 12);
      expect(signal.evidence.known).toBe(1);
      expect(signal.evidence.seenWeight).toBe(0);
      expect(signal.evidence.baseline).toBe(0.97);
    }
    expect(signals.map((signal) => signal.message)).toEqual([
      'First device phone (1 known)',
      'First browser firefox (1 known)',
      'First operating system linux (1 known)',
      'First network (subnet) 203.0.114.0/24 (1 known)',
      'First network operator (ASN) 64500 (1 known)',
      'First country US (1 known)',
    ]);
    expect(signals.map((signal) => signal.evidence.value)).toEqual([
      'phone',
      'firefox',
      'linux',
      '203.0.114.0/24',
      '64500',
      'US',
    ]);
  });

  it('gives a new country the 0.4 weight on a fully established baseline', () => {
    const signals = noveltySignals(established, observation({ at: T0 + HOUR, network: { country: 'FR' } }));
    expect(signals).toEqual([
      {
        name: 'new_country',
        score: 0.4 * ESTABLISHED,
        message: 'First country FR (1 known)',
        evidence: { value: 'FR', known: 1, seenWeight: 0, baseline: 0.97 },
      },
    ]);
  });

  it('names the operator of a new ASN when the IP database knows it', () => {
    const signals = noveltySignals(
      established,
      observation({ at: T0 + HOUR, network: { asn: 15169, asnOrganization: 'Google LLC' } }),
    );
    expect(signals).toEqual([
      {
        name: 'new_asn',
        score: 0.25 * ESTABLISHED,
        message: 'First network operator (ASN) 15169 (Google LLC) (1 known)',
        evidence: { value: '15169', organization: 'Google LLC', known: 1, seenWeight: 0, baseline: 0.97 },
      },
    ]);
  });

  it('scores a rarely used value at most ½ × the weight', () => {
    const profile = profileOf([...series(19, T0, 0), observation({ at: T0, client: { device: 'tablet' } })]);
    const signals = noveltySignals(profile, observation({ at: T0 + HOUR, client: { device: 'tablet' } }));
    expect(signals).toHaveLength(1);
    const [signal] = signals;
    expect(signal?.name).toBe('new_device');
    expect(signal?.message).toBe('Rarely used device tablet');
    // share 1/20 → novelty 0.5 × (1 − 0.25) = 0.375.
    expect(signal?.score).toBeCloseTo(0.3 * ESTABLISHED * 0.375, 12);
    expect(signal?.score).toBeLessThanOrEqual(0.5 * NOVELTY_WEIGHTS.device);
    expect(signal?.evidence).toEqual({ value: 'tablet', known: 2, seenWeight: 1, baseline: 0.97 });
  });

  it('gives no signal for a value used a fifth of the time', () => {
    const profile = profileOf([...series(16, T0, 0), ...series(4, T0, 0, { client: { device: 'tablet' } })]);
    expect(noveltySignals(profile, observation({ at: T0 + HOUR, client: { device: 'tablet' } }))).toEqual([]);
  });

  it('drops contributions below 0.01', () => {
    // 19 % of the browser history: novelty 0.025, × 0.12 ≈ 0.003.
    const profile = profileOf([...series(81, T0, 0), ...series(19, T0, 0, { client: { browser: 'edge' } })]);
    expect(noveltySignals(profile, observation({ at: T0 + HOUR, client: { browser: 'edge' } }))).toEqual([]);
  });

  it('skips unknown values and private subnets', () => {
    const signals = noveltySignals(
      established,
      observation({
        at: T0 + HOUR,
        client: { device: null, browser: null, os: null },
        network: { ip: '10.0.0.5', subnet: '10.0.0.0/24', scope: 'private', asn: null, country: null },
      }),
    );
    expect(signals).toEqual([]);
  });

  it('scales with a young baseline', () => {
    const young = profileOf(series(4, T0, 0));
    const signals = noveltySignals(young, observation({ at: T0 + HOUR, client: { device: 'phone' } }));
    expect(signals).toEqual([
      {
        name: 'new_device',
        score: 0.15,
        message: 'First device phone (1 known)',
        evidence: { value: 'phone', known: 1, seenWeight: 0, baseline: 0.5 },
      },
    ]);
  });
});

describe('deviceAndNetworkSignal', () => {
  it('fires for a new device on a new ASN', () => {
    const signal = deviceAndNetworkSignal(
      established,
      observation({ at: T0 + HOUR, client: { device: 'phone' }, network: { asn: 64500 } }),
    );
    expect(signal).toEqual({
      name: 'new_device_on_new_network',
      score: 0.45 * ESTABLISHED,
      message: 'First device phone from a first network operator (ASN) 64500',
      evidence: { device: 'phone', asn: '64500', baseline: 0.97 },
    });
  });

  it('fires for a new device in a new country on a known ASN', () => {
    const signal = deviceAndNetworkSignal(
      established,
      observation({ at: T0 + HOUR, client: { device: 'phone' }, network: { country: 'FR' } }),
    );
    expect(signal?.message).toBe('First device phone from a first country FR');
    expect(signal?.evidence).toEqual({ device: 'phone', country: 'FR', baseline: 0.97 });
  });

  it('names the ASN first when both are new', () => {
    expect(deviceAndNetworkSignal(established, stranger)?.evidence).toEqual({
      device: 'phone',
      asn: '64500',
      baseline: 0.97,
    });
  });

  it('does not fire for a new device on a known network (a new phone at home)', () => {
    expect(deviceAndNetworkSignal(established, observation({ at: T0 + HOUR, client: { device: 'phone' } }))).toBeNull();
  });

  it('does not fire for a new subnet alone', () => {
    expect(
      deviceAndNetworkSignal(
        established,
        observation({ at: T0 + HOUR, client: { device: 'phone' }, network: { subnet: '81.2.70.0/24' } }),
      ),
    ).toBeNull();
  });

  it('does not fire for a known device on a new network (a laptop abroad)', () => {
    expect(
      deviceAndNetworkSignal(established, observation({ at: T0 + HOUR, network: { asn: 64500, country: 'US' } })),
    ).toBeNull();
  });

  it('does not fire without a device or on a first login', () => {
    expect(
      deviceAndNetworkSignal(
        established,
        observation({ at: T0 + HOUR, client: { device: null }, network: { asn: 64500 } }),
      ),
    ).toBeNull();
    expect(deviceAndNetworkSignal(emptyProfile(), stranger)).toBeNull();
  });
});

describe('impossibleTravelSignal', () => {
  const inBerlin = profileOf([observation({ at: T0, network: BERLIN })]);

  it('fires for Berlin → New York in one hour', () => {
    const signal = impossibleTravelSignal(inBerlin, observation({ at: T0 + HOUR, network: NEW_YORK }));
    expect(signal?.name).toBe('impossible_travel');
    expect(signal?.score).toBe(0.7);
    const km = signal?.evidence.km as number;
    expect(km).toBeGreaterThanOrEqual(6355);
    expect(km).toBeLessThanOrEqual(6415);
    expect(signal?.evidence).toEqual({
      km,
      hours: 1,
      kmh: km,
      from: 'Berlin, DE',
      to: 'New York, US',
      fromLat: BERLIN.lat,
      fromLon: BERLIN.lon,
      toLat: NEW_YORK.lat,
      toLon: NEW_YORK.lon,
      fromAt: '2024-01-01T09:00:00.000Z',
    });
    expect(signal?.message).toBe(`${km} km from Berlin, DE to New York, US in 1 h (${km} km/h)`);
  });

  it('does not fire for Berlin → New York in ten hours', () => {
    expect(impossibleTravelSignal(inBerlin, observation({ at: T0 + 10 * HOUR, network: NEW_YORK }))).toBeNull();
  });

  it('scores 0.5 between one and two airliner speeds', () => {
    const signal = impossibleTravelSignal(inBerlin, observation({ at: T0 + 30 * MINUTE, network: MUNICH }));
    expect(signal?.score).toBe(0.5);
    expect(signal?.evidence.kmh).toBeGreaterThan(TRAVEL_SPEED_KMH);
    expect(signal?.evidence.kmh).toBeLessThanOrEqual(2 * TRAVEL_SPEED_KMH);
    expect(signal?.message).toBe('504 km from Berlin, DE to Munich, DE in 30 min (1009 km/h)');
  });

  it('fires at full strength with no time at all', () => {
    const signal = impossibleTravelSignal(inBerlin, observation({ at: T0, network: NEW_YORK }));
    expect(signal?.score).toBe(0.7);
    expect(signal?.evidence.kmh).toBeNull();
    expect(signal?.evidence.hours).toBe(0);
    expect(signal?.message).toMatch(/^\d+ km from Berlin, DE to New York, US in 0 min \(no time at all\)$/);
  });

  it('measures a late event against the newest place, whichever way time runs', () => {
    const signal = impossibleTravelSignal(inBerlin, observation({ at: T0 - HOUR, network: NEW_YORK }));
    expect(signal?.score).toBe(0.7);
    expect(signal?.evidence.hours).toBe(1);
  });

  it('never fires for places closer than 150 km, even at once', () => {
    expect(impossibleTravelSignal(inBerlin, observation({ at: T0, network: POTSDAM }))).toBeNull();
    expect(impossibleTravelSignal(inBerlin, observation({ at: T0 + MINUTE, network: POTSDAM }))).toBeNull();
  });

  it('needs both places', () => {
    expect(impossibleTravelSignal(emptyProfile(), observation({ at: T0, network: NEW_YORK }))).toBeNull();
    expect(
      impossibleTravelSignal(inBerlin, observation({ at: T0 + MINUTE, network: { lat: null, lon: null } })),
    ).toBeNull();
  });

  it('names a place without city or country as unknown', () => {
    const signal = impossibleTravelSignal(
      inBerlin,
      observation({ at: T0 + HOUR, network: { ...NEW_YORK, city: null, country: null } }),
    );
    expect(signal?.evidence.to).toBe('unknown place');
    expect(signal?.message).toContain('to unknown place in 1 h');
  });
});

describe('velocitySignals', () => {
  it('flags a burst of 10 events in 10 minutes', () => {
    const profile = profileOf(series(9, T0, MINUTE));
    const signals = velocitySignals(profile, observation({ at: T0 + 9 * MINUTE }));
    expect(signals).toEqual([
      {
        name: 'burst',
        score: 0.2,
        message: '10 events within 10 minutes',
        evidence: { events: 10, windowMinutes: 10 },
      },
    ]);
  });

  it('scores 20 events in 10 minutes at 0.35', () => {
    const profile = profileOf(series(19, T0, 30_000));
    const [signal] = velocitySignals(profile, observation({ at: T0 + 9.5 * MINUTE }));
    expect(signal?.name).toBe('burst');
    expect(signal?.score).toBe(0.35);
    expect(signal?.evidence.events).toBe(20);
  });

  it('does not flag 9 events, nor 10 spread beyond the window', () => {
    expect(velocitySignals(profileOf(series(8, T0, MINUTE)), observation({ at: T0 + 8 * MINUTE }))).toEqual([]);
    expect(
      velocitySignals(profileOf(series(9, T0, MINUTE)), observation({ at: T0 + 8 * MINUTE + BURST_WINDOW_MS + 1 })),
    ).toEqual([]);
  });

  const A = { client: { device: 'laptop' }, network: { subnet: '81.2.69.0/24' } };
  const B = { client: { device: 'phone' }, network: { subnet: '100.64.12.0/24' } };

  it('flags two device+network pairs taking turns (A, B, A, B) within the hour', () => {
    const profile = profileOf([
      observation({ ...A, at: T0 }),
      observation({ ...B, at: T0 + 10 * MINUTE }),
      observation({ ...A, at: T0 + 20 * MINUTE }),
    ]);
    expect(velocitySignals(profile, observation({ ...B, at: T0 + 30 * MINUTE }))).toEqual([
      {
        name: 'session_sharing',
        score: 0.3,
        message: '3 switches between 2 devices on 2 networks within the hour',
        evidence: { switches: 3, devices: 2, subnets: 2, events: 4 },
      },
    ]);
  });

  it('scores six or more switches at 0.5', () => {
    const turns = Array.from({ length: 6 }, (_, index) =>
      observation({ ...(index % 2 === 0 ? A : B), at: T0 + index * 5 * MINUTE }),
    );
    const signals = velocitySignals(profileOf(turns), observation({ ...A, at: T0 + 30 * MINUTE }));
    expect(signals).toEqual([
      {
        name: 'session_sharing',
        score: 0.5,
        message: '6 switches between 2 devices on 2 networks within the hour',
        evidence: { switches: 6, devices: 2, subnets: 2, events: 7 },
      },
    ]);
  });

  it('does not flag a phone and a laptop used once each', () => {
    const profile = profileOf([observation({ ...A, at: T0 })]);
    expect(velocitySignals(profile, observation({ ...B, at: T0 + 10 * MINUTE }))).toEqual([]);
  });

  it('does not flag one device moving between networks', () => {
    const subnetOnly = (index: number) => ({
      network: { subnet: index % 2 === 0 ? '81.2.69.0/24' : '100.64.12.0/24' },
    });
    const profile = profileOf([0, 1, 2].map((index) => observation({ ...subnetOnly(index), at: T0 + index * MINUTE })));
    expect(velocitySignals(profile, observation({ ...subnetOnly(3), at: T0 + 3 * MINUTE }))).toEqual([]);
  });

  it('does not count turns older than the hour', () => {
    const profile = profileOf([
      observation({ ...A, at: T0 }),
      observation({ ...B, at: T0 + 10 * MINUTE }),
      observation({ ...A, at: T0 + 20 * MINUTE }),
    ]);
    expect(velocitySignals(profile, observation({ ...B, at: T0 + 10 * MINUTE + SHARING_WINDOW_MS + 1 }))).toEqual([]);
  });
});

describe('unusualHourSignal', () => {
  /** 25 logins, all on Monday at 09:00 UTC. */
  const mondayMornings = profileOf(series(25, T0, 0));
  const wednesday3am = Date.UTC(2024, 0, 3, 3);

  it('flags an hour of the week the user is never active', () => {
    expect(unusualHourSignal(mondayMornings, observation({ at: wednesday3am }))).toEqual({
      name: 'unusual_hour',
      score: 0.15,
      message: 'Active at an unusual hour for this user (Wed 03:00 UTC)',
      evidence: { hourOfWeek: 51, when: 'Wed 03:00 UTC', share: 0 },
    });
  });

  it('does not flag the habitual hour or its neighbours', () => {
    expect(unusualHourSignal(mondayMornings, observation({ at: T0 + DAY * 7 }))).toBeNull();
    expect(unusualHourSignal(mondayMornings, observation({ at: T0 + HOUR }))).toBeNull();
    expect(unusualHourSignal(mondayMornings, observation({ at: T0 - HOUR }))).toBeNull();
    expect(unusualHourSignal(mondayMornings, observation({ at: T0 + 2 * HOUR }))?.evidence.hourOfWeek).toBe(11);
  });

  it('counts Sunday 23:00 as a neighbour of Monday 00:00', () => {
    const sundayNights = profileOf(series(25, Date.UTC(2024, 0, 7, 23), 0));
    expect(unusualHourSignal(sundayNights, observation({ at: Date.UTC(2024, 0, 8, 0) }))).toBeNull();
    expect(unusualHourSignal(sundayNights, observation({ at: Date.UTC(2024, 0, 8, 2) }))?.message).toBe(
      'Active at an unusual hour for this user (Mon 02:00 UTC)',
    );
  });

  it('needs a profile weight of at least 20', () => {
    expect(unusualHourSignal(profileOf(series(19, T0, 0)), observation({ at: wednesday3am }))).toBeNull();
    expect(unusualHourSignal(profileOf(series(20, T0, 0)), observation({ at: wednesday3am }))?.name).toBe(
      'unusual_hour',
    );
    expect(unusualHourSignal(emptyProfile(), observation({ at: wednesday3am }))).toBeNull();
  });

  it('does not flag an hour with a small but real share of the activity', () => {
    // 20 events on Monday 09:00 and 2 on Wednesday 03:00: 2/3 per hour against 22/168 expected.
    const profile = profileOf([...series(20, T0, 0), ...series(2, wednesday3am, 0)]);
    expect(unusualHourSignal(profile, observation({ at: wednesday3am + 7 * DAY }))).toBeNull();
  });
});

describe('failedLoginsSignal', () => {
  const failures = (count: number) => series(count, T0, MINUTE, { outcome: 'failure' });

  it('fires on a success after 3 failures within the hour', () => {
    const profile = profileOf(failures(3));
    expect(failedLoginsSignal(profile, observation({ at: T0 + 5 * MINUTE, outcome: 'success' }))).toEqual({
      name: 'failed_logins',
      score: 0.35,
      message: 'Successful login after 3 failed attempts within the hour',
      evidence: { failures: 3, since: '2024-01-01T09:00:00.000Z' },
    });
  });

  it('scores 10 failures at 0.6', () => {
    const signal = failedLoginsSignal(profileOf(failures(10)), observation({ at: T0 + HOUR, outcome: 'success' }));
    expect(signal?.score).toBe(0.6);
    expect(signal?.message).toBe('Successful login after 10 failed attempts within the hour');
  });

  it('does not fire after only 2 failures', () => {
    expect(
      failedLoginsSignal(profileOf(failures(2)), observation({ at: T0 + 5 * MINUTE, outcome: 'success' })),
    ).toBeNull();
  });

  it('counts only failures within the hour before the success', () => {
    const profile = profileOf(failures(3));
    expect(failedLoginsSignal(profile, observation({ at: T0 + HOUR, outcome: 'success' }))?.name).toBe('failed_logins');
    // The first failure is now more than an hour old: two remain.
    expect(failedLoginsSignal(profile, observation({ at: T0 + HOUR + 1, outcome: 'success' }))).toBeNull();
  });

  it('does not add up failures spread over days', () => {
    const profile = profileOf([
      observation({ at: T0 - 3 * DAY, outcome: 'failure' }),
      observation({ at: T0 - 2 * DAY, outcome: 'failure' }),
      observation({ at: T0 - 10 * MINUTE, outcome: 'failure' }),
    ]);
    expect(failedLoginsSignal(profile, observation({ at: T0, outcome: 'success' }))).toBeNull();
  });

  it('only fires on a success', () => {
    const profile = profileOf(failures(5));
    expect(failedLoginsSignal(profile, observation({ at: T0 + 10 * MINUTE, outcome: 'failure' }))).toBeNull();
    expect(failedLoginsSignal(profile, observation({ at: T0 + 10 * MINUTE, outcome: null }))).toBeNull();
  });

  it('does not fire once a success has reset the count', () => {
    const profile = profileOf([...failures(3), observation({ at: T0 + 3 * MINUTE, outcome: 'success' })]);
    expect(failedLoginsSignal(profile, observation({ at: T0 + 4 * MINUTE, outcome: 'success' }))).toBeNull();
  });
});

describe('credentialStuffingSignal', () => {
  const login = observation({ network: { ip: '198.51.99.7', subnet: '198.51.99.0/24' } });

  it('fires at 5 users on one IP', () => {
    expect(credentialStuffingSignal({ ...quietActivity, usersOnIp: 5, usersOnSubnet: 5 }, login)).toEqual({
      name: 'credential_stuffing',
      score: 0.5,
      message: 'IP 198.51.99.7 used by 5 accounts within 10 minutes',
      evidence: {
        ip: '198.51.99.7',
        subnet: '198.51.99.0/24',
        usersOnIp: 5,
        usersOnSubnet: 5,
        failuresOnIp: 0,
        windowMinutes: 10,
      },
    });
  });

  it('fires at 10 users on one subnet', () => {
    const signal = credentialStuffingSignal({ ...quietActivity, usersOnIp: 1, usersOnSubnet: 10 }, login);
    expect(signal?.score).toBe(0.5);
    expect(signal?.message).toBe('Subnet 198.51.99.0/24 used by 10 accounts within 10 minutes');
  });

  it('does not fire below both thresholds', () => {
    expect(credentialStuffingSignal({ ...quietActivity, usersOnIp: 4, usersOnSubnet: 9 }, login)).toBeNull();
    expect(credentialStuffingSignal(quietActivity, login)).toBeNull();
  });

  it('scores 20 users or 10 failures at 0.75', () => {
    expect(credentialStuffingSignal({ ...quietActivity, usersOnIp: 20, usersOnSubnet: 20 }, login)?.score).toBe(0.75);
    expect(credentialStuffingSignal({ ...quietActivity, usersOnIp: 5, failuresOnIp: 10 }, login)?.score).toBe(0.75);
    expect(credentialStuffingSignal({ ...quietActivity, usersOnIp: 19, failuresOnIp: 9 }, login)?.score).toBe(0.5);
  });

  it('ignores counts for an address or subnet the event does not have', () => {
    const noAddress = observation({ network: { ip: null, subnet: null } });
    expect(credentialStuffingSignal({ ...quietActivity, usersOnIp: 50, usersOnSubnet: 50 }, noAddress)).toBeNull();
  });

  it('reports the window in minutes', () => {
    const signal = credentialStuffingSignal({ ...quietActivity, usersOnIp: 6, windowMs: 5 * MINUTE }, login);
    expect(signal?.message).toBe('IP 198.51.99.7 used by 6 accounts within 5 minutes');
    expect(signal?.evidence.windowMinutes).toBe(5);
  });
});

describe('round', () => {
  it('rounds to the given number of digits', () => {
    expect(round(0.96875, 2)).toBe(0.97);
    expect(round(1.005, 0)).toBe(1);
    expect(round(12.3456, 3)).toBe(12.346);
  });
});

// Keeps the shared fixture honest: the profile used above is what the comments say.
describe('fixture', () => {
  it('is 20 events at weight 20', () => {
    const profile: RiskProfile = established;
    expect(profile.events).toBe(20);
    expect(readable(profile).weight).toBe(20);
    expect(maturity(profile)).toBe(ESTABLISHED);
  });
});
