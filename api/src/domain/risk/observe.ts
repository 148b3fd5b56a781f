import type { NormalizedEvent } from '../event-input.ts';
import { countryPlace } from './country-place.ts';
import { ipScope } from './network.ts';
import type { NetworkClass } from './network-type.ts';
import type { ClientFacts, IpScope, NetworkFacts, Observation } from './observation.ts';
import { cachedUserAgent } from './user-agent.ts';

/** What an offline database knows about a public address. */
export interface GeoFacts {
  country: string | null;
  city: string | null;
  lat: number | null;
  lon: number | null;
  asn: number | null;
  /** The ASN's registered operator, e.g. `Deutsche Telekom AG`. */
  asnOrganization: string | null;
  /** How far from lat/lon the address may be, in km (city level when absent). */
  radiusKm?: number;
  /** The network's type by the address and the database's ASN; absent where no network lists are loaded. */
  networkType?: NetworkClass;
}

export type GeoLookup = (ip: string) => GeoFacts | null;

export const NO_GEO: GeoLookup = () => null;

/**
 * The v2 view of an event. The producer's explicit tokens win over the user
 * agent (they are what the legacy model and the user's history were built
 * on), the user agent fills what they leave out; producer-sent place and ASN
 * win over the lookup, field by field.
 */
export function observe(event: NormalizedEvent, at: number, geo: GeoLookup): Observation {
  const { tokens, context } = event;
  const agent: ClientFacts | null = context.userAgent === null ? null : cachedUserAgent(context.userAgent);
  const scope = event.ip === null ? null : ipScope(event.ip);
  const found = event.ip !== null && scope === 'public' ? geo(event.ip) : null;
  const country = context.country ?? found?.country ?? null;
  return {
    userId: event.userId,
    at,
    kind: event.kind,
    outcome: context.outcome,
    client: clientFacts(tokens.browser, tokens.os, tokens.device, agent),
    network: {
      ip: event.ip,
      subnet: tokens.ipClass,
      scope,
      country,
      city: context.city ?? found?.city ?? null,
      asn: context.asn ?? found?.asn ?? null,
      // The database's operator name only describes the database's own ASN.
      asnOrganization: context.asn === null || context.asn === found?.asn ? (found?.asnOrganization ?? null) : null,
      ...location(context.lat, context.lon, found, country),
      ...networkType(event, scope, found),
    },
  };
}

/** City level: no address database places an address closer than this. */
const DATABASE_RADIUS_KM = 50;

/**
 * The producer's coordinates, else the address database's, else the centre of
 * the country (the producer's or the database's) with a radius covering it.
 */
function location(
  lat: number | null,
  lon: number | null,
  found: GeoFacts | null,
  country: string | null,
): Pick<NetworkFacts, 'lat' | 'lon' | 'radiusKm' | 'placeSource'> {
  if (lat !== null && lon !== null) return { lat, lon, radiusKm: 0, placeSource: 'producer' };
  if (found !== null && found.lat !== null && found.lon !== null)
    return { lat: found.lat, lon: found.lon, radiusKm: found.radiusKm ?? DATABASE_RADIUS_KM, placeSource: 'database' };
  const centre = country === null ? null : countryPlace(country);
  if (centre === null) return { lat: null, lon: null, radiusKm: null, placeSource: null };
  return { lat: centre.lat, lon: centre.lon, radiusKm: centre.radiusKm, placeSource: 'country' };
}

/**
 * The producer's `meta.network_type` wins; else the lists' verdict for a
 * public address, unless the producer named another ASN than the database's
 * (the verdict was about the database's).
 */
function networkType(
  event: NormalizedEvent,
  scope: IpScope | null,
  found: GeoFacts | null,
): Pick<NetworkFacts, 'type' | 'typeSource'> {
  const { networkType: sent, asn } = event.context;
  if (sent !== null) return { type: sent, typeSource: 'producer' };
  if (scope !== 'public') return { type: null, typeSource: null };
  const verdict = found?.networkType;
  if (verdict === undefined) return { type: 'unknown', typeSource: null };
  if (asn !== null && asn !== found?.asn && verdict.source !== 'list:x4bnet-vpn-ipv4')
    return { type: 'unknown', typeSource: `producer-asn:AS${asn}` };
  return { type: verdict.type, typeSource: verdict.source };
}

/**
 * A device type alone ("desktop", "laptop") cannot tell a user's laptop from
 * an attacker's: with the OS family ("desktop/windows", "mobile/ios") it is as
 * close to "which device" as a user agent or the legacy tokens get.
 */
function clientFacts(
  browser: string | null,
  os: string | null,
  device: string | null,
  agent: ClientFacts | null,
): ClientFacts {
  const family = os ?? agent?.os ?? null;
  const type = device ?? agent?.device ?? null;
  return {
    browser: browser ?? agent?.browser ?? null,
    browserMajor: agent?.browserMajor ?? null,
    os: family,
    osVersion: agent?.osVersion ?? null,
    device: type === null ? null : family === null ? type : `${type}/${family}`,
  };
}
