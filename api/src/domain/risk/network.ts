import ipaddr from 'ipaddr.js';
import { rememberRecent } from '../remember-recent.ts';
import type { IpScope } from './observation.ts';

/** What ipaddr.js calls each range, as the risk model cares about it. */
const PRIVATE_RANGES = new Set(['private', 'uniqueLocal', 'linkLocal', 'carrierGradeNat']);

/**
 * Public, private (RFC 1918, ULA, link-local, CGNAT), loopback, or
 * reserved/special-purpose. Recent addresses' scopes are remembered: each
 * user's few addresses come back with every event, and parsing one costs more
 * than the rest of observing it.
 */
export const ipScope: (address: string) => IpScope = rememberRecent(scopeOf, 4_096);

function scopeOf(address: string): IpScope {
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === 'unicast') return 'public';
  if (range === 'loopback') return 'loopback';
  return PRIVATE_RANGES.has(range) ? 'private' : 'reserved';
}
