import { describe, expect, it } from 'vitest';
import { EMPTY_CONTEXT, type EventContext, type NormalizedEvent } from '../../../src/domain/event-input.ts';
import { COUNTRY_CENTROIDS } from '../../../src/domain/risk/country-centroids.ts';
import { type GeoFacts, type GeoLookup, NO_GEO, observe } from '../../../src/domain/risk/observe.ts';
import type { TokenSet } from '../../../src/domain/tokens.ts';
import { T0 } from './fixtures.ts';

const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

const NO_TOKENS: TokenSet = { browser: null, os: null, device: null, ipClass: null };

function event(
  overrides: { ip?: string | null; tokens?: Partial<TokenSet>; context?: Partial<EventContext> } = {},
): NormalizedEvent {
  return {
    userId: 'alice',
    kind: 'login',
    eventId: null,
    timestamp: null,
    ip: overrides.ip === undefined ? '8.8.8.8' : overrides.ip,
    tokens: { ...NO_TOKENS, ipClass: '8.8.8.0/24', ...overrides.tokens },
    meta: {},
    context: { ...EMPTY_CONTEXT, ...overrides.context },
  };
}

const GOOGLE: GeoFacts = {
  country: 'US',
  city: 'Mountain View',
  lat: 37.386,
  lon: -122.0838,
  asn: 15169,
  asnOrganization: 'Google LLC',
  networkType: { type: 'hosting', source: 'asn-table:AS15169' },
};

/** A lookup that answers GOOGLE for every address and remembers what it was asked. */
function recordingLookup(answer: GeoFacts | null = GOOGLE): GeoLookup & { calls: string[] } {
  const calls: string[] = [];
  const lookup = (ip: string) => {
    calls.push(ip);
    return answer;
  };
  return Object.assign(lookup, { calls });
}

describe('observe', () => {
  it('copies the identity, time, kind and outcome', () => {
    const observation = observe(event({ context: { outcome: 'failure' } }), T0, NO_GEO);
    expect(observation.userId).toBe('alice');
    expect(observation.at).toBe(T0);
    expect(observation.kind).toBe('login');
    expect(observation.outcome).toBe('failure');
  });

  it('reads the client from the user agent when the producer sent no tokens', () => {
    const observation = observe(event({ context: { userAgent: CHROME_WINDOWS } }), T0, NO_GEO);
    expect(observation.client).toEqual({
      browser: 'chrome',
      browserMajor: '124',
      os: 'windows',
      osVersion: '10',
      // The device type is qualified by the OS family.
      device: 'desktop/windows',
    });
  });

  it('lets the producer’s tokens win over the user agent', () => {
    const observation = observe(
      event({
        tokens: { browser: 'edge', os: 'windows 11', device: 'work-laptop' },
        context: { userAgent: CHROME_WINDOWS },
      }),
      T0,
      NO_GEO,
    );
    expect(observation.client.browser).toBe('edge');
    expect(observation.client.os).toBe('windows 11');
    expect(observation.client.device).toBe('work-laptop/windows 11');
  });

  it('fills only the tokens the producer left out from the user agent', () => {
    const observation = observe(
      event({ tokens: { device: 'work-laptop' }, context: { userAgent: CHROME_WINDOWS } }),
      T0,
      NO_GEO,
    );
    expect(observation.client).toEqual({
      browser: 'chrome',
      browserMajor: '124',
      os: 'windows',
      osVersion: '10',
      device: 'work-laptop/windows',
    });
  });

  it('qualifies the user agent’s device type with the producer’s OS', () => {
    const observation = observe(event({ tokens: { os: 'linux' }, context: { userAgent: CHROME_WINDOWS } }), T0, NO_GEO);
    expect(observation.client.os).toBe('linux');
    expect(observation.client.device).toBe('desktop/linux');
  });

  it('keeps a bare device type when no OS is known', () => {
    expect(observe(event({ tokens: { device: 'laptop' } }), T0, NO_GEO).client).toEqual({
      browser: null,
      browserMajor: null,
      os: null,
      osVersion: null,
      device: 'laptop',
    });
  });

  it('leaves the device unknown when only the OS is known', () => {
    const observation = observe(event({ tokens: { os: 'linux', browser: 'firefox' } }), T0, NO_GEO);
    expect(observation.client).toEqual({
      browser: 'firefox',
      browserMajor: null,
      os: 'linux',
      osVersion: null,
      device: null,
    });
  });

  it('knows nothing about the client without tokens or user agent', () => {
    expect(observe(event(), T0, NO_GEO).client).toEqual({
      browser: null,
      browserMajor: null,
      os: null,
      osVersion: null,
      device: null,
    });
  });

  it('looks a public address up once and uses what it finds', () => {
    const lookup = recordingLookup();
    const observation = observe(event(), T0, lookup);
    expect(lookup.calls).toEqual(['8.8.8.8']);
    expect(observation.network).toEqual({
      ip: '8.8.8.8',
      subnet: '8.8.8.0/24',
      scope: 'public',
      country: 'US',
      city: 'Mountain View',
      lat: 37.386,
      lon: -122.0838,
      asn: 15169,
      asnOrganization: 'Google LLC',
      type: 'hosting',
      typeSource: 'asn-table:AS15169',
      radiusKm: 50,
      placeSource: 'database',
    });
  });

  it('lets the producer’s country, city, ASN and coordinates win over the lookup, field by field', () => {
    const lookup = recordingLookup();
    const all = observe(
      event({ context: { country: 'DE', city: 'Berlin', asn: 3320, lat: 52.52, lon: 13.405 } }),
      T0,
      lookup,
    );
    expect(all.network).toMatchObject({ country: 'DE', city: 'Berlin', asn: 3320, lat: 52.52, lon: 13.405 });
    // The database's operator name belongs to its own ASN, not the producer's.
    expect(all.network.asnOrganization).toBeNull();
    const same = observe(event({ context: { asn: 15169 } }), T0, lookup);
    expect(same.network.asnOrganization).toBe('Google LLC');
    const some = observe(event({ context: { country: 'DE', asn: 3320 } }), T0, lookup);
    expect(some.network).toMatchObject({
      country: 'DE',
      asn: 3320,
      city: 'Mountain View',
      lat: 37.386,
      lon: -122.0838,
    });
  });

  it('keeps the producer’s facts when the lookup knows nothing, placing the address at its country’s centre', () => {
    const observation = observe(event({ context: { country: 'FR' } }), T0, recordingLookup(null));
    expect(observation.network).toMatchObject({
      country: 'FR',
      city: null,
      lat: COUNTRY_CENTROIDS.FR?.[0],
      lon: COUNTRY_CENTROIDS.FR?.[1],
      radiusKm: COUNTRY_CENTROIDS.FR?.[2],
      placeSource: 'country',
      asn: null,
      asnOrganization: null,
      type: 'unknown',
      typeSource: null,
    });
  });

  it('places a public address without coordinates at the centre of its country, with the country’s radius', () => {
    const observation = observe(event(), T0, recordingLookup({ ...GOOGLE, lat: null, lon: null, city: null }));
    expect(observation.network).toMatchObject({ country: 'US', placeSource: 'country', type: 'hosting' });
    expect(observation.network.radiusKm).toBeGreaterThan(1000);
    // Somewhere in the contiguous United States.
    expect(observation.network.lat).toBeGreaterThan(30);
    expect(observation.network.lat).toBeLessThan(45);
    expect(observation.network.lon).toBeGreaterThan(-105);
    expect(observation.network.lon).toBeLessThan(-80);
  });

  it('takes the producer’s network type over the lists’, for any address', () => {
    const sent = (ip: string) => observe(event({ ip, context: { networkType: 'vpn' } }), T0, recordingLookup());
    expect(sent('8.8.8.8').network).toMatchObject({ type: 'vpn', typeSource: 'producer' });
    expect(sent('10.1.2.3').network).toMatchObject({ type: 'vpn', typeSource: 'producer' });
  });

  it('keeps the lists’ type only for the database’s own ASN, unless it came from the address itself', () => {
    const other = observe(event({ context: { asn: 3320 } }), T0, recordingLookup());
    expect(other.network).toMatchObject({ asn: 3320, type: 'unknown', typeSource: 'producer-asn:AS3320' });
    const exit = recordingLookup({ ...GOOGLE, networkType: { type: 'vpn', source: 'list:x4bnet-vpn-ipv4' } });
    expect(observe(event({ context: { asn: 3320 } }), T0, exit).network).toMatchObject({ type: 'vpn' });
  });

  it.each([
    ['10.1.2.3', 'private'],
    ['192.168.1.1', 'private'],
    ['fd00::1', 'private'],
    ['100.64.0.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['203.0.113.5', 'reserved'],
  ] as const)('never looks up %s (%s)', (ip, scope) => {
    const lookup = recordingLookup();
    const observation = observe(event({ ip, tokens: { ipClass: null } }), T0, lookup);
    expect(lookup.calls).toEqual([]);
    expect(observation.network.scope).toBe(scope);
    expect(observation.network).toMatchObject({ country: null, city: null, lat: null, lon: null, asn: null });
  });

  it('still takes the producer’s place for a private address', () => {
    const lookup = recordingLookup();
    const observation = observe(
      event({
        ip: '10.1.2.3',
        tokens: { ipClass: '10.1.2.0/24' },
        context: { country: 'DE', lat: 52.52, lon: 13.405 },
      }),
      T0,
      lookup,
    );
    expect(lookup.calls).toEqual([]);
    expect(observation.network).toEqual({
      ip: '10.1.2.3',
      subnet: '10.1.2.0/24',
      scope: 'private',
      country: 'DE',
      city: null,
      lat: 52.52,
      lon: 13.405,
      asn: null,
      asnOrganization: null,
      type: null,
      typeSource: null,
      radiusKm: 0,
      placeSource: 'producer',
    });
  });

  it('has no scope and asks nothing without an address', () => {
    const lookup = recordingLookup();
    const observation = observe(event({ ip: null, tokens: { ipClass: null } }), T0, lookup);
    expect(lookup.calls).toEqual([]);
    expect(observation.network).toEqual({
      ip: null,
      subnet: null,
      scope: null,
      country: null,
      city: null,
      lat: null,
      lon: null,
      asn: null,
      asnOrganization: null,
      type: null,
      typeSource: null,
      radiusKm: null,
      placeSource: null,
    });
  });

  it('NO_GEO knows nothing', () => {
    expect(NO_GEO('8.8.8.8')).toBeNull();
  });
});
