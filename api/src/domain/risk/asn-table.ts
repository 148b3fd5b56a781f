import ipaddr from 'ipaddr.js';

/** The network operator an address belongs to. */
export interface AsnRecord {
  asn: number;
  organization: string | null;
}

/**
 * IP-to-ASN ranges held as sorted typed arrays and searched by bisection:
 * about 400,000 IPv4 and 100,000 IPv6 ranges in roughly 12 MB, where one
 * object per range would cost several times that inside a 256 MB heap.
 * IPv6 ranges are compared on their first 64 bits: no routed prefix is longer
 * than /64, so the rest never decides which range an address is in.
 */
export class AsnTable {
  readonly #v4Start: Uint32Array;
  readonly #v4End: Uint32Array;
  readonly #v4Asn: Uint32Array;
  readonly #v6Start: BigUint64Array;
  readonly #v6End: BigUint64Array;
  readonly #v6Asn: Uint32Array;
  readonly #organizations: Map<number, string>;

  constructor(v4: RangeColumns<Uint32Array>, v6: RangeColumns<BigUint64Array>, organizations: Map<number, string>) {
    this.#v4Start = v4.start;
    this.#v4End = v4.end;
    this.#v4Asn = v4.asn;
    this.#v6Start = v6.start;
    this.#v6End = v6.end;
    this.#v6Asn = v6.asn;
    this.#organizations = organizations;
  }

  get size(): number {
    return this.#v4Asn.length + this.#v6Asn.length;
  }

  /** The operator of a (public) address, or null when no range holds it or it does not parse. */
  lookup(address: string): AsnRecord | null {
    if (!ipaddr.isValid(address)) return null;
    const parsed = ipaddr.process(address);
    const asn =
      parsed.kind() === 'ipv4'
        ? find(this.#v4Start, this.#v4End, this.#v4Asn, ipv4Number(parsed as ipaddr.IPv4))
        : find(this.#v6Start, this.#v6End, this.#v6Asn, ipv6Prefix64(parsed as ipaddr.IPv6));
    if (asn === null) return null;
    return { asn, organization: this.#organizations.get(asn) ?? null };
  }
}

export interface RangeColumns<T extends Uint32Array | BigUint64Array> {
  start: T;
  end: T;
  asn: Uint32Array;
}

/** The last range starting at or below the key, if it also ends at or above it (ranges do not overlap). */
function find<T extends number | bigint>(
  start: ArrayLike<T>,
  end: ArrayLike<T>,
  asns: Uint32Array,
  key: T,
): number | null {
  let low = 0;
  let high = start.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if ((start[middle] as T) <= key) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  if (found < 0 || (end[found] as T) < key) return null;
  const asn = asns[found] as number;
  // DB-IP marks unrouted space as AS0.
  return asn === 0 ? null : asn;
}

function ipv4Number(address: ipaddr.IPv4): number {
  const [a, b, c, d] = address.octets as [number, number, number, number];
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

function ipv6Prefix64(address: ipaddr.IPv6): bigint {
  let prefix = 0n;
  for (const part of address.parts.slice(0, 4)) prefix = (prefix << 16n) | BigInt(part);
  return prefix;
}

/**
 * Reads the `start,end,asn,organization` CSV of the `@ip-location-db/asn`
 * package (addresses as decimal integers) straight from its bytes: the IPv4
 * file is 21 MB and splitting it into strings took seconds and hundreds of MB.
 * `family` says how wide the numbers are; IPv6 keeps the first 64 bits.
 */
export function parseAsnCsv(
  bytes: Uint8Array,
  family: 4,
  organizations: Map<number, string>,
): RangeColumns<Uint32Array>;
export function parseAsnCsv(
  bytes: Uint8Array,
  family: 6,
  organizations: Map<number, string>,
): RangeColumns<BigUint64Array>;
export function parseAsnCsv(
  bytes: Uint8Array,
  family: 4 | 6,
  organizations: Map<number, string>,
): RangeColumns<Uint32Array> | RangeColumns<BigUint64Array> {
  let rows = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === NEWLINE) rows += 1;
  if (bytes.length > 0 && bytes[bytes.length - 1] !== NEWLINE) rows += 1;
  const asn = new Uint32Array(rows);
  const start = family === 4 ? new Uint32Array(rows) : new BigUint64Array(rows);
  const end = family === 4 ? new Uint32Array(rows) : new BigUint64Array(rows);
  const decoder = new TextDecoder();
  let at = 0;
  let row = 0;
  // Reads a decimal field and steps over the comma after it.
  const digits = (): [number, number] => {
    const from = at;
    while (at < bytes.length && (bytes[at] as number) >= ZERO && (bytes[at] as number) <= NINE) at += 1;
    const to = at;
    if (from === to || bytes[at] !== COMMA)
      throw new Error(`ASN data: row ${row + 1} is not "start,end,asn,organization"`);
    at += 1;
    return [from, to];
  };
  while (at < bytes.length && row < rows) {
    const [startFrom, startTo] = digits();
    const [endFrom, endTo] = digits();
    const [asnFrom, asnTo] = digits();
    if (family === 4) {
      (start as Uint32Array)[row] = decimal(bytes, startFrom, startTo);
      (end as Uint32Array)[row] = decimal(bytes, endFrom, endTo);
    } else {
      (start as BigUint64Array)[row] = BigInt(decoder.decode(bytes.subarray(startFrom, startTo))) >> 64n;
      (end as BigUint64Array)[row] = BigInt(decoder.decode(bytes.subarray(endFrom, endTo))) >> 64n;
    }
    const number = decimal(bytes, asnFrom, asnTo);
    asn[row] = number;
    const nameFrom = at;
    while (at < bytes.length && bytes[at] !== NEWLINE) at += 1;
    if (!organizations.has(number)) {
      const name = unquote(decoder.decode(bytes.subarray(nameFrom, at)).trim());
      if (name !== '') organizations.set(number, name);
    }
    at += 1;
    row += 1;
  }
  if (row !== rows) throw new Error(`ASN data: read ${row} of ${rows} rows`);
  return family === 4
    ? { start: start as Uint32Array, end: end as Uint32Array, asn }
    : { start: start as BigUint64Array, end: end as BigUint64Array, asn };
}

const NEWLINE = 10;
const COMMA = 44;
const ZERO = 48;
const NINE = 57;

function decimal(bytes: Uint8Array, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + ((bytes[i] as number) - ZERO);
  return value;
}

function unquote(field: string): string {
  return field.startsWith('"') && field.endsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field;
}
