import type { Observation } from '../observation.ts';
import { HOURS_PER_WEEK, hourOfWeek, profileWeight, type RiskProfile, WEIGHT_UNIT } from '../profile.ts';
import { round, type Signal } from '../signals.ts';

/** Below this share of the expected (uniform) weight, an hour of the week is unusual. */
const UNUSUAL_HOUR_RATIO = 0.15;
/** Hour-of-week habits need more history than value habits. */
const HOUR_BASELINE_WEIGHT = 20;

/** A login at an hour of the week the user is (almost) never active, in UTC, with the neighbouring hours counted. */
export function unusualHourSignal(profile: RiskProfile, observation: Observation): Signal | null {
  const weight = profileWeight(profile);
  if (weight < HOUR_BASELINE_WEIGHT) return null;
  const hour = hourOfWeek(observation.at);
  let around = 0;
  for (const [seen, seenWeight] of profile.hours) {
    const distance = Math.abs(seen - hour);
    if (distance <= 1 || distance === HOURS_PER_WEEK - 1) around += seenWeight;
  }
  const observed = around / WEIGHT_UNIT / 3;
  const expected = weight / HOURS_PER_WEEK;
  const ratio = observed / expected;
  if (ratio >= UNUSUAL_HOUR_RATIO) return null;
  return {
    name: 'unusual_hour',
    score: 0.15,
    message: `Active at an unusual hour for this user (${weekdayHour(hour)} UTC)`,
    evidence: { hourOfWeek: hour, when: `${weekdayHour(hour)} UTC`, share: round(ratio, 3) },
  };
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
function weekdayHour(hour: number): string {
  return `${WEEKDAYS[Math.floor(hour / 24)]} ${String(hour % 24).padStart(2, '0')}:00`;
}
