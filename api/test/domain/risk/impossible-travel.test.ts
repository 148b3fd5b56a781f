import { describe, expect, it } from 'vitest';
import { countryPlace } from '../../../src/domain/risk/country-place.ts';
import type { NetworkFacts } from '../../../src/domain/risk/observation.ts';
import { impossibleTravelSignal } from '../../../src/domain/risk/signals/impossible-travel.ts';
import { BERLIN, HOUR, MINUTE, NEW_YORK, observation, profileOf, T0 } from './fixtures.ts';

/** An address placed only by its country: the country's centre and radius. */
function inCountry(country: string, extra: Partial<NetworkFacts> = {}): Partial<NetworkFacts> {
  const place = countryPlace(country);
  if (place === null) throw new Error(`no place for ${country}`);
  return {
    country,
    city: null,
    lat: place.lat,
    lon: place.lon,
    radiusKm: place.radiusKm,
    placeSource: 'country',
    ...extra,
  };
}

const atHomeInGermany = profileOf([observation({ at: T0, network: inCountry('DE') })]);

describe('impossible travel between places known to a radius', () => {
  it('fires for Germany → Nigeria within an hour, less both countries’ radii, naming radii and sources', () => {
    const signal = impossibleTravelSignal(atHomeInGermany, observation({ at: T0 + HOUR, network: inCountry('NG') }));
    expect(signal?.name).toBe('impossible_travel');
    const { km, leastKm } = (signal?.evidence ?? {}) as { km: number; leastKm: number };
    const radii = (countryPlace('DE')?.radiusKm ?? 0) + (countryPlace('NG')?.radiusKm ?? 0);
    expect(leastKm).toBeCloseTo(km - radii, -1);
    expect(signal?.evidence).toMatchObject({
      fromRadiusKm: countryPlace('DE')?.radiusKm,
      toRadiusKm: countryPlace('NG')?.radiusKm,
      fromSource: 'country',
      toSource: 'country',
      from: 'DE',
      to: 'NG',
    });
    expect(signal?.message).toMatch(/^At least \d+ km \(\d+ km between places known to \d+ and \d+ km\) from DE to NG/);
  });

  it('never fires between neighbours whose circles overlap, even at once', () => {
    expect(impossibleTravelSignal(atHomeInGermany, observation({ at: T0, network: inCountry('FR') }))).toBeNull();
    expect(impossibleTravelSignal(atHomeInGermany, observation({ at: T0, network: inCountry('NL') }))).toBeNull();
  });

  it('judges the least distance: Germany → United States is impossible in three hours, possible in a day', () => {
    expect(
      impossibleTravelSignal(atHomeInGermany, observation({ at: T0 + 3 * HOUR, network: inCountry('US') })),
    ).not.toBeNull();
    expect(
      impossibleTravelSignal(atHomeInGermany, observation({ at: T0 + 24 * HOUR, network: inCountry('US') })),
    ).toBeNull();
  });

  it('mixes a producer’s exact point with a country’s circle', () => {
    const inBerlin = profileOf([observation({ at: T0, network: BERLIN })]);
    const signal = impossibleTravelSignal(inBerlin, observation({ at: T0 + HOUR, network: inCountry('NG') }));
    expect(signal?.evidence).toMatchObject({ fromRadiusKm: 0, fromSource: 'producer', toSource: 'country' });
    expect(signal?.evidence.leastKm).toBe((signal?.evidence.km as number) - (countryPlace('NG')?.radiusKm as number));
  });

  it('treats a place stored before radii as exact', () => {
    const stored = profileOf([observation({ at: T0, network: BERLIN })]);
    expect(stored.lastPlace).not.toHaveProperty('radiusKm');
    expect(impossibleTravelSignal(stored, observation({ at: T0 + HOUR, network: NEW_YORK }))?.evidence).toMatchObject({
      fromRadiusKm: 0,
      fromSource: 'producer',
    });
  });
});

describe('impossible travel and anonymisers', () => {
  it.each(['hosting', 'vpn', 'tor'] as const)('skips an event on a %s network, whatever its place', (type) => {
    const exit = { ...NEW_YORK, type, typeSource: 'test' };
    expect(impossibleTravelSignal(atHomeInGermany, observation({ at: T0 + MINUTE, network: exit }))).toBeNull();
  });

  it('does not move the user’s place to an anonymiser’s: the trip home afterwards is no travel', () => {
    const viaVpn = profileOf([
      observation({ at: T0, network: inCountry('DE') }),
      observation({ at: T0 + 10 * MINUTE, network: inCountry('US', { type: 'vpn', typeSource: 'test' }) }),
    ]);
    expect(viaVpn.lastPlace).toMatchObject({ country: 'DE', at: T0 });
    expect(impossibleTravelSignal(viaVpn, observation({ at: T0 + 20 * MINUTE, network: inCountry('DE') }))).toBeNull();
    // A real jump after the VPN is still measured from the last trusted place.
    expect(impossibleTravelSignal(viaVpn, observation({ at: T0 + HOUR, network: inCountry('NG') }))).not.toBeNull();
  });

  it('skips a mobile carrier’s address placed by the lookup (roaming phones keep their home addresses)', () => {
    const roaming = inCountry('US', { type: 'mobile', typeSource: 'test' });
    expect(impossibleTravelSignal(atHomeInGermany, observation({ at: T0 + MINUTE, network: roaming }))).toBeNull();
    expect(profileOf([observation({ at: T0, network: roaming })]).lastPlace).toBeNull();
  });

  it('skips a phone or tablet placed by the lookup on a carrier that looks like an ISP (roaming data is routed home)', () => {
    const travelling = profileOf([observation({ at: T0, network: inCountry('AU') })]);
    const phoneAtHomeCarrier = { client: { device: 'phone/ios' }, network: inCountry('ES') };
    expect(impossibleTravelSignal(travelling, observation({ at: T0 + HOUR, ...phoneAtHomeCarrier }))).toBeNull();
    expect(profileOf([observation({ at: T0, ...phoneAtHomeCarrier })]).lastPlace).toBeNull();
    const tablet = { client: { device: 'tablet/android' }, network: inCountry('ES') };
    expect(impossibleTravelSignal(travelling, observation({ at: T0 + HOUR, ...tablet }))).toBeNull();
    // The laptop on the same line is still judged.
    expect(impossibleTravelSignal(travelling, observation({ at: T0 + HOUR, network: inCountry('ES') }))).not.toBeNull();
  });

  it('still judges a phone on a mobile network by the producer’s own coordinates', () => {
    const phone = { ...NEW_YORK, type: 'mobile' as const, typeSource: 'test', placeSource: 'producer' as const };
    const inBerlin = profileOf([observation({ at: T0, network: BERLIN })]);
    expect(impossibleTravelSignal(inBerlin, observation({ at: T0 + HOUR, network: phone }))).not.toBeNull();
  });
});

describe('impossible travel back home', () => {
  const home = { ...BERLIN, asn: 3320, subnet: '81.2.69.0/24' };
  const away = { ...NEW_YORK, ip: '24.0.12.9', asn: 7922, subnet: '24.0.12.0/24' };
  const owner = profileOf(
    Array.from({ length: 10 }, (_, index) => observation({ at: T0 + index * HOUR, network: home })),
  );
  const afterFarLogin = profileOf([observation({ at: T0 + 10 * HOUR, outcome: 'success', network: away })], owner);

  it('judges the far login, not the owner’s return to an older way of showing up', () => {
    expect(
      impossibleTravelSignal(owner, observation({ at: T0 + 10 * HOUR, outcome: 'success', network: away }))?.name,
    ).toBe('impossible_travel');
    expect(impossibleTravelSignal(afterFarLogin, observation({ at: T0 + 11 * HOUR, network: home }))).toBeNull();
  });

  it('judges going back to the newer, far place again', () => {
    const back = profileOf([observation({ at: T0 + 11 * HOUR, network: home })], afterFarLogin);
    const again = impossibleTravelSignal(back, observation({ at: T0 + 12 * HOUR, network: away }));
    expect(again?.name).toBe('impossible_travel');
  });

  it('needs the return to be near the older persona’s place: a national ISP spans the country', () => {
    const munich = { ...home, lat: 48.1351, lon: 11.582, city: 'Munich' };
    const signal = impossibleTravelSignal(afterFarLogin, observation({ at: T0 + 11 * HOUR, network: munich }));
    expect(signal?.name).toBe('impossible_travel');
  });
});
