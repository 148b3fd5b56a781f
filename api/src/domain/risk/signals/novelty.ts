import { type Baseline, baselineEvidence } from '../baseline.ts';
import { ANONYMISING_TYPES } from '../network-type.ts';
import { isHandheld, type Observation } from '../observation.ts';
import { isOwnNetwork } from '../own-network.ts';
import { networkSaysWhere, type Persona } from '../personas.ts';
import {
  NOVELTY_DIMENSIONS,
  type NoveltyDimension,
  noveltyValues,
  profileWeight,
  type RiskProfile,
  type Tally,
  totalWeight,
  weightOf,
} from '../profile.ts';
import { round, type Signal } from '../signals.ts';

/** How much each never-seen value weighs on an established baseline. */
export const NOVELTY_WEIGHTS: Record<NoveltyDimension, number> = {
  device: 0.3,
  browser: 0.12,
  os: 0.2,
  subnet: 0.12,
  asn: 0.25,
  country: 0.4,
};

/**
 * How established a baseline is, 0–1: nothing after no events, half after 4
 * (decayed) events, 0.9 after 13. A user's first logins are not alarms.
 */
export function maturity(profile: RiskProfile): number {
  return 1 - 2 ** (-profileWeight(profile) / 4);
}

/** A value making up at least this share of a dimension's history is fully familiar. */
const FAMILIAR_SHARE = 0.2;

/** How new the value is to the user: 1 if never seen, up to 0.5 if seen but rare or long ago, 0 if habitual. */
export function novelty(tally: Tally, value: string): number {
  const seen = weightOf(tally, value);
  if (seen === undefined) return 1;
  const total = totalWeight(tally);
  const share = total === 0 ? 1 : seen / total;
  return share >= FAMILIAR_SHARE ? 0 : 0.5 * (1 - share / FAMILIAR_SHARE);
}

const NOVELTY_LABELS: Record<NoveltyDimension, string> = {
  device: 'device',
  browser: 'browser',
  os: 'operating system',
  subnet: 'network (subnet)',
  asn: 'network operator (ASN)',
  country: 'country',
};

/**
 * Values whose novelty another dimension's already says: a subnet lies in its
 * ASN, an access network's ASN in its country (an ISP abroad is new because
 * the country is), and an OS in the device, which names its OS family. Each
 * counts only as far as what holds it is familiar.
 */
const HELD_BY: Partial<Record<NoveltyDimension, NoveltyDimension>> = { subnet: 'asn', asn: 'country', os: 'device' };

/** A device, OS or browser new to the user on one of their own networks weighs this much: their new phone at home. */
export const OWN_NETWORK_CLIENT_FACTOR = 0.4;

/** How much of a value's own novelty counts, 0–1, and what said so (for its evidence). */
interface Counted {
  share: number;
  by: NoveltyDimension | 'operator' | 'own network' | null;
}

/**
 * Behind a hosting, VPN or Tor address only the operator is the user's
 * choice: its exits' countries and subnets are its servers', so a country
 * counts only as far as the operator is new and a subnet not at all. A
 * device, OS or browser new to the user on a network and in a country that
 * are their own is most likely theirs: an attacker would have to be in their
 * home.
 */
function counted(
  profile: RiskProfile,
  values: Record<NoveltyDimension, string | null>,
  dimension: NoveltyDimension,
  anonymised: boolean,
  ownGround: () => boolean,
): Counted {
  if (anonymised && dimension === 'subnet') return { share: 0, by: 'operator' };
  if (anonymised && dimension === 'country')
    return { share: values.asn === null ? 1 : novelty(profile.values.asn, values.asn), by: 'operator' };
  const holder = anonymised && dimension === 'asn' ? undefined : HELD_BY[dimension];
  const held = holder === undefined ? null : values[holder];
  let share = held === null || holder === undefined ? 1 : 1 - novelty(profile.values[holder], held);
  let by: Counted['by'] = share < 1 ? (holder ?? null) : null;
  if (CLIENT.has(dimension) && share > 0 && ownGround()) {
    share *= OWN_NETWORK_CLIENT_FACTOR;
    by = 'own network';
  }
  return { share, by };
}

const CLIENT: ReadonlySet<NoveltyDimension> = new Set(['device', 'os', 'browser']);

/**
 * How new a country never seen is: a user already seen in other countries
 * travels, and a further one surprises less (1 / the countries known), as
 * a VPN is no news to a user who always uses one. A country the account has
 * just switched to from another, and not its main one, counts at least
 * SWITCH_NOVELTY however often it was seen: a traveller stays a while and
 * comes home, while an account that keeps changing countries from one login
 * to the next is two people.
 */
function countryNovelty(profile: RiskProfile, observation: Observation, value: string): number {
  const tally = profile.values.country;
  const seen = novelty(tally, value);
  if (seen === 1) return 1 / Math.max(1, tally.length);
  if (seen >= SWITCH_NOVELTY || !networkSaysWhere(observation.network.type)) return seen;
  let main: string | undefined;
  let heaviest = 0;
  for (const [country, weight] of tally) if (weight > heaviest) [main, heaviest] = [country, weight];
  if (main === value) return seen;
  // The latest login that says where its user was. A phone's address in the main country may be its
  // home carrier's while it roams abroad, so it does not say the user was home.
  let latest: Persona | undefined;
  for (const persona of profile.personas) {
    if (!networkSaysWhere(persona.networkType) || (persona.country === main && isHandheld(persona.device))) continue;
    if (latest === undefined || persona.lastAt > latest.lastAt) latest = persona;
  }
  return latest === undefined || latest.country === null || latest.country === value ? seen : SWITCH_NOVELTY;
}

/** How new a country just switched to, other than the account's main one, is at least. */
const SWITCH_NOVELTY = 0.75;

/**
 * Never-seen (or rarely seen) values, weighted by how established the
 * baseline is; nothing until the baseline is complete (before it, everything
 * is new).
 */
export function noveltySignals(profile: RiskProfile, observation: Observation, baseline: Baseline): Signal[] {
  const established = maturity(profile);
  if (established === 0 || !baseline.complete) return [];
  const values = noveltyValues(observation);
  const { type } = observation.network;
  const anonymised = type !== null && ANONYMISING_TYPES.has(type);
  let own: boolean | undefined;
  // On the user's own network in their own country (asked once, and only if a client value is new).
  const ownGround = () => {
    own ??=
      values.country !== null &&
      novelty(profile.values.country, values.country) === 0 &&
      isOwnNetwork(profile, observation);
    return own;
  };
  const signals: Signal[] = [];
  for (const dimension of NOVELTY_DIMENSIONS) {
    const value = values[dimension];
    if (value === null) continue;
    const tally = profile.values[dimension];
    const itself = dimension === 'country' ? countryNovelty(profile, observation, value) : novelty(tally, value);
    if (itself === 0) continue;
    const share = counted(profile, values, dimension, anonymised, ownGround);
    const score = NOVELTY_WEIGHTS[dimension] * established * itself * share.share;
    if (score < 0.01) continue;
    const known = tally.length;
    const seen = weightOf(tally, value);
    const organization = dimension === 'asn' ? observation.network.asnOrganization : null;
    const shown = organization === null ? value : `${value} (${organization})`;
    signals.push({
      name: `new_${dimension}`,
      score,
      message:
        seen === undefined
          ? `First ${NOVELTY_LABELS[dimension]} ${shown} (${known} known)`
          : `Rarely used ${NOVELTY_LABELS[dimension]} ${shown}`,
      evidence: {
        value,
        ...(organization === null ? {} : { organization }),
        known,
        seenWeight: round(seen ?? 0, 2),
        ...(share.by === null ? {} : { counted: round(share.share, 2), countedBy: share.by }),
        maturity: round(established, 2),
        ...baselineEvidence(baseline),
      },
    });
  }
  return signals;
}

const NETWORKS = ['asn', 'country'] as const;

/**
 * A never-seen device on a never-seen network together: the shape of a
 * takeover. Each alone is common (a new phone at home, a laptop abroad).
 */
export function deviceAndNetworkSignal(
  profile: RiskProfile,
  observation: Observation,
  baseline: Baseline,
): Signal | null {
  if (!baseline.complete) return null;
  const established = maturity(profile);
  const values = noveltyValues(observation);
  const newDevice = values.device !== null && weightOf(profile.values.device, values.device) === undefined;
  // A new phone or tablet comes with its own carrier's data: only a new country makes its network news.
  const networks = isHandheld(values.device) ? (['country'] as const) : NETWORKS;
  const newNetwork = networks.find(
    (dimension) =>
      values[dimension] !== null && weightOf(profile.values[dimension], values[dimension] as string) === undefined,
  );
  if (!newDevice || newNetwork === undefined || established === 0) return null;
  return {
    name: 'new_device_on_new_network',
    score: 0.45 * established,
    message: `First device ${values.device} from a first ${NOVELTY_LABELS[newNetwork]} ${values[newNetwork]}`,
    evidence: {
      device: values.device,
      [newNetwork]: values[newNetwork],
      maturity: round(established, 2),
      ...baselineEvidence(baseline),
    },
  };
}
