import { ANONYMISING_TYPES, type NetworkType } from '../network-type.ts';
import type { Observation } from '../observation.ts';
import { type RiskProfile, totalWeight, weightOf } from '../profile.ts';
import { round, type Signal } from '../signals.ts';
import { maturity } from './novelty.ts';

/** Strength on a fully established baseline that never used an anonymising network: Tor hides the most. */
export const ANONYMOUS_NETWORK_WEIGHTS: Partial<Record<NetworkType, number>> = { tor: 0.65, vpn: 0.6, hosting: 0.55 };
/** An organisation name alone is a weak hint (a hoster's name can also be an ISP's). */
const KEYWORD_FACTOR = 0.5;
/** Anonymising networks making up at least this share of the user's history are their habit. */
const HABIT_SHARE = 0.2;
/**
 * An operator new to an account whose habit is another: a VPN user keeps one
 * provider (a corporate one, or the one they pay for), so an exit of a
 * provider or hoster they never used is someone else's choice of hiding.
 */
const NEW_OPERATOR_FACTOR = 0.6;

/**
 * A hosting, VPN or Tor address on an account whose history never (or rarely)
 * comes from one: the shape of a takeover that borrows the victim's browser
 * and OS but not their network. Hosting, VPN and Tor count together as the
 * habit, as the lists cannot always tell a VPN's exit from its hoster: a user
 * who habitually connects through a VPN or a cloud desktop gets nothing.
 */
export function anonymousNetworkSignal(profile: RiskProfile, observation: Observation): Signal | null {
  const { type, typeSource, asn, asnOrganization } = observation.network;
  const weight = type === null ? undefined : ANONYMOUS_NETWORK_WEIGHTS[type];
  if (type === null || weight === undefined) return null;
  const established = maturity(profile);
  if (established === 0) return null;
  const types = profile.networkTypes ?? [];
  const total = totalWeight(types);
  let anonymising = 0;
  for (const [held] of types) if (ANONYMISING_TYPES.has(held as NetworkType)) anonymising += weightOf(types, held) ?? 0;
  const share = total === 0 ? 0 : anonymising / total;
  const operator = asn === null ? undefined : weightOf(profile.values.asn, String(asn));
  const habit = share >= HABIT_SHARE;
  // A habit of anonymising networks vouches only for the operators it was formed on.
  if (habit && (asn === null || operator !== undefined)) return null;
  const novelty = habit ? NEW_OPERATOR_FACTOR : anonymising === 0 ? 1 : 0.5 * (1 - share / HABIT_SHARE);
  const hint = typeSource?.startsWith('keyword:') ? KEYWORD_FACTOR : 1;
  const score = weight * established * novelty * hint;
  if (score < 0.01) return null;
  const named = asn === null ? '' : ` (AS${asn}${asnOrganization === null ? '' : ` ${asnOrganization}`})`;
  return {
    name: 'anonymous_network',
    score,
    message: habit
      ? `A ${LABELS[type]} address${named} of an operator this account never used, on an account that habitually uses others (${Math.round(share * 100)}% of its history)`
      : anonymising === 0
        ? `First ${LABELS[type]} address${named} on an account that never used one`
        : `Rarely used ${LABELS[type]} address${named}: ${Math.round(share * 100)}% of the account's history is hosting, VPN or Tor`,
    evidence: {
      type,
      source: typeSource,
      asn,
      organization: asnOrganization,
      typeWeight: round(weightOf(types, type) ?? 0, 2),
      anonymousShare: round(share, 3),
      newOperator: habit,
      maturity: round(established, 2),
    },
  };
}

const LABELS: Partial<Record<NetworkType, string>> = { tor: 'Tor', vpn: 'VPN', hosting: 'hosting' };
