import ipaddr from 'ipaddr.js';

// The browser's address, which the dashboard forwards to the API (in
// X-Forwarded-For) so the API limits each browser on its own: failed sign-ins
// from one address never lock out everyone behind the dashboard.

/** IPv4-mapped IPv6 (`::ffff:127.0.0.1`) as plain IPv4, so one client has one address; null for what is not an address. */
export function normalizeAddress(address: string): string | null {
  return ipaddr.isValid(address) ? ipaddr.process(address).toString() : null;
}

/** The peers allowed to say whom they forward for: a comma-separated list, loopback unless configured (as the API's). */
export function trustedProxies(list: string | undefined): ReadonlySet<string> {
  const entries = (list ?? '127.0.0.1,::1')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return new Set(entries.map((entry) => normalizeAddress(entry) ?? entry));
}

/**
 * The client of a connection: the TCP peer, or, when the peer is a trusted
 * proxy, the last address its X-Forwarded-For names (the one that proxy added
 * itself; earlier ones are whatever its client claimed). The API applies the
 * same rule to the dashboard.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: ReadonlySet<string>,
): string {
  const direct = normalizeAddress(peer ?? '') ?? 'unknown';
  if (!trusted.has(direct) || forwardedFor === undefined) return direct;
  return normalizeAddress(forwardedFor.split(',').at(-1)?.trim() ?? '') ?? direct;
}

/**
 * The address a request to the dashboard came from, as the dashboard's server
 * wrote it into X-Forwarded-For (under `next dev`, Next's own value: the peer
 * or what the client sent); null when there is none.
 */
export function requestAddress(request: Request): string | null {
  return normalizeAddress(request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() ?? '');
}
