import ipaddr from 'ipaddr.js';
import type { IpScope } from './observation.ts';

/** What ipaddr.js calls each range, as the risk model cares about it. */
const PRIVATE_RANGES = new Set(['private', 'uniqueLocal', 'linkLocal', 'carrierGradeNat']);

/**
 * Scopes of recently seen addresses: each user's few addresses come back with
 * every event, and parsing one costs more than the rest of observing it.
 * Emptied when full, which bounds it without any bookkeeping per lookup.
 */
const recentScopes = new Map<string, IpScope>();
const MAX_RECENT_SCOPES = 4_096;

/** Public, private (RFC 1918, ULA, link-local, CGNAT), loopback, or reserved/special-purpose. */
export function ipScope(address: string): IpScope {
  const known = recentScopes.get(address);
  if (known !== undefined) return known;
  const scope = scopeOf(address);
  if (recentScopes.size >= MAX_RECENT_SCOPES) recentScopes.clear();
  recentScopes.set(address, scope);
  return scope;
}

function scopeOf(address: string): IpScope {
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === 'unicast') return 'public';
  if (range === 'loopback') return 'loopback';
  return PRIVATE_RANGES.has(range) ? 'private' : 'reserved';
}
