import { decayFactor } from './decay.ts';
import type { Observation, Place } from './observation.ts';
import { placeOf } from './observation.ts';

/** The dimensions novelty is measured on, each against the user's own history. */
export const NOVELTY_DIMENSIONS = ['device', 'browser', 'os', 'subnet', 'asn', 'country'] as const;
export type NoveltyDimension = (typeof NOVELTY_DIMENSIONS)[number];

/** A value's weight as of the profile's `at` (each sighting adds 1, then fades with the half-life). */
export type Weights = Record<string, number>;

/** One recent event, enough for velocity and sharing. */
export interface RecentEvent {
  at: number;
  device: string | null;
  subnet: string | null;
}

/**
 * Everything the v2 model remembers about one user, updated once per event
 * (never by reading history back) and stored as one JSON document. Weights are
 * decayed to `at`, the newest event time seen.
 */
export interface RiskProfile {
  events: number;
  /** Decayed event count: how established the baseline is. */
  weight: number;
  at: number | null;
  values: Record<NoveltyDimension, Weights>;
  /**
   * Decayed event weight per UTC hour of the week (0 = Monday 00:00); hours
   * never seen, or forgotten, are absent. Sparse because most users are active
   * in a few dozen of the 168 hours, and the profile is stored with every event.
   */
  hours: Record<number, number>;
  lastPlace: (Place & { at: number }) | null;
  recent: RecentEvent[];
  /** Times of the failed logins since the last success (the newest MAX_FAILURES), oldest first. */
  failures: number[];
}

/** Values kept per dimension; the faintest go first (a rotating mobile subnet must not grow the profile). */
export const MAX_VALUES_PER_DIMENSION = 24;
/** Events kept for velocity and sharing: at most this many, and only this recent (the signals look back an hour). */
export const RECENT_EVENTS = 20;
export const RECENT_WINDOW_MS = 60 * 60 * 1000;
export const HOURS_PER_WEEK = 168;

export function emptyProfile(): RiskProfile {
  return {
    events: 0,
    weight: 0,
    at: null,
    values: { device: {}, browser: {}, os: {}, subnet: {}, asn: {}, country: {} },
    hours: {},
    lastPlace: null,
    recent: [],
    failures: [],
  };
}

/** UTC hour of the week, Monday 00:00 = 0 (1970-01-01 was a Thursday). */
export function hourOfWeek(at: number): number {
  const day = Math.floor(at / 86_400_000);
  const hour = Math.floor((at % 86_400_000) / 3_600_000);
  return ((((day + 3) % 7) + 7) % 7) * 24 + hour;
}

/** The observation's value for each novelty dimension (null where unknown). */
export function noveltyValues(observation: Observation): Record<NoveltyDimension, string | null> {
  const { client, network } = observation;
  return {
    device: client.device,
    browser: client.browser,
    os: client.os,
    subnet: network.scope === 'public' ? network.subnet : null,
    asn: network.asn === null ? null : String(network.asn),
    country: network.country,
  };
}

/**
 * The profile after the observation. A late (older) event adds a weight that
 * has already faded instead of rewinding the profile.
 */
export function updateProfile(profile: RiskProfile, observation: Observation): RiskProfile {
  const { at } = observation;
  // The profile is stored with every event: older entries would only make it larger.
  const newest = Math.max(at, profile.at ?? at, profile.recent.at(-1)?.at ?? at);
  const recent = [...profile.recent, { at, device: observation.client.device, subnet: observation.network.subnet }]
    .filter((event) => newest - event.at <= RECENT_WINDOW_MS)
    .sort((a, b) => a.at - b.at)
    .slice(-RECENT_EVENTS);
  // A failed login is somebody trying, not the user's habit: it must not make
  // the attacker's device or country familiar before the guess that works.
  if (observation.outcome === 'failure') {
    return { ...profile, events: profile.events + 1, recent, failures: nextFailures(profile.failures, observation) };
  }
  const now = profile.at === null ? at : Math.max(profile.at, at);
  const fade = profile.at === null ? 1 : decayFactor(now - profile.at);
  const added = decayFactor(now - at);

  const values = {} as Record<NoveltyDimension, Weights>;
  const current = noveltyValues(observation);
  for (const dimension of NOVELTY_DIMENSIONS) {
    const next = faded(profile.values[dimension], fade);
    const value = current[dimension];
    if (value !== null) next[value] = compact((next[value] ?? 0) + added);
    values[dimension] = capValues(next);
  }
  const hours = faded(profile.hours, fade);
  const hour = hourOfWeek(at);
  hours[hour] = compact((hours[hour] ?? 0) + added);

  const place = placeOf(observation.network);
  const lastPlace =
    place !== null && (profile.lastPlace === null || at >= profile.lastPlace.at) ? { ...place, at } : profile.lastPlace;

  return {
    events: profile.events + 1,
    weight: compact(profile.weight * fade + added),
    at: now,
    values,
    hours,
    lastPlace,
    recent,
    failures: nextFailures(profile.failures, observation),
  };
}

/**
 * Weights are kept to three decimals: the profile is stored as JSON with every
 * event, and full doubles made it twice the size for no difference in scores.
 */
function compact(weight: number): number {
  return Math.round(weight * 1000) / 1000;
}

const FORGOTTEN = 0.002;

/** The weights faded by `fade`, without those faded below FORGOTTEN (about a year, nine half-lives, unseen). */
function faded<K extends string | number>(weights: Record<K, number>, fade: number): Record<K, number> {
  const next = {} as Record<K, number>;
  // for…in rather than Object.entries: this runs for every event and dimension.
  // Profiles stored before hours were sparse hold an array, whose indices enumerate the same way.
  for (const key in weights) {
    const weight = compact(weights[key] * fade);
    if (weight >= FORGOTTEN) next[key] = weight;
  }
  return next;
}

/** Failures remembered per user: enough to tell a few mistypes from guessing. */
export const MAX_FAILURES = 20;

function nextFailures(failures: readonly number[], observation: Observation): number[] {
  if (observation.outcome === 'success') return [];
  if (observation.outcome !== 'failure') return [...failures];
  return [...failures, observation.at].sort((a, b) => a - b).slice(-MAX_FAILURES);
}

function capValues(weights: Weights): Weights {
  const entries = Object.entries(weights);
  if (entries.length <= MAX_VALUES_PER_DIMENSION) return weights;
  entries.sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(entries.slice(0, MAX_VALUES_PER_DIMENSION));
}
