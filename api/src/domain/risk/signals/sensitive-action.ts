import { type Baseline, baselineEvidence } from '../baseline.ts';
import type { NetworkType } from '../network-type.ts';
import type { Observation } from '../observation.ts';
import { isAnonymous, sensitiveKind } from '../personas.ts';
import { noveltyValues, type RiskProfile, totalWeight, weightOf } from '../profile.ts';
import { round, type Signal } from '../signals.ts';
import { maturity, novelty } from './novelty.ts';

/** Strength on a fully established baseline. */
export const SENSITIVE_ACTION_WEIGHT = 0.5;
/** Anonymising networks under this share of the history are not the account's habit (as in anonymous_network). */
const ANONYMOUS_HABIT_SHARE = 0.2;

/**
 * A password, MFA, e-mail, payout or recovery change from a network or
 * country the account does not habitually use. Taking over an account ends
 * in such a change, made from the attacker's network, often hours after the
 * first login from it, when that network is no longer brand new; the owner
 * changes them from home.
 */
export function sensitiveActionSignal(
  profile: RiskProfile,
  observation: Observation,
  baseline: Baseline,
): Signal | null {
  const action = sensitiveKind(observation.kind);
  if (action === null || !baseline.complete) return null;
  const established = maturity(profile);
  if (established === 0) return null;
  const values = noveltyValues(observation);
  const unfamiliar = (['country', 'asn'] as const).find((dimension) => {
    const value = values[dimension];
    return value !== null && novelty(profile.values[dimension], value) > 0;
  });
  const anonymous = isAnonymous(observation.network.type) && anonymousShare(profile) < ANONYMOUS_HABIT_SHARE;
  if (unfamiliar === undefined && !anonymous) return null;
  const network =
    unfamiliar === undefined ? `a ${observation.network.type} address` : `${unfamiliar} ${values[unfamiliar]}`;
  return {
    name: 'sensitive_action',
    score: SENSITIVE_ACTION_WEIGHT * established,
    message: `${action} from ${network}, which this account does not habitually use`,
    evidence: {
      action,
      ...(unfamiliar === undefined ? {} : { [unfamiliar]: values[unfamiliar] }),
      networkType: observation.network.type,
      maturity: round(established, 2),
      ...baselineEvidence(baseline),
    },
  };
}

function anonymousShare(profile: RiskProfile): number {
  const types = profile.networkTypes ?? [];
  const total = totalWeight(types);
  let anonymising = 0;
  for (const [type] of types) if (isAnonymous(type as NetworkType)) anonymising += weightOf(types, type) ?? 0;
  return total === 0 ? 0 : anonymising / total;
}
