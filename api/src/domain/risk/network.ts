import ipaddr from 'ipaddr.js';
import type { IpScope } from './observation.ts';

/** What ipaddr.js calls each range, as the risk model cares about it. */
const PRIVATE_RANGES = new Set(['private', 'uniqueLocal', 'linkLocal', 'carrierGradeNat']);

/** Public, private (RFC 1918, ULA, link-local, CGNAT), loopback, or reserved/special-purpose. */
export function ipScope(address: string): IpScope {
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === 'unicast') return 'public';
  if (range === 'loopback') return 'loopback';
  return PRIVATE_RANGES.has(range) ? 'private' : 'reserved';
}
