import { type Baseline, baselineEvidence, spans } from '../baseline.ts';
import type { Observation } from '../observation.ts';
import { hourOfWeek, type RiskProfile } from '../profile.ts';
import { round, type Signal } from '../signals.ts';

/**
 * Time-of-day habits need more history than value habits: a month of office
 * days covers each working hour a few times, two weeks of a handful of
 * logins do not.
 */
export const HOUR_BASELINE_EVENTS = 30;
export const HOUR_BASELINE_DAYS = 14;
/**
 * Hours on either side counted as "around" an hour. Days of the week are
 * folded together: a steady user's Tuesday 10:00 is as ordinary as their
 * Monday 09:00, and a week has too few events to learn 168 hours apart.
 */
const SPREAD_HOURS = 2;
const BAND_HOURS = 2 * SPREAD_HOURS + 1;
/** Below this share of the (uniform) expectation for a band, an hour is unusual: about 2% of the activity. */
const UNUSUAL_RATIO = 0.1;
const SCORE = 0.1;

/**
 * A login at an hour of the day (UTC) around which the user is (almost) never
 * active, judged only on a long baseline. Weak on its own by design: people
 * do log in late now and then.
 */
export function unusualHourSignal(profile: RiskProfile, observation: Observation, baseline: Baseline): Signal | null {
  if (!baseline.complete || !spans(baseline, HOUR_BASELINE_EVENTS, HOUR_BASELINE_DAYS)) return null;
  const hour = hourOfWeek(observation.at) % 24;
  let around = 0;
  let total = 0;
  for (const [seen, weight] of profile.hours) {
    total += weight;
    const distance = Math.abs((seen % 24) - hour);
    if (Math.min(distance, 24 - distance) <= SPREAD_HOURS) around += weight;
  }
  if (total === 0) return null;
  const share = around / total;
  if (share >= (UNUSUAL_RATIO * BAND_HOURS) / 24) return null;
  const when = `${String(hour).padStart(2, '0')}:00 UTC`;
  return {
    name: 'unusual_hour',
    score: SCORE,
    message: `Active at ${when}; ${round(100 * share, 1)}% of this user's activity falls within ${SPREAD_HOURS} hours of it`,
    evidence: { hourOfDay: hour, when, share: round(share, 3), ...baselineEvidence(baseline) },
  };
}
