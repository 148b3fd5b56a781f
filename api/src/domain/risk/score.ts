import { type BaselineSettings, baselineOf, DEFAULT_BASELINE } from './baseline.ts';
import { decayFactor } from './decay.ts';
import type { Observation } from './observation.ts';
import { type RiskProfile, updateProfile } from './profile.ts';
import { anonymousNetworkSignal } from './signals/anonymous-network.ts';
import { credentialStuffingSignal } from './signals/credential-stuffing.ts';
import { failedLoginsSignal } from './signals/failed-logins.ts';
import { impossibleTravelSignal } from './signals/impossible-travel.ts';
import { deviceAndNetworkSignal, noveltySignals } from './signals/novelty.ts';
import { sensitiveActionSignal } from './signals/sensitive-action.ts';
import { unusualHourSignal } from './signals/unusual-hour.ts';
import { velocitySignals } from './signals/velocity.ts';
import { verdictPersonaSignal } from './signals/verdict-persona.ts';
import type { NetworkActivity, Signal } from './signals.ts';

export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';

/** Lower bounds of each level on the 0–100 scale. */
export const LEVEL_FLOORS: ReadonlyArray<[RiskLevel, number]> = [
  ['critical', 80],
  ['high', 60],
  ['medium', 30],
  ['low', 0],
];

export function riskLevel(score: number): RiskLevel {
  for (const [level, floor] of LEVEL_FLOORS) if (score >= floor) return level;
  return 'low';
}

/**
 * Signals combine like independent chances of something being wrong:
 * risk = 1 − Π(1 − contribution), on 0–100. Two weak reasons make a
 * stronger one, and no pile of weak reasons passes 100.
 */
export function combine(signals: readonly Signal[]): number {
  let clean = 1;
  for (const signal of signals) clean *= 1 - Math.min(1, Math.max(0, signal.score));
  return Math.round(100 * (1 - clean));
}

export interface Score {
  risk: number;
  level: RiskLevel;
  /** Strongest first. */
  signals: Signal[];
}

export interface Assessment extends Score {
  profile: RiskProfile;
}

/**
 * Scores one event against the user's profile (before the event), leaving the
 * profile as it is. Novelty and time of day wait for a complete baseline;
 * attack evidence (failures, travel, stuffing) never does.
 */
export function scoreEvent(
  profile: RiskProfile,
  observation: Observation,
  activity: NetworkActivity,
  settings: BaselineSettings = DEFAULT_BASELINE,
): Score {
  const baseline = baselineOf(profile, settings);
  const signals = [
    ...noveltySignals(profile, observation, baseline),
    deviceAndNetworkSignal(profile, observation, baseline),
    impossibleTravelSignal(profile, observation),
    anonymousNetworkSignal(profile, observation),
    sensitiveActionSignal(profile, observation, baseline),
    verdictPersonaSignal(profile, observation),
    ...velocitySignals(profile, observation),
    unusualHourSignal(profile, observation, baseline),
    failedLoginsSignal(profile, observation),
    credentialStuffingSignal(activity, observation, baseline),
  ]
    .filter((signal): signal is Signal => signal !== null)
    .sort((a, b) => b.score - a.score);
  const risk = combine(signals);
  return { risk, level: riskLevel(risk), signals };
}

/** Scores one event and returns the profile after it (a new one: the writer advances its own in place). */
export function assess(
  profile: RiskProfile,
  observation: Observation,
  activity: NetworkActivity,
  settings: BaselineSettings = DEFAULT_BASELINE,
): Assessment {
  return { ...scoreEvent(profile, observation, activity, settings), profile: updateProfile(profile, observation) };
}

/** A user's current risk fades by half every day without a new risky event. */
export const USER_RISK_HALF_LIFE_MS = 24 * 3600 * 1000;

export interface UserRisk {
  score: number;
  /** When `score` was last raised or recomputed. */
  at: number;
}

/** The user's risk at `at`: the decayed previous risk or the new event's, whichever is higher. */
export function nextUserRisk(previous: UserRisk | null, eventRisk: number, at: number): UserRisk {
  if (previous === null) return { score: eventRisk, at };
  const now = Math.max(at, previous.at);
  // A late event has already faded by the time it arrives in the user's timeline.
  const incoming = currentRisk({ score: eventRisk, at }, now);
  return { score: Math.max(currentRisk(previous, now), incoming), at: now };
}

/** The decayed value of a stored user risk at a given time (read paths call this with the clock). */
export function currentRisk(risk: UserRisk, now: number): number {
  return Math.round(risk.score * decayFactor(now - risk.at, USER_RISK_HALF_LIFE_MS) * 10) / 10;
}
