import { describe, expect, it } from 'vitest';
import { type Baseline, baselineOf } from '../../../src/domain/risk/baseline.ts';
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
  OWN_NETWORK_CLIENT_FACTOR,
} from '../../../src/domain/risk/signals/novelty.ts';
import {
  HOUR_BASELINE_DAYS,
  HOUR_BASELINE_EVENTS,
  unusualHourSignal,
} from '../../../src/domain/risk/signals/unusual-hour.ts';
import { BURST_WINDOW_MS, SHARING_WINDOW_MS, velocitySignals } from '../../../src/domain/risk/signals/velocity.ts';
import { type NetworkActivity, round, type SourceActivity } from '../../../src/domain/risk/signals.ts';
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

/** A baseline long enough for every judgement: the signals' own tests are about what they judge. */
const judged: Baseline = { events: 20, days: 21, complete: true };
const judgedEvidence = { baseline: '20 events over 21 days', baselineEvents: 20, baselineDays: 21 };
const learning: Baseline = { events: 9, days: 21, complete: false };

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
    expect(noveltySignals(emptyProfile(), stranger, judged)).toEqual([]);
  });

  it('says nothing until the baseline is complete: before it, everything is new', () => {
    expect(noveltySignals(established, stranger, learning)).toEqual([]);
    expect(deviceAndNetworkSignal(established, stranger, learning)).toBeNull();
  });

  it('counts a new subnet of a known ASN, and a subnet of a new ASN only through new_asn', () => {
    const sameIsp = observation({ at: T0 + HOUR, network: { subnet: '81.2.70.0/24' } });
    expect(noveltySignals(established, sameIsp, judged).map((signal) => signal.name)).toEqual(['new_subnet']);
    const otherIsp = observation({ at: T0 + HOUR, network: { subnet: '81.2.70.0/24', asn: 64500 } });
    expect(noveltySignals(established, otherIsp, judged).map((signal) => signal.name)).toEqual(['new_asn']);
  });

  it('says nothing when every value is habitual', () => {
    expect(noveltySignals(established, observation({ at: T0 + HOUR }), judged)).toEqual([]);
  });

  it('flags every never-seen value, weighted by the dimension and the baseline, each held value through what holds it', () => {
    // The subnet is new through its new ASN, the ASN through its new country, the OS through its new device.
    const signals = noveltySignals(established, stranger, judged);
    expect(signals.map((signal) => signal.name)).toEqual(['new_device', 'new_browser', 'new_country']);
    for (const signal of signals) {
      const dimension = signal.name.slice('new_'.length) as keyof typeof NOVELTY_WEIGHTS;
      expect(signal.score).toBeCloseTo(NOVELTY_WEIGHTS[dimension] * ESTABLISHED, 12);
      expect(signal.evidence.known).toBe(1);
      expect(signal.evidence.seenWeight).toBe(0);
      expect(signal.evidence.maturity).toBe(0.97);
      expect(signal.evidence.baseline).toBe('20 events over 21 days');
    }
    expect(signals.map((signal) => signal.message)).toEqual([
      'First device phone (1 known)',
      'First browser firefox (1 known)',
      'First country US (1 known)',
    ]);
    expect(signals.map((signal) => signal.evidence.value)).toEqual(['phone', 'firefox', 'US']);
  });

  it('counts a new OS on a known device, a new ASN in a known country, and a new device on a network not its own', () => {
    const signals = noveltySignals(
      established,
      observation({
        at: T0 + HOUR,
        client: { os: 'linux', device: 'phone' },
        network: { subnet: '203.0.114.0/24', asn: 64500 },
      }),
      judged,
    );
    expect(signals.map((signal) => [signal.name, round(signal.score, 3)])).toEqual([
      ['new_device', round(0.3 * ESTABLISHED, 3)],
      ['new_asn', round(0.25 * ESTABLISHED, 3)],
    ]);
    const onKnownDevice = profileOf([...series(10, T0, 0), ...series(10, T0, 0, { client: { os: 'linux' } })]);
    const linux = noveltySignals(
      onKnownDevice,
      observation({ at: T0 + HOUR, client: { os: 'macos' }, network: { subnet: '203.0.114.0/24', asn: 64500 } }),
      judged,
    );
    expect(linux.map((signal) => signal.name)).toEqual(['new_os', 'new_asn']);
    // The subnet of the new ASN says nothing new; the evidence says what held it back.
    expect(signals.find((signal) => signal.name === 'new_asn')?.evidence.countedBy).toBeUndefined();
    const vpnLike = noveltySignals(
      established,
      observation({ at: T0 + HOUR, network: { subnet: '203.0.114.0/24', asn: 64500, country: 'FR' } }),
      judged,
    );
    expect(vpnLike.map((signal) => signal.name)).toEqual(['new_country']);
  });

  it('weighs a new device, OS or browser on the user’s own network and country at OWN_NETWORK_CLIENT_FACTOR', () => {
    const [signal] = noveltySignals(established, observation({ at: T0 + HOUR, client: { device: 'phone' } }), judged);
    expect(signal?.name).toBe('new_device');
    expect(signal?.score).toBeCloseTo(0.3 * ESTABLISHED * OWN_NETWORK_CLIENT_FACTOR, 12);
  });

  it('makes a further country less new to a user already seen in others (1 / the countries known)', () => {
    const travelled = profileOf([
      ...series(18, T0, 0),
      observation({ at: T0, network: { country: 'FR' } }),
      observation({ at: T0, network: { country: 'ES' } }),
    ]);
    const signals = noveltySignals(travelled, observation({ at: T0 + HOUR, network: { country: 'IT' } }), judged);
    expect(signals.map((signal) => [signal.name, round(signal.score, 3)])).toEqual([
      ['new_country', round((0.4 * maturity(travelled)) / 3, 3)],
    ]);
  });

  it('counts a country the account just switched to, not its main one, at least 0.75 however often seen', () => {
    const paris = { ...POTSDAM, country: 'FR', city: 'Paris', asn: 12322, subnet: '82.64.1.0/24' };
    const twoCountries = profileOf([
      ...series(10, T0, HOUR),
      ...series(6, T0 + 10 * HOUR, HOUR, { network: paris }),
      observation({ at: T0 + 20 * HOUR }),
    ]);
    const back = (at: number) => noveltySignals(twoCountries, observation({ at, network: paris }), judged);
    expect(back(T0 + 21 * HOUR).find((signal) => signal.name === 'new_country')?.score).toBeCloseTo(
      0.4 * 0.75 * maturity(twoCountries),
      12,
    );
    // Staying there, or coming back to the main country, is no switch.
    const stayed = profileOf([observation({ at: T0 + 21 * HOUR, network: paris })], twoCountries);
    expect(noveltySignals(stayed, observation({ at: T0 + 22 * HOUR, network: paris }), judged)).toEqual([]);
    expect(noveltySignals(stayed, observation({ at: T0 + 22 * HOUR }), judged)).toEqual([]);
    // A phone's address in the main country may be its home carrier's while it roams: it does not say the user was home.
    const phoneAtHome = profileOf(
      [observation({ at: T0 + 21 * HOUR, client: { device: 'phone' } })],
      profileOf([observation({ at: T0 + 20.5 * HOUR, network: paris })], twoCountries),
    );
    const after = noveltySignals(phoneAtHome, observation({ at: T0 + 22 * HOUR, network: paris }), judged);
    expect(after.find((signal) => signal.name === 'new_country')).toBeUndefined();
  });

  it('behind a VPN, counts a new exit country only as far as the operator is new, and no exit subnet', () => {
    const vpn = { type: 'vpn' as const, asn: 9009, subnet: '2.58.29.0/24', ip: '2.58.29.7' };
    const vpnUser = profileOf(series(20, T0, 0, { network: vpn }));
    const otherExit = observation({ at: T0 + HOUR, network: { ...vpn, subnet: '5.181.234.0/24', country: 'US' } });
    expect(noveltySignals(vpnUser, otherExit, judged)).toEqual([]);
    const otherOperator = observation({
      at: T0 + HOUR,
      network: { ...vpn, asn: 136787, subnet: '2.58.36.0/24', country: 'US' },
    });
    expect(noveltySignals(vpnUser, otherOperator, judged).map((signal) => signal.name)).toEqual([
      'new_asn',
      'new_country',
    ]);
  });

  it('gives a new country the 0.4 weight on a fully established baseline', () => {
    const signals = noveltySignals(established, observation({ at: T0 + HOUR, network: { country: 'FR' } }), judged);
    expect(signals).toEqual([
      {
        name: 'new_country',
        score: 0.4 * ESTABLISHED,
        message: 'First country FR (1 known)',
        evidence: { value: 'FR', known: 1, seenWeight: 0, maturity: 0.97, ...judgedEvidence },
      },
    ]);
  });

  it('names the operator of a new ASN when the IP database knows it', () => {
    const signals = noveltySignals(
      established,
      observation({ at: T0 + HOUR, network: { asn: 15169, asnOrganization: 'Google LLC' } }),
      judged,
    );
    expect(signals).toEqual([
      {
        name: 'new_asn',
        score: 0.25 * ESTABLISHED,
        message: 'First network operator (ASN) 15169 (Google LLC) (1 known)',
        evidence: {
          value: '15169',
          organization: 'Google LLC',
          known: 1,
          seenWeight: 0,
          maturity: 0.97,
          ...judgedEvidence,
        },
      },
    ]);
  });

  it('scores a rarely used value at most ½ × the weight', () => {
    const profile = profileOf([...series(19, T0, 0), observation({ at: T0, client: { device: 'tablet' } })]);
    const signals = noveltySignals(profile, observation({ at: T0 + HOUR, client: { device: 'tablet' } }), judged);
    expect(signals).toHaveLength(1);
    const [signal] = signals;
    expect(signal?.name).toBe('new_device');
    expect(signal?.message).toBe('Rarely used device tablet');
    // share 1/20 → novelty 0.5 × (1 − 0.25) = 0.375, on the user's own network.
    expect(signal?.score).toBeCloseTo(0.3 * ESTABLISHED * 0.375 * OWN_NETWORK_CLIENT_FACTOR, 12);
    expect(signal?.score).toBeLessThanOrEqual(0.5 * NOVELTY_WEIGHTS.device);
    expect(signal?.evidence).toEqual({
      value: 'tablet',
      known: 2,
      seenWeight: 1,
      counted: OWN_NETWORK_CLIENT_FACTOR,
      countedBy: 'own network',
      maturity: 0.97,
      ...judgedEvidence,
    });
  });

  it('gives no signal for a value used a fifth of the time', () => {
    const profile = profileOf([...series(16, T0, 0), ...series(4, T0, 0, { client: { device: 'tablet' } })]);
    expect(noveltySignals(profile, observation({ at: T0 + HOUR, client: { device: 'tablet' } }), judged)).toEqual([]);
  });

  it('drops contributions below 0.01', () => {
    // 19 % of the browser history: novelty 0.025, × 0.12 ≈ 0.003.
    const profile = profileOf([...series(81, T0, 0), ...series(19, T0, 0, { client: { browser: 'edge' } })]);
    expect(noveltySignals(profile, observation({ at: T0 + HOUR, client: { browser: 'edge' } }), judged)).toEqual([]);
  });

  it('skips unknown values and private subnets', () => {
    const signals = noveltySignals(
      established,
      observation({
        at: T0 + HOUR,
        client: { device: null, browser: null, os: null },
        network: { ip: '10.0.0.5', subnet: '10.0.0.0/24', scope: 'private', asn: null, country: null },
      }),
      judged,
    );
    expect(signals).toEqual([]);
  });

  it('scales with a young baseline', () => {
    const young = profileOf(series(4, T0, 0));
    const signals = noveltySignals(
      young,
      observation({ at: T0 + HOUR, client: { device: 'phone' }, network: { asn: 64500, subnet: '81.2.70.0/24' } }),
      judged,
    );
    expect(signals.filter((signal) => signal.name === 'new_device')).toEqual([
      {
        name: 'new_device',
        score: 0.15,
        message: 'First device phone (1 known)',
        evidence: { value: 'phone', known: 1, seenWeight: 0, maturity: 0.5, ...judgedEvidence },
      },
    ]);
  });
});

describe('deviceAndNetworkSignal', () => {
  it('fires for a new device on a new ASN', () => {
    const signal = deviceAndNetworkSignal(
      established,
      observation({ at: T0 + HOUR, client: { device: 'desktop' }, network: { asn: 64500 } }),
      judged,
    );
    expect(signal).toEqual({
      name: 'new_device_on_new_network',
      score: 0.45 * ESTABLISHED,
      message: 'First device desktop from a first network operator (ASN) 64500',
      evidence: { device: 'desktop', asn: '64500', maturity: 0.97, ...judgedEvidence },
    });
  });

  it.each(['phone', 'phone/ios', 'tablet/android', 'mobile/android'])(
    'does not count a new ASN in a known country for a new %s, which comes with its own carrier',
    (device) => {
      const newPhone = observation({ at: T0 + HOUR, client: { device }, network: { asn: 64500 } });
      expect(deviceAndNetworkSignal(established, newPhone, judged)).toBeNull();
    },
  );

  it('fires for a new device in a new country on a known ASN', () => {
    const signal = deviceAndNetworkSignal(
      established,
      observation({ at: T0 + HOUR, client: { device: 'phone' }, network: { country: 'FR' } }),
      judged,
    );
    expect(signal?.message).toBe('First device phone from a first country FR');
    expect(signal?.evidence).toEqual({ device: 'phone', country: 'FR', maturity: 0.97, ...judgedEvidence });
  });

  it('names the ASN first when both are new', () => {
    const laptop = { ...stranger, client: { ...stranger.client, device: 'laptop/linux' } };
    expect(deviceAndNetworkSignal(established, laptop, judged)?.evidence).toEqual({
      device: 'laptop/linux',
      asn: '64500',
      maturity: 0.97,
      ...judgedEvidence,
    });
  });

  it('names the country for a new phone when both are new', () => {
    expect(deviceAndNetworkSignal(established, stranger, judged)?.evidence).toMatchObject({ country: 'US' });
  });

  it('does not fire for a new device on a known network (a new phone at home)', () => {
    expect(
      deviceAndNetworkSignal(established, observation({ at: T0 + HOUR, client: { device: 'phone' } }), judged),
    ).toBeNull();
  });

  it('does not fire for a new subnet alone', () => {
    expect(
      deviceAndNetworkSignal(
        established,
        observation({ at: T0 + HOUR, client: { device: 'phone' }, network: { subnet: '81.2.70.0/24' } }),
        judged,
      ),
    ).toBeNull();
  });

  it('does not fire for a known device on a new network (a laptop abroad)', () => {
    expect(
      deviceAndNetworkSignal(
        established,
        observation({ at: T0 + HOUR, network: { asn: 64500, country: 'US' } }),
        judged,
      ),
    ).toBeNull();
  });

  it('does not fire without a device or on a first login', () => {
    expect(
      deviceAndNetworkSignal(
        established,
        observation({ at: T0 + HOUR, client: { device: null }, network: { asn: 64500 } }),
        judged,
      ),
    ).toBeNull();
    expect(deviceAndNetworkSignal(emptyProfile(), stranger, judged)).toBeNull();
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
      fromRadiusKm: 0,
      fromSource: 'producer',
      toLat: NEW_YORK.lat,
      toLon: NEW_YORK.lon,
      toRadiusKm: 0,
      toSource: 'producer',
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
  const B = { client: { device: 'desktop' }, network: { subnet: '100.64.12.0/24' } };

  it('flags two computers, each on its own network, taking turns (A, B, A, B) within the hour', () => {
    const profile = profileOf([
      observation({ ...A, at: T0 }),
      observation({ ...B, at: T0 + 10 * MINUTE }),
      observation({ ...A, at: T0 + 20 * MINUTE }),
    ]);
    expect(velocitySignals(profile, observation({ ...B, at: T0 + 30 * MINUTE }))).toEqual([
      {
        name: 'session_sharing',
        score: 0.3,
        message: '3 switches between 2 computers on 2 networks within the hour',
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
        message: '6 switches between 2 computers on 2 networks within the hour',
        evidence: { switches: 6, devices: 2, subnets: 2, events: 7 },
      },
    ]);
  });

  it('does not flag a phone on mobile data taking turns with a laptop on Wi-Fi: one person', () => {
    const phone = { client: { device: 'phone/android' }, network: { subnet: '92.40.210.0/24' } };
    const turns = [A, phone, A].map((turn, index) => observation({ ...turn, at: T0 + index * 10 * MINUTE }));
    expect(velocitySignals(profileOf(turns), observation({ ...phone, at: T0 + 30 * MINUTE }))).toEqual([]);
  });

  it('does not flag a computer seen on both networks: one person moving', () => {
    const moved = { ...A, network: B.network };
    const turns = [A, B, moved].map((turn, index) => observation({ ...turn, at: T0 + index * 10 * MINUTE }));
    expect(velocitySignals(profileOf(turns), observation({ ...B, at: T0 + 30 * MINUTE }))).toEqual([]);
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
  const MONDAY = Date.UTC(2024, 0, 1);
  /** Six weeks of weekdays, two logins a day somewhere between 09:00 and 17:00 UTC: 60 events. */
  const officeDays = Array.from({ length: 42 }, (_, day) => day).filter((day) => day % 7 < 5);
  const office = profileOf(
    officeDays.flatMap((day) => [
      observation({ at: MONDAY + day * DAY + (9 + (day % 9)) * HOUR }),
      observation({ at: MONDAY + day * DAY + (17 - ((day * 4) % 9)) * HOUR + 30 * MINUTE }),
    ]),
  );
  const after = MONDAY + 42 * DAY;

  it('never fires on a steady office-hours user’s ordinary events, whatever the weekday', () => {
    const baseline = baselineOf(office);
    expect(baseline).toMatchObject({ events: 60, complete: true });
    for (let day = 0; day < 7; day += 1) {
      for (let minutes = 8 * 60; minutes <= 18 * 60; minutes += 15) {
        const at = after + day * DAY + minutes * MINUTE;
        expect(unusualHourSignal(office, observation({ at }), baseline)).toBeNull();
      }
    }
  });

  it('fires, weakly, at an hour of the day the user is never active, saying what judged it', () => {
    expect(unusualHourSignal(office, observation({ at: after + 3 * HOUR }), baselineOf(office))).toEqual({
      name: 'unusual_hour',
      score: 0.1,
      message: "Active at 03:00 UTC; 0% of this user's activity falls within 2 hours of it",
      evidence: {
        hourOfDay: 3,
        when: '03:00 UTC',
        share: 0,
        baseline: '60 events over 39 days',
        baselineEvents: 60,
        baselineDays: 39,
      },
    });
  });

  it('counts the hours around midnight as neighbours', () => {
    const nights = profileOf(series(40, Date.UTC(2024, 0, 1, 23), DAY / 2));
    expect(unusualHourSignal(nights, observation({ at: Date.UTC(2024, 1, 5, 1) }), baselineOf(nights))).toBeNull();
    expect(
      unusualHourSignal(nights, observation({ at: Date.UTC(2024, 1, 5, 4) }), baselineOf(nights))?.evidence.when,
    ).toBe('04:00 UTC');
  });

  it('waits for at least 30 events over 14 days, beyond the novelty baseline', () => {
    expect(HOUR_BASELINE_EVENTS).toBe(30);
    expect(HOUR_BASELINE_DAYS).toBe(14);
    const at = (profile: RiskProfile) =>
      unusualHourSignal(profile, observation({ at: T0 + 60 * DAY + 18 * HOUR }), baselineOf(profile));
    expect(at(profileOf(series(30, T0, DAY / 2)))?.name).toBe('unusual_hour'); // 30 events over 14.5 days
    expect(at(profileOf(series(29, T0, DAY)))).toBeNull();
    expect(at(profileOf(series(40, T0, 8 * HOUR)))).toBeNull(); // 13 days
    expect(unusualHourSignal(office, observation({ at: after + 3 * HOUR }), learning)).toBeNull();
  });

  it('does not flag an hour with a small but real share of the activity', () => {
    // 40 events around 09:00 and 2 at 03:00: about 5% of the activity is around 03:00.
    const profile = profileOf([...series(40, T0, DAY / 2), ...series(2, T0 + 3 * DAY - 6 * HOUR, DAY)]);
    expect(unusualHourSignal(profile, observation({ at: T0 + 30 * DAY - 6 * HOUR }), baselineOf(profile))).toBeNull();
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

  it('scores a run of failures low, from the third within the hour', () => {
    const profile = profileOf(failures(2));
    expect(
      failedLoginsSignal(profileOf(failures(1)), observation({ at: T0 + 2 * MINUTE, outcome: 'failure' })),
    ).toBeNull();
    expect(failedLoginsSignal(profile, observation({ at: T0 + 3 * MINUTE, outcome: 'failure' }))).toEqual({
      name: 'failed_logins',
      score: 0.1,
      message: '3 failed logins within the hour',
      evidence: { failures: 3, since: '2024-01-01T09:00:00.000Z' },
    });
    expect(
      failedLoginsSignal(profileOf(failures(4)), observation({ at: T0 + 5 * MINUTE, outcome: 'failure' }))?.score,
    ).toBe(0.2);
    expect(
      failedLoginsSignal(profileOf(failures(9)), observation({ at: T0 + 10 * MINUTE, outcome: 'failure' }))?.score,
    ).toBe(0.3);
    // Failures more than an hour old are not part of the run.
    expect(failedLoginsSignal(profile, observation({ at: T0 + HOUR + MINUTE + 1, outcome: 'failure' }))).toBeNull();
  });

  it('scores a sensitive change in the hour after a guessed login, and nothing else', () => {
    const guessed = profileOf([...failures(5), observation({ at: T0 + 6 * MINUTE, outcome: 'success' })]);
    expect(guessed.guessed).toEqual({ at: T0 + 6 * MINUTE, failures: 5 });
    expect(
      failedLoginsSignal(guessed, observation({ at: T0 + 8 * MINUTE, kind: 'password_change', outcome: null })),
    ).toEqual({
      name: 'failed_logins',
      score: 0.5,
      message: 'password_change 2 minutes after a login that followed 5 failed attempts',
      evidence: { action: 'password_change', failures: 5, loginAt: '2024-01-01T09:06:00.000Z' },
    });
    expect(failedLoginsSignal(guessed, observation({ at: T0 + 8 * MINUTE, kind: 'view', outcome: null }))).toBeNull();
    expect(failedLoginsSignal(guessed, observation({ at: T0 + 8 * MINUTE, outcome: 'success' }))).toBeNull();
    expect(
      failedLoginsSignal(
        guessed,
        observation({ at: T0 + 6 * MINUTE + HOUR + 1, kind: 'password_change', outcome: null }),
      ),
    ).toBeNull();
    // A success after a mistype or two is not a guessed login.
    const mistyped = profileOf([...failures(2), observation({ at: T0 + 3 * MINUTE, outcome: 'success' })]);
    expect(mistyped.guessed).toBeUndefined();
    expect(
      failedLoginsSignal(mistyped, observation({ at: T0 + 4 * MINUTE, kind: 'mfa_disabled', outcome: null })),
    ).toBeNull();
  });

  it('does not fire once a success has reset the count', () => {
    const profile = profileOf([...failures(3), observation({ at: T0 + 3 * MINUTE, outcome: 'success' })]);
    expect(failedLoginsSignal(profile, observation({ at: T0 + 4 * MINUTE, outcome: 'success' }))).toBeNull();
  });
});

describe('credentialStuffingSignal', () => {
  const login = observation({
    outcome: 'success',
    network: { ip: '198.51.99.7', subnet: '198.51.99.0/24', asn: 64500 },
  });
  const alone: SourceActivity = { accounts: 1, newcomers: 1, failing: 0, failingNewcomers: 0, usual: 0 };
  const activity = (sources: Partial<Pick<NetworkActivity, 'ip' | 'subnet' | 'asn'>>, ownNetwork = false) => ({
    ip: alone,
    subnet: alone,
    asn: alone,
    ...sources,
    ownNetwork,
    windowMs: 10 * MINUTE,
  });
  /** One IP failing across 37 of the 40 accounts it touched, none of which it is their own network. */
  const run: SourceActivity = { accounts: 40, newcomers: 40, failing: 37, failingNewcomers: 37, usual: 0 };

  it('scores a stuffing success high, naming what was counted', () => {
    expect(credentialStuffingSignal(activity({ ip: run }), login, judged)).toEqual({
      name: 'credential_stuffing',
      score: 0.85,
      message:
        'Login succeeded from IP 198.51.99.7, where 37 accounts new to it failed to log in within 10 minutes (it usually carries 0 accounts of its own)',
      evidence: {
        source: 'ip',
        network: '198.51.99.7',
        evidence: 'failing',
        outcome: 'success',
        accounts: 40,
        newAccounts: 40,
        failingAccounts: 37,
        failingNewAccounts: 37,
        usualAccounts: 0,
        windowMinutes: 10,
      },
    });
  });

  it('scores the run’s failures and unknown outcomes lower, whatever the baseline', () => {
    const failed = observation({ ...login, outcome: 'failure' });
    expect(credentialStuffingSignal(activity({ ip: run }), failed, learning)?.score).toBe(0.5);
    expect(credentialStuffingSignal(activity({ ip: run }), { ...login, outcome: null }, learning)?.score).toBe(0.6);
    expect(credentialStuffingSignal(activity({ ip: run }), login, learning)?.score).toBe(0.85);
  });

  it('stays quiet on a crowded network at its peak: hundreds of accounts, a few mistypes', () => {
    const peak: SourceActivity = { accounts: 300, newcomers: 4, failing: 9, failingNewcomers: 1, usual: 290 };
    expect(credentialStuffingSignal(activity({ ip: peak, subnet: peak, asn: peak }), login, judged)).toBeNull();
    expect(credentialStuffingSignal(activity({ ip: peak, subnet: peak }, true), login, judged)).toBeNull();
  });

  it('treats the user’s own network as evidence of safety', () => {
    expect(credentialStuffingSignal(activity({ ip: run }, true), login, judged)).toBeNull();
  });

  it('needs failures from most of the accounts new to the network, not a few among many', () => {
    const mixed: SourceActivity = { accounts: 60, newcomers: 30, failing: 14, failingNewcomers: 14, usual: 30 };
    expect(credentialStuffingSignal(activity({ subnet: mixed }), login, judged)).toBeNull();
    const mostly = { ...mixed, failing: 15, failingNewcomers: 15 };
    expect(credentialStuffingSignal(activity({ subnet: mostly }), login, judged)?.evidence.source).toBe('subnet');
  });

  const failingNew = (count: number): SourceActivity => ({
    accounts: count,
    newcomers: count,
    failing: count,
    failingNewcomers: count,
    usual: 0,
  });
  /** The same login from a hosting provider's address. */
  const hosted = observation({ ...login, network: { ...login.network, type: 'hosting' } });

  it('needs 5 failing newcomers on an IP, 10 on a subnet, 20 on an ASN', () => {
    const judge = (sources: Partial<NetworkActivity>) => credentialStuffingSignal(activity(sources), login, judged);
    expect(judge({ ip: failingNew(4) })).toBeNull();
    expect(judge({ ip: failingNew(5) })?.evidence).toMatchObject({ source: 'ip', evidence: 'failing' });
    expect(judge({ ip: failingNew(5) })?.score).toBe(0.85);
    expect(judge({ subnet: failingNew(9) })).toBeNull();
    expect(judge({ subnet: failingNew(10) })?.message).toMatch(
      /^Login succeeded from subnet 198\.51\.99\.0\/24, where 10 accounts new to it failed/,
    );
    expect(judge({ asn: failingNew(19) })).toBeNull();
    expect(judge({ asn: failingNew(20) })?.evidence.network).toBe('AS64500');
  });

  it('scores the first accounts of a run from a hosting, VPN or Tor address (2 on an IP, 3 on a subnet, 4 on an ASN) at 0.6', () => {
    const judge = (sources: Partial<NetworkActivity>, seen = hosted) =>
      credentialStuffingSignal(activity(sources), seen, judged);
    expect(judge({ ip: failingNew(1), subnet: failingNew(2), asn: failingNew(3) })).toBeNull();
    expect(judge({ ip: failingNew(2) })?.evidence).toMatchObject({ source: 'ip', evidence: 'early' });
    expect(judge({ ip: failingNew(2) })?.score).toBeCloseTo(0.6 * 0.85, 12);
    expect(judge({ subnet: failingNew(3) })?.evidence.source).toBe('subnet');
    expect(judge({ asn: failingNew(4) })?.evidence.source).toBe('asn');
    expect(judge({ ip: failingNew(4) })?.message).toMatch(/^Login succeeded from IP 198\.51\.99\.7, where 4 accounts/);
    const failure = observation({ ...hosted, outcome: 'failure' });
    expect(judge({ ip: failingNew(2) }, failure)?.score).toBeCloseTo(0.6 * 0.5, 12);
    // On an office or home network, a few accounts failing at once is ordinary (on their first days, it is new to each).
    expect(judge({ ip: failingNew(4) }, login)).toBeNull();
    // A few failures among many newcomers that succeed are mistypes on a busy network.
    expect(judge({ ip: { ...failingNew(2), newcomers: 6, accounts: 6 } })).toBeNull();
  });

  it('scores the first failure of an account never seen before from a hosting, VPN or Tor address as early', () => {
    const unseen = { events: 0, days: 0, complete: false };
    const failure = observation({ ...hosted, outcome: 'failure' });
    const signal = credentialStuffingSignal(activity({ ip: failingNew(1) }), failure, unseen);
    expect(signal?.score).toBeCloseTo(0.6 * 0.5, 12);
    expect(signal?.message).toMatch(/^Failed login from IP 198\.51\.99\.7, where 1 account new to it failed/);
    // Not once the account has a history, not a success, and not from an ordinary network.
    expect(credentialStuffingSignal(activity({ ip: failingNew(1) }), failure, learning)).toBeNull();
    expect(credentialStuffingSignal(activity({ ip: failingNew(1) }), hosted, unseen)).toBeNull();
    const home = observation({ ...login, outcome: 'failure' });
    expect(credentialStuffingSignal(activity({ ip: failingNew(1) }), home, unseen)).toBeNull();
  });

  it('flags, weakly, a surge of accounts new to a network far above its usual count, on a complete baseline', () => {
    const surge = (newcomers: number, usual: number): SourceActivity => ({
      accounts: newcomers,
      newcomers,
      failing: 0,
      failingNewcomers: 0,
      usual,
    });
    const signal = credentialStuffingSignal(activity({ ip: surge(12, 3) }), login, judged);
    expect(signal?.score).toBe(0.3);
    expect(signal?.message).toBe(
      'Login succeeded from IP 198.51.99.7, where 12 accounts new to it logged in within 10 minutes (it usually carries 3 accounts of its own)',
    );
    expect(signal?.evidence).toMatchObject({ evidence: 'surge', newAccounts: 12, usualAccounts: 3 });
    expect(credentialStuffingSignal(activity({ ip: surge(12, 3.1) }), login, judged)).toBeNull();
    expect(credentialStuffingSignal(activity({ ip: surge(9, 0) }), login, judged)).toBeNull();
    expect(credentialStuffingSignal(activity({ subnet: surge(20, 5) }), login, judged)?.evidence.source).toBe('subnet');
    // A user still learning has no network of their own yet: nothing is new to them.
    expect(credentialStuffingSignal(activity({ ip: surge(12, 3) }), login, learning)).toBeNull();
  });

  it('ignores networks the event does not have', () => {
    const none = { ip: null, subnet: null, asn: null, ownNetwork: false, windowMs: 10 * MINUTE };
    expect(credentialStuffingSignal(none, observation({ network: { ip: null, subnet: null } }), judged)).toBeNull();
  });

  it('reports the window in minutes', () => {
    const signal = credentialStuffingSignal({ ...activity({ ip: run }), windowMs: 5 * MINUTE }, login, judged);
    expect(signal?.message).toContain('within 5 minutes');
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
