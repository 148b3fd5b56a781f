import type { Observation } from './observation.ts';
import { noveltyValues, type RiskProfile, weightOf } from './profile.ts';

/**
 * Decayed events on a subnet or ASN that make it one of the user's own
 * networks: a place they came back to, not one login. An attacker's failed
 * guesses never add weight, and one stolen success does not reach it.
 */
export const OWN_NETWORK_EVENTS = 2;

/** Whether the event comes from a network the user habitually uses (its subnet or its ASN). */
export function isOwnNetwork(profile: RiskProfile, observation: Observation): boolean {
  const { subnet, asn } = noveltyValues(observation);
  return (
    (subnet !== null && (weightOf(profile.values.subnet, subnet) ?? 0) >= OWN_NETWORK_EVENTS) ||
    (asn !== null && (weightOf(profile.values.asn, asn) ?? 0) >= OWN_NETWORK_EVENTS)
  );
}
