import ipaddr from 'ipaddr.js';

export interface ParsedIp {
  /** Canonical text: dotted quad for IPv4 (IPv4-mapped IPv6 included), RFC 5952 for IPv6. */
  address: string;
  version: 4 | 6;
  /**
   * The network an address counts as for "Multiple IPs": its /24 for IPv4, its
   * /48 for IPv6. A home or office router hands out addresses within one such
   * block, so a user moving between DHCP leases is not flagged; a different
   * block means a different network.
   */
  ipClass: string;
}

/** Parses an IPv4 or IPv6 address; returns null when it is not one. */
export function parseIp(raw: string): ParsedIp | null {
  const text = raw.trim();
  // Four-part decimal only: "127.1" or "0x7f.0.0.1" are valid to inet_aton but
  // are never what a login producer means to send.
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return fromIPv4(ipaddr.IPv4.parse(text));
  if (!ipaddr.IPv6.isValid(text)) return null;
  const v6 = ipaddr.IPv6.parse(text);
  if (v6.isIPv4MappedAddress()) return fromIPv4(v6.toIPv4Address());
  const network = new ipaddr.IPv6([...v6.parts.slice(0, 3), 0, 0, 0, 0, 0]);
  const address = new ipaddr.IPv6(v6.parts).toString(); // drops any zone id
  return { address, version: 6, ipClass: `${network.toString()}/48` };
}

/**
 * The address one household uses at a time: an IPv4 address as it is, or the
 * /64 of an IPv6 address (its devices each pick their own address within the
 * router's /64). Null when it is not an address.
 */
export function householdAddress(raw: string): string | null {
  const parsed = parseIp(raw);
  if (parsed === null) return null;
  if (parsed.version === 4) return parsed.address;
  const parts = ipaddr.IPv6.parse(parsed.address).parts;
  return `${new ipaddr.IPv6([...parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`;
}

function fromIPv4(v4: ipaddr.IPv4): ParsedIp {
  const [a, b, c] = v4.octets;
  return { address: v4.toString(), version: 4, ipClass: `${a}.${b}.${c}.0/24` };
}

/**
 * Whether an IP address is public unicast, the only kind a server-side request
 * to a configured URL may reach without being allowed to go inside (SSRF).
 * Every range ipaddr.js names is not: loopback, private, link-local, CGNAT,
 * unique-local, unspecified, multicast, broadcast, reserved and documentation,
 * and the translation prefixes (NAT64, 6to4, Teredo) that can lead back to
 * them. An IPv4-mapped address counts as the IPv4 it carries; the deprecated
 * IPv4-compatible ::/96, which ipaddr.js calls unicast, is refused too.
 */
export function isPublicAddress(raw: string): boolean {
  if (!ipaddr.isValid(raw)) return false;
  const address = ipaddr.process(raw);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).parts.slice(0, 6).every((part) => part === 0)) {
    return false;
  }
  return address.range() === 'unicast';
}
