import type { NormalizedEvent } from '../domain/event-input.ts';
import { countryPlace } from '../domain/risk/country-place.ts';
import type { NetworkType } from '../domain/risk/network-type.ts';
import { type GeoLookup, NO_GEO, observe } from '../domain/risk/observe.ts';
import type { Event } from '../generated/prisma/client.ts';
import type { CityLookup } from '../storage/city-database.ts';
import { parseStored, type StoredEventRow } from '../storage/consistency.ts';

/** The network an event came from and where, as the risk model saw it, with a city where one is known. */
export interface EventNetwork {
  /** Null for an event without a public address (none sent, or a private, loopback or reserved one). */
  type: NetworkType | null;
  asn: number | null;
  asnOrganization: string | null;
  country: string | null;
  city: string | null;
  /** How far from the named city the client may be, in km; null when no city is named. */
  radiusKm: number | null;
}

/**
 * How far from a DB-IP Lite city an address may really be. The data names a
 * city without any accuracy: an access network's addresses are often placed
 * at the operator's hub rather than the subscriber's town, so a city and its
 * commuter belt, never more than the country's own radius. A mobile carrier's
 * city gets the country's radius.
 */
export const CITY_RADIUS_KM = 100;

export interface Coordinates {
  lat: number;
  lon: number;
}

/** An event as a SIEM correlates it: who connected from where, with what, and how it went. */
export interface EventSource {
  ip: string | null;
  userAgent: string | null;
  outcome: 'success' | 'failure' | null;
  network: EventNetwork;
  /** Null unless the place is known to a city. */
  location: Coordinates | null;
}

/** The stored columns an event is observed from. */
export type StoredEvent = Pick<Event, 'userId' | 'eventId' | 'kind' | 'timestamp' | 'meta'>;

const storedRow = (event: StoredEvent): StoredEventRow => [
  event.userId,
  event.eventId,
  event.kind,
  event.timestamp.getTime(),
  event.meta,
];

const NO_NETWORK: EventNetwork = {
  type: null,
  asn: null,
  asnOrganization: null,
  country: null,
  city: null,
  radiusKm: null,
};

export interface EventNetworkSources {
  /** The lookup the write path observes events with. */
  geo: GeoLookup;
  /** Opens the city database; called once, on the first event that needs a city. Null: no city lookups. */
  openCities: (() => CityLookup) | null;
}

/**
 * Each event's network type and place. The event's stored form is observed
 * again with the write path's lookup, so type, ASN and country are what the
 * model scored (the producer's `meta` winning field by field); the city is the
 * producer's, else the city database's when it agrees on the country.
 */
export class EventNetworkReads {
  readonly #geo: GeoLookup;
  readonly #openCities: (() => CityLookup) | null;
  #cities: CityLookup | null = null;

  constructor(sources: EventNetworkSources = { geo: NO_GEO, openCities: null }) {
    this.#geo = sources.geo;
    this.#openCities = sources.openCities;
  }

  of(event: StoredEvent): EventNetwork {
    const parsed = parseStored(storedRow(event));
    return parsed === null ? NO_NETWORK : this.#place(parsed, event.timestamp.getTime()).network;
  }

  /** What a SIEM correlates an event on: its address, client, outcome, network and place. */
  sourceOf(event: StoredEvent): EventSource | null {
    const parsed = parseStored(storedRow(event));
    if (parsed === null) return null;
    const { network, location } = this.#place(parsed, event.timestamp.getTime());
    const { ip, context } = parsed;
    return { ip, userAgent: context.userAgent, outcome: context.outcome, network, location };
  }

  #place(event: NormalizedEvent, at: number): { network: EventNetwork; location: Coordinates | null } {
    const { type, asn, asnOrganization, country, city, ip, scope, radiusKm, placeSource, lat, lon } = observe(
      event,
      at,
      this.#geo,
    ).network;
    const network = { type, asn, asnOrganization, country, city, radiusKm: null };
    // Coordinates only for a place known to a city: a country's centre would pin the user where they are not.
    const cityLevel = (placeSource === 'producer' || placeSource === 'database') && lat !== null && lon !== null;
    const location = cityLevel ? { lat, lon } : null;
    if (city !== null)
      // The producer's coordinates place it exactly; a city named without them, anywhere in its country.
      return {
        network: { ...network, radiusKm: placeSource === 'producer' ? radiusKm : countryRadius(country) },
        location,
      };
    if (ip === null || scope !== 'public' || country === null) return { network, location };
    const found = this.#cityLookup()?.(ip);
    if (found?.city == null || found.country !== country) return { network, location };
    const countryWide = countryRadius(country) ?? CITY_RADIUS_KM;
    return {
      network: {
        ...network,
        city: found.city,
        // A carrier's addresses are placed at its gateways, which serve the whole country.
        radiusKm: type === 'mobile' ? countryWide : Math.min(CITY_RADIUS_KM, countryWide),
      },
      location: found.lat !== null && found.lon !== null ? { lat: found.lat, lon: found.lon } : location,
    };
  }

  #cityLookup(): CityLookup | null {
    if (this.#cities === null && this.#openCities !== null) this.#cities = this.#openCities();
    return this.#cities;
  }
}

function countryRadius(country: string | null): number | null {
  return country === null ? null : (countryPlace(country)?.radiusKm ?? null);
}
