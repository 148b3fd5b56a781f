import { countryPlace } from '../domain/risk/country-place.ts';
import type { NetworkType } from '../domain/risk/network-type.ts';
import { type GeoLookup, NO_GEO } from '../domain/risk/observe.ts';
import type { Event } from '../generated/prisma/client.ts';
import type { CityLookup } from '../storage/city-database.ts';
import { observeStored } from '../storage/consistency.ts';

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

  of(event: Pick<Event, 'userId' | 'eventId' | 'kind' | 'timestamp' | 'meta'>): EventNetwork {
    const observation = observeStored(
      [event.userId, event.eventId, event.kind, event.timestamp.getTime(), event.meta],
      this.#geo,
    );
    if (observation === null) return NO_NETWORK;
    const { type, asn, asnOrganization, country, city, ip, scope, radiusKm, placeSource } = observation.network;
    const network = { type, asn, asnOrganization, country, city, radiusKm: null };
    if (city !== null)
      // The producer's coordinates place it exactly; a city named without them, anywhere in its country.
      return { ...network, radiusKm: placeSource === 'producer' ? radiusKm : countryRadius(country) };
    if (ip === null || scope !== 'public' || country === null) return network;
    const found = this.#cityLookup()?.(ip);
    if (found?.city == null || found.country !== country) return network;
    const countryWide = countryRadius(country) ?? CITY_RADIUS_KM;
    // A carrier's addresses are placed at its gateways, which serve the whole country.
    return {
      ...network,
      city: found.city,
      radiusKm: type === 'mobile' ? countryWide : Math.min(CITY_RADIUS_KM, countryWide),
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
