import { type AppliedEvent, applyEvent, type UserAggregate } from '../domain/aggregate.ts';
import { raisesAlert } from '../domain/alert-policy.ts';
import type { NormalizedEvent } from '../domain/event-input.ts';
import { eventFactors } from '../domain/factors.ts';
import { type Adjustments, adjustScore } from '../domain/risk/adjustments.ts';
import type { BaselineSettings } from '../domain/risk/baseline.ts';
import type { ActivityEvent, NetworkActivityWindow } from '../domain/risk/network-activity.ts';
import type { Observation } from '../domain/risk/observation.ts';
import { type GeoLookup, observe } from '../domain/risk/observe.ts';
import { isOwnNetwork } from '../domain/risk/own-network.ts';
import type { RiskProfile } from '../domain/risk/profile.ts';
import { nextUserRisk, type Score, scoreEvent, type UserRisk } from '../domain/risk/score.ts';
import type { NetworkActivity } from '../domain/risk/signals.ts';

/** The user as the event finds them. */
export interface UserBefore {
  aggregate: UserAggregate;
  profile: RiskProfile;
  risk: UserRisk | null;
}

/** What the models see of one event. */
export interface EventSeen {
  /** The event as the legacy aggregate applies it (its token counts include it). */
  applied: AppliedEvent;
  observation: Observation;
  /** What the event's IP and subnet have been up to around its time. */
  activity: NetworkActivity;
  /** When it arrived (epoch ms): trust, allow-lists and feedback in force then apply. */
  receivedAt?: number;
}

/** What one event does to its user, decided before anything of it is stored. */
export interface Assessment {
  /** The legacy aggregate after the event. */
  aggregate: UserAggregate;
  /** Bitmask of the legacy risk factors the event raised. */
  factors: number;
  /** The event's v2 risk and the signals behind it. */
  score: Score;
  /** The user's v2 risk after the event. */
  risk: UserRisk;
  /** Whether the event opens an alert or extends the user's active one. */
  alerts: boolean;
}

/**
 * Pure: the legacy drift update, the v2 score and the alert decision for one
 * event. Trust, allow-lists and feedback lower the score before it raises the
 * user's risk or an alert.
 */
export function assessEvent(
  user: UserBefore,
  event: EventSeen,
  alertThreshold: number,
  baseline?: BaselineSettings,
  adjustments?: Adjustments,
): Assessment {
  let score = scoreEvent(user.profile, event.observation, event.activity, baseline);
  if (adjustments !== undefined && !adjustments.empty) {
    const userId = event.observation.userId;
    score = adjustScore(score, event.observation, adjustments.forUser(userId), event.receivedAt ?? event.applied.at);
  }
  return {
    aggregate: applyEvent(user.aggregate, event.applied),
    factors: eventFactors(user.aggregate, event.applied),
    score,
    risk: nextUserRisk(user.risk, score.risk, event.applied.at),
    alerts: raisesAlert(score.risk, alertThreshold),
  };
}

/**
 * What the v2 model observes of an event, and its network's recent activity
 * across all users. Records the event in the activity window as it reads it.
 * `profile`: the user's before the event, which says whether the network is
 * one of their own.
 */
export function observeEvent(
  event: NormalizedEvent,
  at: number,
  receivedAt: number,
  geo: GeoLookup,
  window: NetworkActivityWindow,
  profile: RiskProfile,
): { observation: Observation; activity: NetworkActivity; recorded: ActivityEvent | null } {
  const observation = observe(event, at, geo);
  const recorded = activityEventOf(observation, profile, receivedAt, window.windowMs);
  return { observation, activity: window.observe(recorded), recorded: recorded.ip === null ? null : recorded };
}

/** Records an observed event in the activity window and returns what its network has been up to. */
export function recordActivity(
  observation: Observation,
  profile: RiskProfile,
  now: number,
  window: NetworkActivityWindow,
): NetworkActivity {
  return window.observe(activityEventOf(observation, profile, now, window.windowMs));
}

/** How the activity window records an observed event. */
function activityEventOf(observation: Observation, profile: RiskProfile, now: number, windowMs: number): ActivityEvent {
  const { network } = observation;
  const isPublic = network.scope === 'public';
  // Private subnets are shared by unrelated homes: only public addresses count as attack context.
  return {
    userId: observation.userId,
    // A producer's clock years ahead must not make its IP's window expire every real event after it.
    at: Math.min(observation.at, now + windowMs),
    ip: isPublic ? network.ip : null,
    subnet: isPublic ? network.subnet : null,
    asn: isPublic ? network.asn : null,
    failed: observation.outcome === 'failure',
    ownNetwork: isOwnNetwork(profile, observation),
  };
}
