import type { Observation } from '../observation.ts';
import { deviceOf, networkOf, personaKey } from '../personas.ts';
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
 * day, so novelty says little; the account's shape says who it is. A way
 * of showing up the account already had before the verdict's `since` (the
 * owner's laptop on their home line, where the owner's new phone or the
 * second user's device has since joined it) is vouched for by its history.
 */
export function verdictPersonaSignal(profile: RiskProfile, observation: Observation): Signal | null {
  if (profile.personas.length < 2) return null;
  const { country, type } = observation.network;
  const network = networkOf(observation.network);
  if (network === null) return null;
  const key = personaKey(deviceOf(observation), network, country, type);
  const own = profile.personas.find((persona) => persona.key === key);
  // Each sharing or takeover verdict, most confident first, even beside a more confident stuffing one.
  for (const verdict of verdictsOf(profile)) {
    if (verdict.kind !== 'sharing' && verdict.kind !== 'takeover') continue;
    if (own !== undefined && own.firstAt < verdict.since) continue;
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
