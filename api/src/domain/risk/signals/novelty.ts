import { type Baseline, baselineEvidence } from '../baseline.ts';
import { isHandheld, type Observation } from '../observation.ts';
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
 * How new the network that holds this one is: a subnet of a never-seen ASN
 * is new because its ASN is, and new_asn already says so.
 */
function enclosingNovelty(
  profile: RiskProfile,
  values: Record<NoveltyDimension, string | null>,
  dimension: NoveltyDimension,
): number {
  if (dimension !== 'subnet' || values.asn === null) return 0;
  return novelty(profile.values.asn, values.asn);
}

/**
 * Never-seen (or rarely seen) values, weighted by how established the
 * baseline is; nothing until the baseline is complete (before it, everything
 * is new).
 */
export function noveltySignals(profile: RiskProfile, observation: Observation, baseline: Baseline): Signal[] {
  const established = maturity(profile);
  if (established === 0 || !baseline.complete) return [];
  const values = noveltyValues(observation);
  const signals: Signal[] = [];
  for (const dimension of NOVELTY_DIMENSIONS) {
    const value = values[dimension];
    if (value === null) continue;
    const tally = profile.values[dimension];
    const score =
      NOVELTY_WEIGHTS[dimension] *
      established *
      novelty(tally, value) *
      (1 - enclosingNovelty(profile, values, dimension));
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
