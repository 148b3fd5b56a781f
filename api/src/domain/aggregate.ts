import { type DriftFacts, legacyDrift } from './drift.ts';
import { fingerprintHash, stability } from './fingerprint.ts';
import { DIMENSIONS, type Dimension, EMPTY_TOKENS, type TokenSet } from './tokens.ts';

/** A value a user has shown and how often. */
export interface Habit {
  value: string;
  count: number;
}

/** One of the two newest events, as far as the aggregate needs it. */
export interface EventPointer {
  id: number;
  at: number;
  tokens: TokenSet;
}

/**
 * Everything the read paths need about one user, kept current at ingest so
 * that drift and fingerprint reads never touch the event history.
 */
export interface UserAggregate {
  userId: string;
  eventCount: number;
  firstSeen: number;
  lastSeen: number;
  distinct: Record<Dimension, number>;
  habitual: Record<Dimension, Habit | null>;
  latest: EventPointer | null;
  previous: EventPointer | null;
  fingerprint: string;
  stability: number;
  driftScore: number;
}

/** An event being added, with the user's new count for each value it carries. */
export interface AppliedEvent {
  id: number;
  at: number;
  tokens: TokenSet;
  /** For each dimension the event names: how many of the user's events now carry that value. */
  valueCounts: Partial<Record<Dimension, number>>;
}

export function emptyAggregate(userId: string, at: number): UserAggregate {
  return {
    userId,
    eventCount: 0,
    firstSeen: at,
    lastSeen: at,
    distinct: { browser: 0, os: 0, device: 0, ipClass: 0 },
    habitual: { browser: null, os: null, device: null, ipClass: null },
    latest: null,
    previous: null,
    fingerprint: fingerprintHash(EMPTY_TOKENS),
    stability: 100,
    driftScore: 0,
  };
}

/** Orders events as the timeline does: by timestamp, then by arrival. */
export function isNewer(a: { at: number; id: number }, b: { at: number; id: number }): boolean {
  return a.at > b.at || (a.at === b.at && a.id > b.id);
}

/**
 * The aggregate after one more event. Events may arrive out of timestamp order;
 * the latest/previous pair is kept as the two newest by (timestamp, id).
 */
export function applyEvent(aggregate: UserAggregate, event: AppliedEvent): UserAggregate {
  const distinct = { ...aggregate.distinct };
  const habitual = { ...aggregate.habitual };
  for (const dimension of DIMENSIONS) {
    const value = event.tokens[dimension];
    const count = event.valueCounts[dimension];
    if (value === null || count === undefined) continue;
    if (count === 1) distinct[dimension] += 1;
    const current = habitual[dimension];
    // Ties keep the incumbent, so the fingerprint does not flap between two
    // equally frequent values.
    if (current === null || current.value === value || count > current.count) {
      habitual[dimension] = { value, count };
    }
  }

  const pointer: EventPointer = { id: event.id, at: event.at, tokens: event.tokens };
  let { latest, previous } = aggregate;
  if (latest === null || isNewer(pointer, latest)) {
    previous = latest;
    latest = pointer;
  } else if (previous === null || isNewer(pointer, previous)) {
    previous = pointer;
  }

  const habitualTokens = habitTokens(habitual);
  const habitsChanged = DIMENSIONS.some((d) => habitual[d]?.value !== aggregate.habitual[d]?.value);
  const next: UserAggregate = {
    ...aggregate,
    eventCount: aggregate.eventCount + 1,
    firstSeen: aggregate.eventCount === 0 ? event.at : Math.min(aggregate.firstSeen, event.at),
    lastSeen: aggregate.eventCount === 0 ? event.at : Math.max(aggregate.lastSeen, event.at),
    distinct,
    habitual,
    latest,
    previous,
    // Hashing is the costliest step of an ingest; habits rarely change.
    fingerprint: habitsChanged ? fingerprintHash(habitualTokens) : aggregate.fingerprint,
    stability: stability(latest.tokens, habitualTokens),
  };
  next.driftScore = legacyDrift(driftFacts(next)).score;
  return next;
}

export function habitTokens(habitual: Record<Dimension, Habit | null>): TokenSet {
  return {
    browser: habitual.browser?.value ?? null,
    os: habitual.os?.value ?? null,
    device: habitual.device?.value ?? null,
    ipClass: habitual.ipClass?.value ?? null,
  };
}

export function driftFacts(aggregate: UserAggregate): DriftFacts {
  return {
    ipClassCount: aggregate.distinct.ipClass,
    osCount: aggregate.distinct.os,
    browserCount: aggregate.distinct.browser,
    deviceCount: aggregate.distinct.device,
    latestDevice: aggregate.latest?.tokens.device ?? null,
    previousDevice: aggregate.previous?.tokens.device ?? null,
  };
}
