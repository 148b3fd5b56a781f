import { decayFactor, HABIT_HALF_LIFE_MS } from './decay.ts';
import { copyLine, type Line } from './lines.ts';
import type { Observation, Place } from './observation.ts';
import { travelPlaceOf } from './observation.ts';
import { advancePersonas, copyPersona, type Persona } from './personas.ts';
import type { SignalName } from './signals.ts';

/** The dimensions novelty is measured on, each against the user's own history. */
export const NOVELTY_DIMENSIONS = ['device', 'browser', 'os', 'subnet', 'asn', 'country'] as const;
export type NoveltyDimension = (typeof NOVELTY_DIMENSIONS)[number];

/**
 * Weights are integers, in thousandths of an event: each sighting adds 1,000,
 * then fades with the half-life. Three decimals change no score, and JSON
 * writes and reads integers several times faster than fractions; the profile
 * is read and written with every event.
 */
export const WEIGHT_UNIT = 1000;

/**
 * Values and their weights as `[value, weight]` pairs, in the order first
 * seen. A list rather than an object keyed by value: a user has a handful of
 * values per dimension, a scan of them is as fast as a key lookup, and arrays
 * are far cheaper than many-keyed objects to update, parse and serialize.
 */
export type Tally<K extends string | number = string> = Array<[K, number]>;

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
  /** Decayed event count (WEIGHT_UNITs): how established the baseline is. */
  weight: number;
  at: number | null;
  /** The first event that shaped the baseline (failed logins do not): how long the history is. */
  firstAt: number | null;
  values: Record<NoveltyDimension, Tally>;
  /**
   * Decayed event weight per UTC hour of the week (0 = Monday 00:00); hours
   * never seen, or forgotten, are absent: most users are active in a few
   * dozen of the 168 hours.
   */
  hours: Tally<number>;
  /**
   * Decayed event weight per network type (hosting, vpn, mobile, …): whether
   * an anonymising network is the user's habit. Absent in profiles stored
   * before types were tallied.
   */
  networkTypes?: Tally;
  lastPlace: (Place & { at: number }) | null;
  recent: RecentEvent[];
  /** Times of the failed logins since the last success (the newest MAX_FAILURES), oldest first. */
  failures: number[];
  /**
   * The last success that came after a run of failed logins (a guessed
   * password), with the run's length: the session that follows it is the
   * guesser's. Absent when there was none.
   */
  guessed?: GuessedLogin;
  /** The ways the user shows up (device × network × country), at most MAX_PERSONAS. */
  personas: Persona[];
  /** The fixed home lines (exact addresses) used in the remembered days, at most MAX_LINES. */
  lines: Line[];
}

export interface GuessedLogin {
  at: number;
  failures: number;
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
    firstAt: null,
    values: { device: [], browser: [], os: [], subnet: [], asn: [], country: [] },
    hours: [],
    networkTypes: [],
    lastPlace: null,
    recent: [],
    failures: [],
    personas: [],
    lines: [],
  };
}

/** The key's weight in events, or undefined if the tally does not hold it. */
export function weightOf<K extends string | number>(tally: Tally<K>, key: K): number | undefined {
  for (const [held, weight] of tally) if (held === key) return weight / WEIGHT_UNIT;
  return undefined;
}

/** The tally's total weight, in events. */
export function totalWeight(tally: Tally<string | number>): number {
  let total = 0;
  for (const entry of tally) total += entry[1];
  return total / WEIGHT_UNIT;
}

/** The tally as `{ value: weight in events }`, for evidence and for reading profiles in tests. */
export function weightsOf<K extends string | number>(tally: Tally<K>): Record<K, number> {
  const weights = {} as Record<K, number>;
  for (const [key, weight] of tally) weights[key] = weight / WEIGHT_UNIT;
  return weights;
}

/** A tally from `{ value: weight in events }` (weights rounded to WEIGHT_UNITs). */
export function tallyOf(weights: Readonly<Record<string, number>>): Tally {
  return Object.entries(weights).map(([key, weight]) => [key, Math.round(weight * WEIGHT_UNIT)]);
}

/** The profile's decayed event count, in events. */
export function profileWeight(profile: RiskProfile): number {
  return profile.weight / WEIGHT_UNIT;
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
 * The profile after the observation, as a new profile (the given one is left
 * as it was). A late (older) event adds a weight that has already faded
 * instead of rewinding the profile.
 */
export function updateProfile(profile: RiskProfile, observation: Observation): RiskProfile {
  const next = copyProfile(profile);
  advanceProfile(next, observation);
  return next;
}

/**
 * `updateProfile` in place, for the writer, which owns the profile it just
 * read: copying every weight for every event cost more than scoring it.
 */
export function advanceProfile(
  profile: RiskProfile,
  observation: Observation,
  signals: readonly SignalName[] = [],
): void {
  const { at } = observation;
  // Before anything else moves: a new persona is judged against the account as the event found it.
  if (observation.outcome !== 'failure') advancePersonas(profile, observation, signals);
  const recent = profile.recent;
  const newest = Math.max(at, profile.at ?? at, recent.at(-1)?.at ?? at);
  recent.push({ at, device: observation.client.device, subnet: observation.network.subnet });
  if (recent.length > 1 && (recent[recent.length - 2] as RecentEvent).at > at) recent.sort((a, b) => a.at - b.at);
  // The profile is stored with every event: older entries would only make it larger.
  let stale = Math.max(0, recent.length - RECENT_EVENTS);
  while (stale < recent.length && newest - (recent[stale] as RecentEvent).at > RECENT_WINDOW_MS) stale += 1;
  if (stale > 0) recent.splice(0, stale);
  profile.events += 1;
  if (observation.outcome === 'success') {
    const run = failuresBefore(profile.failures, at);
    if (run >= GUESSING_RUN) profile.guessed = { at, failures: run };
  }
  profile.failures = nextFailures(profile.failures, observation);
  // A failed login is somebody trying, not the user's habit: it must not make
  // the attacker's device or country familiar before the guess that works.
  if (observation.outcome === 'failure') return;
  if (profile.firstAt === null || at < profile.firstAt) profile.firstAt = at;

  const now = profile.at === null ? at : Math.max(profile.at, at);
  const fade = profile.at === null ? 1 : decayFactor(now - profile.at);
  const added = WEIGHT_UNIT * decayFactor(now - at);
  const current = noveltyValues(observation);
  for (const dimension of NOVELTY_DIMENSIONS) {
    const tally = profile.values[dimension];
    fadeTally(tally, fade);
    const value = current[dimension];
    if (value === null) continue;
    addTo(tally, value, added);
    if (tally.length > MAX_VALUES_PER_DIMENSION) dropFaintest(tally);
  }
  fadeTally(profile.hours, fade);
  addTo(profile.hours, hourOfWeek(at), added);
  profile.networkTypes ??= [];
  const types = profile.networkTypes;
  fadeTally(types, fade);
  if (observation.network.type !== null) addTo(types, observation.network.type, added);

  const place = travelPlaceOf(observation.network, observation.client.device);
  if (place !== null && (profile.lastPlace === null || at >= profile.lastPlace.at))
    profile.lastPlace = { ...place, at };
  profile.weight = Math.round(profile.weight * fade + added);
  profile.at = now;
}

/** A deep copy (cheaper than structuredClone, and it keeps the shape). */
function copyProfile(profile: RiskProfile): RiskProfile {
  const values = {} as Record<NoveltyDimension, Tally>;
  for (const dimension of NOVELTY_DIMENSIONS) values[dimension] = copyTally(profile.values[dimension]);
  const copy: RiskProfile = {
    events: profile.events,
    weight: profile.weight,
    at: profile.at,
    firstAt: profile.firstAt,
    values,
    hours: copyTally(profile.hours),
    networkTypes: copyTally(profile.networkTypes ?? []),
    lastPlace: profile.lastPlace === null ? null : { ...profile.lastPlace },
    recent: profile.recent.map((event) => ({ ...event })),
    failures: [...profile.failures],
    personas: profile.personas.map(copyPersona),
    lines: profile.lines.map(copyLine),
  };
  if (profile.guessed !== undefined) copy.guessed = { ...profile.guessed };
  return copy;
}

/** Profiles stored before weights were tallies of integers: objects of fractional weights, hours possibly dense. */
interface StoredProfileV1 extends Omit<RiskProfile, 'values' | 'hours' | 'weight' | 'firstAt'> {
  weight: number;
  values: Record<NoveltyDimension, Record<string, number>>;
  hours: Record<number, number> | number[];
}

/** A profile as parsed from storage, in today's shape whatever shape it was stored in. */
export function upgradeProfile(stored: RiskProfile | StoredProfileV1 | StoredWithoutStart): RiskProfile {
  // Profiles stored before personas (or home lines) were kept start with none.
  (stored as { personas?: Persona[] }).personas ??= [];
  (stored as { lines?: Line[] }).lines ??= [];
  if (Array.isArray(stored.values.device)) return withStart(stored as StoredWithoutStart);
  const old = stored as StoredProfileV1;
  const values = {} as Record<NoveltyDimension, Tally>;
  for (const dimension of NOVELTY_DIMENSIONS) values[dimension] = tallyOf(old.values[dimension] ?? {});
  const hours: Tally<number> = [];
  // Dense arrays from before hours were sparse hold zeros for hours never seen.
  for (const [hour, weight] of Object.entries(old.hours)) {
    if (weight > 0) hours.push([Number(hour), Math.round(weight * WEIGHT_UNIT)]);
  }
  return withStart({ ...old, weight: Math.round(old.weight * WEIGHT_UNIT), values, hours });
}

/** Profiles stored before they kept when their history starts. */
type StoredWithoutStart = Omit<RiskProfile, 'firstAt'> & { firstAt?: number | null };

/**
 * Weight enough for a complete default baseline (10 events): such a profile
 * is taken to have begun one half-life before its newest event, past any
 * default minimum; a lighter one starts learning at its newest event.
 */
const STORED_MATURE_WEIGHT = 10 * WEIGHT_UNIT;

function withStart(stored: StoredWithoutStart): RiskProfile {
  if (stored.firstAt !== undefined) return stored as RiskProfile;
  const { at } = stored;
  const firstAt = at === null ? null : stored.weight >= STORED_MATURE_WEIGHT ? at - HABIT_HALF_LIFE_MS : at;
  return { ...stored, firstAt };
}

/** Below this (about a year, nine half-lives, unseen) a weight is forgotten. */
const FORGOTTEN = 2;

/** Fades every weight by `fade`, in place, dropping the forgotten. */
function fadeTally(tally: Tally<string | number>, fade: number): void {
  if (fade === 1) return;
  let kept = 0;
  for (const entry of tally) {
    entry[1] = Math.round(entry[1] * fade);
    if (entry[1] >= FORGOTTEN) {
      tally[kept] = entry;
      kept += 1;
    }
  }
  tally.length = kept;
}

function addTo<K extends string | number>(tally: Tally<K>, key: K, weight: number): void {
  for (const entry of tally) {
    if (entry[0] === key) {
      entry[1] = Math.round(entry[1] + weight);
      return;
    }
  }
  tally.push([key, Math.round(weight)]);
}

/** Drops the faintest value (on a tie, the latest added). */
function dropFaintest(tally: Tally): void {
  let faintest = 0;
  for (let index = 1; index < tally.length; index += 1) {
    if ((tally[index] as [string, number])[1] <= (tally[faintest] as [string, number])[1]) faintest = index;
  }
  tally.splice(faintest, 1);
}

function copyTally<K extends string | number>(tally: Tally<K>): Tally<K> {
  return tally.map(([key, weight]) => [key, weight]);
}

/** Failures remembered per user: enough to tell a few mistypes from guessing. */
export const MAX_FAILURES = 20;
/** Failed logins within FAILURE_WINDOW_MS that are a guessing run rather than a mistype or two. */
export const GUESSING_RUN = 3;
export const FAILURE_WINDOW_MS = 60 * 60 * 1000;

/** The failed logins within the hour up to `at`. */
export function failuresBefore(failures: readonly number[], at: number): number {
  let count = 0;
  for (const failedAt of failures) if (failedAt <= at && at - failedAt <= FAILURE_WINDOW_MS) count += 1;
  return count;
}

function nextFailures(failures: number[], observation: Observation): number[] {
  if (observation.outcome === 'success') return [];
  if (observation.outcome !== 'failure') return failures;
  return [...failures, observation.at].sort((a, b) => a - b).slice(-MAX_FAILURES);
}
