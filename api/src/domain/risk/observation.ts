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
}

export interface Place {
  lat: number;
  lon: number;
  country: string | null;
  city: string | null;
}

export function placeOf(network: NetworkFacts): Place | null {
  if (network.lat === null || network.lon === null) return null;
  return { lat: network.lat, lon: network.lon, country: network.country, city: network.city };
}
