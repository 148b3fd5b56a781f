import type { RiskProfile } from './profile.ts';
import type { Evidence } from './signals.ts';

/**
 * How much history a user needs before "new to this user" means anything.
 * Commercial detections learn first too (Entra: the earlier of 10 sign-ins or
 * 14 days, at least 5 days): before that, every device and network is new.
 */
export interface BaselineSettings {
  minEvents: number;
  minDays: number;
}

export const DEFAULT_BASELINE: BaselineSettings = { minEvents: 10, minDays: 5 };

const DAY_MS = 86_400_000;

/** The history a profile's judgements rest on. */
export interface Baseline {
  /** Events the profile has seen (failed logins included). */
  events: number;
  /** Days from the first event that shaped the profile to its newest. */
  days: number;
  /** Whether there is enough history to judge novelty at all. */
  complete: boolean;
}

export function baselineOf(profile: RiskProfile, settings: BaselineSettings = DEFAULT_BASELINE): Baseline {
  const days = profile.firstAt === null || profile.at === null ? 0 : (profile.at - profile.firstAt) / DAY_MS;
  return {
    events: profile.events,
    days,
    complete: profile.events >= settings.minEvents && days >= settings.minDays,
  };
}

/** Whether the baseline has at least this much history (time of day needs more than novelty). */
export function spans(baseline: Baseline, events: number, days: number): boolean {
  return baseline.events >= events && baseline.days >= days;
}

/** What judged a signal, for its evidence: `baseline: "37 events over 21 days"` and the numbers behind it. */
export function baselineEvidence(baseline: Baseline): Evidence {
  const days = Math.floor(baseline.days);
  return {
    baseline: `${baseline.events} event${baseline.events === 1 ? '' : 's'} over ${days} day${days === 1 ? '' : 's'}`,
    baselineEvents: baseline.events,
    baselineDays: days,
  };
}
