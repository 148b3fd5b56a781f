import type { Observation } from '../observation.ts';
import type { RiskProfile } from '../profile.ts';
import { round, type Signal } from '../signals.ts';
import { verdictOf } from '../verdict.ts';

/** Strength at a verdict's full confidence. */
export const SHARED_ACCOUNT_WEIGHT = 0.6;

/**
 * An event from the network of the persona that joined the account when its
 * personas started to look shared (verdict.ts: two people on far-apart or
 * separate home networks, alternating day after day). Each such login is
 * familiar by now, so novelty says little; the account's shape says who it is.
 */
export function sharedAccountSignal(profile: RiskProfile, observation: Observation): Signal | null {
  if (profile.personas.length < 2) return null;
  const verdict = verdictOf(profile);
  if (verdict === null || verdict.kind !== 'sharing') return null;
  const { asn, scope, subnet, country } = observation.network;
  // The network as personas name it: the ASN, or the /24 when the ASN is unknown.
  const network = asn !== null ? `AS${asn}` : scope === 'public' ? subnet : null;
  if (network === null) return null;
  const joined = profile.personas.find(
    (persona) => persona.network === network && persona.country === country && persona.firstAt >= verdict.since,
  );
  if (joined === undefined) return null;
  return {
    name: 'shared_account',
    score: SHARED_ACCOUNT_WEIGHT * verdict.confidence,
    message: `From ${network}${country === null ? '' : ` in ${country}`}, the network of the account's second user`,
    evidence: {
      network,
      country,
      since: new Date(verdict.since).toISOString(),
      confidence: round(verdict.confidence, 2),
    },
  };
}
