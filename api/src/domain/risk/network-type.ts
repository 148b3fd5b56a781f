import ipaddr from 'ipaddr.js';
import { KNOWN_NETWORKS } from './known-networks.ts';

/**
 * What kind of network an address is on. `isp` is a fixed-line access network
 * or one no list classifies: ASN data cannot tell a home line from an office
 * on the same ISP, so residential and business lines of one carrier are both
 * `isp`; `business` is only for networks that serve organisations alone
 * (corporate gateways, research networks, business-only carriers).
 */
export const NETWORK_TYPES = ['hosting', 'vpn', 'tor', 'mobile', 'business', 'isp', 'unknown'] as const;
export type NetworkType = (typeof NETWORK_TYPES)[number];

/** Types whose addresses say where a server is, not where the user is. */
export const ANONYMISING_TYPES: ReadonlySet<NetworkType> = new Set(['hosting', 'vpn', 'tor']);

/** A network type and where the verdict came from, e.g. `list:x4bnet-vpn-ipv4` or `asn-table:AS16509`. */
export interface NetworkClass {
  type: NetworkType;
  source: string;
}

/** The vendored lists, parsed (see api/data/network-types/README.md). */
export interface NetworkLists {
  /** ASNs of VPN operators (X4BNet lists_vpn `input/vpn/ASN.txt`). */
  vpnAsns: readonly number[];
  /** ASNs of datacenters and hosters (X4BNet `input/datacenter/ASN.txt`). */
  datacenterAsns: readonly number[];
  /** ASNs of clouds, hosters and colos (brianhama/bad-asn-list). */
  badAsns: readonly number[];
  /** Known VPN exit ranges (X4BNet `output/vpn/ipv4.txt`), as parsed by `parseIpv4Ranges`. */
  vpnRanges: Ipv4Ranges;
}

/** Sorted, non-overlapping IPv4 ranges as inclusive bounds. */
export interface Ipv4Ranges {
  start: Uint32Array;
  end: Uint32Array;
}

/** Organisation-name hints, whole words only (any script's letters): a name alone never says VPN or Tor. */
const KEYWORDS: ReadonlyArray<[RegExp, NetworkType]> = [
  [words('hosting|hoster|vps|datacenter|data ?cent(?:er|re)|colocation|cloud|servers?|dedicated'), 'hosting'],
  [words('mobile|mobility|cellular|movil|móvil|gsm'), 'mobile'],
  [words('university|universität|universitat|université|università|universidad|college|school|academy'), 'business'],
];

function words(alternatives: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(${alternatives})(?![\\p{L}\\p{N}])`, 'iu');
}

/**
 * Classifies addresses by network type from the vendored lists and the
 * hand-written KNOWN_NETWORKS. Most specific first: a Tor operator's ASN, then
 * a known VPN exit range, then KNOWN_NETWORKS, then the lists by ASN, then a
 * keyword in the operator's name; any other routed address is `isp`.
 */
export class NetworkTypeTable {
  readonly #byAsn = new Map<number, NetworkClass>();
  readonly #known = new Map<number, NetworkClass>();
  readonly #vpnRanges: Ipv4Ranges;
  /** Keyword verdicts by organisation name: a few regular expressions per name, once (one name per ASN). */
  readonly #hints = new Map<string, NetworkClass | null>();

  constructor(lists: NetworkLists) {
    this.#vpnRanges = lists.vpnRanges;
    // Later lists do not overwrite earlier ones: VPN before datacenter before bad-asn-list.
    const add = (asns: readonly number[], type: NetworkType, source: string) => {
      for (const asn of asns) if (!this.#byAsn.has(asn)) this.#byAsn.set(asn, { type, source });
    };
    add(lists.vpnAsns, 'vpn', 'list:x4bnet-vpn-asn');
    add(lists.datacenterAsns, 'hosting', 'list:x4bnet-datacenter-asn');
    add(lists.badAsns, 'hosting', 'list:bad-asn-list');
    for (const [asn, type] of KNOWN_NETWORKS) this.#known.set(asn, { type, source: `asn-table:AS${asn}` });
  }

  /** ASNs classified by a list or the table, and VPN ranges held. */
  get size(): { asns: number; vpnRanges: number } {
    const asns = new Set([...this.#byAsn.keys(), ...this.#known.keys()]).size;
    return { asns, vpnRanges: this.#vpnRanges.start.length };
  }

  /** The type of a public address on `asn` (null when no database knows it), run by `organization`. */
  classify(ip: string | null, asn: number | null, organization: string | null): NetworkClass {
    const known = asn === null ? undefined : this.#known.get(asn);
    if (known?.type === 'tor') return known;
    if (ip !== null && inRanges(this.#vpnRanges, ipv4Number(ip)))
      return { type: 'vpn', source: 'list:x4bnet-vpn-ipv4' };
    if (known !== undefined) return known;
    const listed = asn === null ? undefined : this.#byAsn.get(asn);
    if (listed !== undefined) return listed;
    const hint = organization === null ? null : this.#keywordOf(organization);
    if (hint !== null) return hint;
    return asn === null ? { type: 'unknown', source: 'no-asn' } : { type: 'isp', source: 'unlisted' };
  }

  #keywordOf(organization: string): NetworkClass | null {
    let hint = this.#hints.get(organization);
    if (hint === undefined) {
      hint = null;
      for (const [pattern, type] of KEYWORDS) {
        const match = pattern.exec(organization);
        if (match !== null) {
          hint = { type, source: `keyword:${(match[1] as string).toLowerCase()}` };
          break;
        }
      }
      this.#hints.set(organization, hint);
    }
    return hint;
  }
}

/**
 * The address as a number if it is IPv4 (or IPv4-mapped IPv6), else null.
 * Dotted quads are read directly: ipaddr.js's parse cost more than the rest
 * of classifying an address.
 */
function ipv4Number(address: string): number | null {
  const quad = dottedQuad(address);
  if (quad !== undefined) return quad;
  if (!ipaddr.isValid(address)) return null;
  const parsed = ipaddr.process(address);
  if (parsed.kind() !== 'ipv4') return null;
  const [a, b, c, d] = (parsed as ipaddr.IPv4).octets as [number, number, number, number];
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

/** A plain `a.b.c.d` as a number; undefined for anything else (left to ipaddr.js). */
function dottedQuad(address: string): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let index = 0; index <= address.length; index += 1) {
    const code = index === address.length ? DOT : address.charCodeAt(index);
    if (code === DOT) {
      if (digits === 0 || part > 255) return undefined;
      value = value * 256 + part;
      parts += 1;
      part = 0;
      digits = 0;
    } else if (code >= ZERO && code <= NINE && digits < 3) {
      part = part * 10 + (code - ZERO);
      digits += 1;
    } else {
      return undefined;
    }
  }
  return parts === 4 ? value : undefined;
}

const DOT = 46;
const ZERO = 48;
const NINE = 57;

function inRanges(ranges: Ipv4Ranges, key: number | null): boolean {
  if (key === null) return false;
  const { start, end } = ranges;
  let low = 0;
  let high = start.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if ((start[middle] as number) <= key) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found >= 0 && (end[found] as number) >= key;
}

/**
 * ASNs from a list file: `AS9009 # comment` lines (X4BNet) or CSV rows whose
 * first field is the number, quoted or not (bad-asn-list). Other lines, such
 * as a CSV header or comments, are skipped.
 */
export function parseAsnList(text: string): number[] {
  const asns: number[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*"?(?:AS)?(\d+)"?\s*(?:[,#]|$)/i.exec(line);
    if (match !== null) asns.push(Number(match[1]));
  }
  return asns;
}

/** IPv4 CIDRs, one a line (`#` comments and blank lines skipped), as sorted ranges with overlaps merged. */
export function parseIpv4Ranges(text: string): Ipv4Ranges {
  const ranges: Array<[number, number]> = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const [address, bits = '32'] = line.split('/') as [string, string?];
    const start = ipaddr.IPv4.isValidFourPartDecimal(address) ? ipv4Number(address) : null;
    const prefix = Number(bits);
    if (start === null || !Number.isInteger(prefix) || prefix < 0 || prefix > 32)
      throw new Error(`network lists: "${line}" is not an IPv4 CIDR`);
    const size = 2 ** (32 - prefix);
    const first = start - (start % size);
    ranges.push([first, first + size - 1]);
  }
  ranges.sort((left, right) => left[0] - right[0]);
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last !== undefined && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return {
    start: Uint32Array.from(merged, (range) => range[0]),
    end: Uint32Array.from(merged, (range) => range[1]),
  };
}
