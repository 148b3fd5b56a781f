import type { Observation } from '../observation.ts';
import type { RiskProfile } from '../profile.ts';
import type { Signal } from '../signals.ts';

const FAILURE_WINDOW_MS = 60 * 60 * 1000;

/** A success right after a run of failed logins (password guessing that worked). */
export function failedLoginsSignal(profile: RiskProfile, observation: Observation): Signal | null {
  if (observation.outcome !== 'success') return null;
  const recent = profile.failures.filter((at) => at <= observation.at && observation.at - at <= FAILURE_WINDOW_MS);
  if (recent.length < 3) return null;
  return {
    name: 'failed_logins',
    score: recent.length >= 10 ? 0.6 : 0.35,
    message: `Successful login after ${recent.length} failed attempts within the hour`,
    evidence: { failures: recent.length, since: new Date(recent[0] as number).toISOString() },
  };
}
