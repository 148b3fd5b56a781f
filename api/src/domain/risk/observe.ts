import type { NormalizedEvent } from '../event-input.ts';
import { ipScope } from './network.ts';
import type { ClientFacts, Observation } from './observation.ts';
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
      country: context.country ?? found?.country ?? null,
      city: context.city ?? found?.city ?? null,
      lat: context.lat ?? found?.lat ?? null,
      lon: context.lon ?? found?.lon ?? null,
      asn: context.asn ?? found?.asn ?? null,
      // The database's operator name only describes the database's own ASN.
      asnOrganization: context.asn === null || context.asn === found?.asn ? (found?.asnOrganization ?? null) : null,
    },
  };
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
