import type { Observation } from '../observation.ts';
import { sensitiveKind } from '../personas.ts';
import { FAILURE_WINDOW_MS, failuresBefore, GUESSING_RUN, type RiskProfile } from '../profile.ts';
import type { Signal } from '../signals.ts';

/**
 * Password guessing on one account: a run of failed logins within the hour
 * (a mistype or two is ordinary, a third is somebody trying), the success
 * that ends it, and a sensitive change in the hour after that success, the
 * guesser securing the account. The run itself scores low: a user who forgot
 * their password makes one too, and it is the success that matters.
 */
export function failedLoginsSignal(profile: RiskProfile, observation: Observation): Signal | null {
  if (observation.outcome === 'failure') return guessingRun(profile, observation);
  if (observation.outcome === 'success') return guessedLogin(profile, observation);
  return changeAfterGuessedLogin(profile, observation);
}

function guessingRun(profile: RiskProfile, observation: Observation): Signal | null {
  const run = failuresBefore(profile.failures, observation.at) + 1;
  if (run < GUESSING_RUN) return null;
  return {
    name: 'failed_logins',
    score: run >= 10 ? 0.3 : run >= 5 ? 0.2 : 0.1,
    message: `${run} failed logins within the hour`,
    evidence: { failures: run, since: since(profile, observation) },
  };
}

function guessedLogin(profile: RiskProfile, observation: Observation): Signal | null {
  const run = failuresBefore(profile.failures, observation.at);
  if (run < GUESSING_RUN) return null;
  return {
    name: 'failed_logins',
    score: run >= 10 ? 0.6 : 0.35,
    message: `Successful login after ${run} failed attempts within the hour`,
    evidence: { failures: run, since: since(profile, observation) },
  };
}

function changeAfterGuessedLogin(profile: RiskProfile, observation: Observation): Signal | null {
  const action = sensitiveKind(observation.kind);
  const guessed = profile.guessed;
  if (action === null || guessed === undefined) return null;
  const after = observation.at - guessed.at;
  if (after < 0 || after > FAILURE_WINDOW_MS) return null;
  const minutes = Math.max(1, Math.round(after / 60_000));
  return {
    name: 'failed_logins',
    score: 0.5,
    message: `${action} ${minutes} minute${minutes === 1 ? '' : 's'} after a login that followed ${guessed.failures} failed attempts`,
    evidence: { action, failures: guessed.failures, loginAt: new Date(guessed.at).toISOString() },
  };
}

/** The first failure of the run within the hour. */
function since(profile: RiskProfile, observation: Observation): string {
  const first = profile.failures.find((at) => at <= observation.at && observation.at - at <= FAILURE_WINDOW_MS);
  return new Date(first ?? observation.at).toISOString();
}
