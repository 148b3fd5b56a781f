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
    client: {
      browser: tokens.browser ?? agent?.browser ?? null,
      browserMajor: agent?.browserMajor ?? null,
      os: tokens.os ?? agent?.os ?? null,
      osVersion: agent?.osVersion ?? null,
      device: tokens.device ?? (agent === null ? null : deviceFromAgent(agent)),
    },
    network: {
      ip: event.ip,
      subnet: tokens.ipClass,
      scope,
      country: context.country ?? found?.country ?? null,
      city: context.city ?? found?.city ?? null,
      lat: context.lat ?? found?.lat ?? null,
      lon: context.lon ?? found?.lon ?? null,
      asn: context.asn ?? found?.asn ?? null,
    },
  };
}

/**
 * A user agent's device type alone ("desktop") cannot tell a user's laptop from
 * an attacker's: with the OS family ("desktop/windows", "mobile/ios") it is as
 * close to "which device" as a user agent gets.
 */
function deviceFromAgent(agent: ClientFacts): string | null {
  if (agent.device === null) return null;
  return agent.os === null ? agent.device : `${agent.device}/${agent.os}`;
}
