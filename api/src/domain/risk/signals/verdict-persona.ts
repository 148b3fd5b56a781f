import type { Observation } from '../observation.ts';
import type { RiskProfile } from '../profile.ts';
import { round, type Signal } from '../signals.ts';
import { type Verdict, verdictsOf } from '../verdict.ts';

/** Strength at a verdict's full confidence. */
export const VERDICT_PERSONA_WEIGHT = 0.6;

/**
 * An event from the network of a persona that joined the account since its
 * personas started to look shared or taken over (verdict.ts: two people
 * alternating day after day on far-apart or separate home networks; a new
 * persona with the shape of a takeover): on such an account nothing that
 * arrived since is vouched for. Each such login is familiar by the second
 * day, so novelty says little; the account's shape says who it is.
 */
export function verdictPersonaSignal(profile: RiskProfile, observation: Observation): Signal | null {
  if (profile.personas.length < 2) return null;
  const { asn, scope, subnet, country } = observation.network;
  // The network as personas name it: the ASN, or the /24 when the ASN is unknown.
  const network = asn !== null ? `AS${asn}` : scope === 'public' ? subnet : null;
  if (network === null) return null;
  // Each sharing or takeover verdict, most confident first, even beside a more confident stuffing one.
  for (const verdict of verdictsOf(profile)) {
    if (verdict.kind !== 'sharing' && verdict.kind !== 'takeover') continue;
    const joined = profile.personas.some(
      (persona) => persona.network === network && persona.country === country && persona.firstAt >= verdict.since,
    );
    if (joined) return signalOf(verdict, network, country);
  }
  return null;
}

function signalOf(verdict: Verdict, network: string, country: string | null): Signal {
  return {
    name: verdict.kind === 'sharing' ? 'shared_account' : 'taken_over_account',
    score: VERDICT_PERSONA_WEIGHT * verdict.confidence,
    message: `From ${network}${country === null ? '' : ` in ${country}`}, the network of ${verdict.kind === 'sharing' ? "the account's second user" : 'the persona the account looks taken over by'}`,
    evidence: {
      network,
      country,
      since: new Date(verdict.since).toISOString(),
      confidence: round(verdict.confidence, 2),
    },
  };
}
