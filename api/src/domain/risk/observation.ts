import { ANONYMISING_TYPES, type NetworkType } from './network-type.ts';

/** What the v2 risk model knows about one event, derived from its input before scoring. */
export interface Observation {
  userId: string;
  /** Epoch ms (the event's timestamp, or its receive time). */
  at: number;
  kind: string;
  /** From `meta.success` / `meta.outcome`; null when the producer did not say. */
  outcome: 'success' | 'failure' | null;
  client: ClientFacts;
  network: NetworkFacts;
}

/** The client as the user agent (or the legacy meta fields) describes it, lower-cased. */
export interface ClientFacts {
  /** Browser family, e.g. `chrome`. */
  browser: string | null;
  browserMajor: string | null;
  /** OS family, e.g. `windows`, `ios`. */
  os: string | null;
  osVersion: string | null;
  /** `desktop`, `mobile`, `tablet`, … or the producer's own device name. */
  device: string | null;
}

export type IpScope = 'public' | 'private' | 'loopback' | 'reserved';

export interface NetworkFacts {
  ip: string | null;
  /** The /24 (IPv4) or /48 (IPv6) the address belongs to. */
  subnet: string | null;
  scope: IpScope | null;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string | null;
  city: string | null;
  lat: number | null;
  lon: number | null;
  asn: number | null;
  /** The ASN's operator, when the IP database knows it. */
  asnOrganization: string | null;
  /** The network's type for a public address or a producer's `meta.network_type`; null for private addresses. */
  type: NetworkType | null;
  /** Where the type came from, e.g. `list:x4bnet-vpn-ipv4`, `asn-table:AS16509`, `keyword:hosting`, `producer`. */
  typeSource: string | null;
  /** How far from lat/lon the user may be, in km: 0 for the producer's coordinates, the country's radius for its centre. */
  radiusKm: number | null;
  /** Where lat/lon came from. */
  placeSource: PlaceSource | null;
}

/** The producer's coordinates, the address database's, or the centre of the country the producer or the database names. */
export type PlaceSource = 'producer' | 'database' | 'country';

export interface Place {
  lat: number;
  lon: number;
  country: string | null;
  city: string | null;
  /** As in NetworkFacts; absent in profiles stored before places had radii (producer coordinates: 0). */
  radiusKm?: number;
  source?: PlaceSource;
}

/** Device types (with their OS family, `phone/ios`) that carry mobile data. */
const HANDHELD = /^(phone|mobile|smartphone|tablet)\b/;

export function isHandheld(device: string | null): boolean {
  return device !== null && HANDHELD.test(device);
}

/**
 * The place travel may be judged from, or null: a hosting, VPN or Tor address
 * says where a server is, and a mobile carrier's address where its gateway is
 * (roaming phones keep their home country's addresses), so a place derived
 * from either, or looked up for a phone or tablet, is not the user's.
 */
export function travelPlaceOf(network: NetworkFacts, device: string | null = null): Place | null {
  if (network.lat === null || network.lon === null) return null;
  if (network.type !== null && ANONYMISING_TYPES.has(network.type)) return null;
  const located = network.placeSource === 'producer';
  if (network.type === 'mobile' && !located) return null;
  // Carriers that run mobile and fixed lines on one AS (Vodafone, Telefónica, Deutsche Telekom) look
  // like ISPs, and a roaming phone's data is routed home: its looked-up place is its carrier's country.
  if (!located && isHandheld(device)) return null;
  const place = { lat: network.lat, lon: network.lon, country: network.country, city: network.city };
  // Stored with every profile: a producer's exact point needs no radius or source.
  if (network.placeSource === 'producer' || network.placeSource === null) return place;
  return { ...place, radiusKm: network.radiusKm ?? 0, source: network.placeSource };
}
