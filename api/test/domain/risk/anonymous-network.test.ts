import { describe, expect, it } from 'vitest';
import type { NetworkType } from '../../../src/domain/risk/network-type.ts';
import type { NetworkFacts } from '../../../src/domain/risk/observation.ts';
import { emptyProfile, type RiskProfile, upgradeProfile, weightsOf } from '../../../src/domain/risk/profile.ts';
import {
  ANONYMOUS_NETWORK_WEIGHTS,
  anonymousNetworkSignal,
} from '../../../src/domain/risk/signals/anonymous-network.ts';
import { maturity } from '../../../src/domain/risk/signals/novelty.ts';
import { DAY, HOUR, observation, profileOf, series, T0 } from './fixtures.ts';

const VPN_EXIT: Partial<NetworkFacts> = {
  ip: '2.58.36.10',
  subnet: '2.58.36.0/24',
  asn: 136787,
  asnOrganization: 'PacketHub S.A.',
  type: 'vpn',
  typeSource: 'asn-table:AS136787',
};
const on = (type: NetworkType, typeSource = `test:${type}`): Partial<NetworkFacts> => ({
  ...VPN_EXIT,
  type,
  typeSource,
});

/** Twenty days of logins from the home ISP: an established baseline that never used an anonymiser. */
const atHome = profileOf(series(20, T0, DAY));
const later = T0 + 20 * DAY + HOUR;

describe('anonymousNetworkSignal', () => {
  it('scores a first VPN address on an established account at about 0.6 × its maturity, with its evidence', () => {
    const signal = anonymousNetworkSignal(atHome, observation({ at: later, network: VPN_EXIT }));
    expect(signal?.name).toBe('anonymous_network');
    expect(signal?.score).toBeCloseTo(0.6 * maturity(atHome), 6);
    expect(signal?.score).toBeGreaterThan(0.5);
    expect(signal?.evidence).toEqual({
      type: 'vpn',
      source: 'asn-table:AS136787',
      asn: 136787,
      organization: 'PacketHub S.A.',
      typeWeight: 0,
      anonymousShare: 0,
      newOperator: false,
      maturity: Math.round(maturity(atHome) * 100) / 100,
    });
    expect(signal?.message).toBe('First VPN address (AS136787 PacketHub S.A.) on an account that never used one');
  });

  it('weighs Tor strongest, then VPN, then hosting', () => {
    const score = (type: NetworkType) =>
      anonymousNetworkSignal(atHome, observation({ at: later, network: on(type) }))?.score;
    expect(score('tor')).toBeGreaterThan(score('vpn') as number);
    expect(score('vpn')).toBeGreaterThan(score('hosting') as number);
    expect(ANONYMOUS_NETWORK_WEIGHTS.tor).toBeLessThanOrEqual(0.7);
  });

  it('takes half as much from an operator’s name alone', () => {
    const listed = anonymousNetworkSignal(
      atHome,
      observation({ at: later, network: on('hosting', 'list:bad-asn-list') }),
    );
    const named = anonymousNetworkSignal(atHome, observation({ at: later, network: on('hosting', 'keyword:hosting') }));
    expect(named?.score).toBeCloseTo((listed?.score as number) / 2, 6);
  });

  it.each(['mobile', 'business', 'isp', 'unknown', null] as const)('says nothing of a %s network', (type) => {
    expect(anonymousNetworkSignal(atHome, observation({ at: later, network: { type } }))).toBeNull();
  });

  it('says nothing on a first login: there is no history to differ from', () => {
    expect(anonymousNetworkSignal(emptyProfile(), observation({ network: VPN_EXIT }))).toBeNull();
  });

  it('says nothing to a user who habitually connects through a VPN or a hosted (corporate) gateway', () => {
    const alwaysVpn = profileOf(series(20, T0, DAY, { network: VPN_EXIT }));
    expect(anonymousNetworkSignal(alwaysVpn, observation({ at: later, network: VPN_EXIT }))).toBeNull();
    // Hosting, VPN and Tor are one habit: the lists cannot always tell a VPN's exit from its hoster.
    const corporate = profileOf([
      ...series(10, T0, 2 * DAY),
      ...series(10, T0 + DAY, 2 * DAY, { network: on('hosting') }),
    ]);
    expect(anonymousNetworkSignal(corporate, observation({ at: later, network: VPN_EXIT }))).toBeNull();
  });

  it('scores an operator new to a user whose habit is another at 0.6 of a first anonymiser', () => {
    const alwaysVpn = profileOf(series(20, T0, DAY, { network: VPN_EXIT }));
    const hoster = {
      ip: '104.131.233.210',
      subnet: '104.131.233.0/24',
      asn: 14061,
      asnOrganization: 'DigitalOcean, LLC',
    };
    const elsewhere = observation({ at: later, network: { ...on('hosting', 'asn-table:AS14061'), ...hoster } });
    const signal = anonymousNetworkSignal(alwaysVpn, elsewhere);
    expect(signal?.score).toBeCloseTo((ANONYMOUS_NETWORK_WEIGHTS.hosting ?? 0) * maturity(alwaysVpn) * 0.6, 6);
    expect(signal?.evidence).toMatchObject({ asn: 14061, anonymousShare: 1, newOperator: true });
    expect(signal?.message).toBe(
      'A hosting address (AS14061 DigitalOcean, LLC) of an operator this account never used, on an account that habitually uses others (100% of its history)',
    );
  });

  it('scores a rarely used anonymiser at most half as much, saying how rare', () => {
    const once = profileOf([...series(19, T0, DAY), observation({ at: T0 + 19 * DAY, network: VPN_EXIT })]);
    const first = anonymousNetworkSignal(atHome, observation({ at: later, network: VPN_EXIT }));
    const again = anonymousNetworkSignal(once, observation({ at: later, network: VPN_EXIT }));
    expect(again?.score).toBeGreaterThan(0);
    expect(again?.score).toBeLessThanOrEqual((first?.score as number) / 2);
    expect(again?.evidence.typeWeight).toBeGreaterThan(0.9);
    expect(again?.evidence.anonymousShare).toBeGreaterThan(0);
    expect(again?.message).toMatch(
      /^Rarely used VPN address \(AS136787 PacketHub S\.A\.\): \d+% of the account's history/,
    );
  });
});

describe('the network type tally', () => {
  it('counts each event’s network type like the other habits, and failed logins not at all', () => {
    const profile = profileOf([
      observation({ at: T0 }),
      observation({ at: T0, network: VPN_EXIT }),
      observation({ at: T0, network: on('tor'), outcome: 'failure' }),
      observation({ at: T0, network: { type: null } }),
    ]);
    expect(weightsOf(profile.networkTypes ?? [])).toEqual({ isp: 1, vpn: 1 });
  });

  it('starts empty for a profile stored before network types were tallied', () => {
    const { networkTypes: _, ...stored } = atHome;
    const upgraded = upgradeProfile(JSON.parse(JSON.stringify(stored)) as RiskProfile);
    // Without a tally every earlier event counts as "not anonymising": a VPN is new to it.
    expect(anonymousNetworkSignal(upgraded, observation({ at: later, network: VPN_EXIT }))?.evidence).toMatchObject({
      anonymousShare: 0,
    });
    const next = profileOf([observation({ at: later, network: VPN_EXIT })], upgraded);
    expect(weightsOf(next.networkTypes ?? [])).toEqual({ vpn: 1 });
  });
});
