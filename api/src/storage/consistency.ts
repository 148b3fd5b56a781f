import { applyEvent, emptyAggregate, type UserAggregate } from '../domain/aggregate.ts';
import { type NormalizedEvent, parseLegacyEvent } from '../domain/event-input.ts';
import type { Observation } from '../domain/risk/observation.ts';
import { type GeoLookup, observe } from '../domain/risk/observe.ts';
import { advanceProfile, emptyProfile, type RiskProfile } from '../domain/risk/profile.ts';
import type { SignalName } from '../domain/risk/signals.ts';
import { DIMENSIONS, type Dimension, type TokenSet } from '../domain/tokens.ts';
import type { SqliteDatabase } from './sqlite.ts';
import { fromUserRow, fromUserValues, toUserValues, USER_COLUMNS } from './user-row.ts';

/** A user's aggregate and token counts as a replay of their stored events would build them. */
export interface Recomputed {
  aggregate: UserAggregate;
  /** `dimension\tvalue` → count, first and last time seen. */
  tokens: Map<string, { count: number; firstSeen: number; lastSeen: number }>;
}

/** A stored event's columns its user's aggregate and token counts are built from. */
export type TokenEventRow = [
  id: number,
  userId: string,
  timestamp: number,
  browser: string | null,
  os: string | null,
  device: string | null,
  ipClass: string | null,
];

/**
 * Rebuilds every user's aggregates from the Event table alone, replaying
 * each user's events in the order they were stored (ids), as ingest applied
 * them. Used to check that the incremental aggregates never drift from the
 * events (crash tests) and to rebuild them after events are purged.
 */
export function recomputeAggregates(db: SqliteDatabase, userIds?: readonly string[]): Map<string, Recomputed> {
  const rows =
    userIds === undefined
      ? db
          .prepare<[], TokenEventRow>(
            'SELECT id, userId, timestamp, browser, os, device, ipClass FROM "Event" ORDER BY id',
          )
          .raw()
          .iterate()
      : iterateUsers(
          db
            .prepare<[string], TokenEventRow>(
              'SELECT id, userId, timestamp, browser, os, device, ipClass FROM "Event" WHERE userId = ? ORDER BY id',
            )
            .raw(),
          userIds,
        );
  const users = new Map<string, Recomputed>();
  for (const row of rows) replayEvent(users, row);
  return users;
}

/**
 * Adds one stored event to its user's replayed aggregate and token counts in
 * `users` (a user's first event starts them). Each user's events must come
 * in the order they were stored (ids), as ingest applied them, whichever
 * engine they were read from.
 */
export function replayEvent(
  users: Map<string, Recomputed>,
  [id, userId, at, browser, os, device, ipClass]: TokenEventRow,
): void {
  let user = users.get(userId);
  if (user === undefined) {
    user = { aggregate: emptyAggregate(userId, at), tokens: new Map() };
    users.set(userId, user);
  }
  const tokens: TokenSet = { browser, os, device, ipClass };
  const valueCounts: Partial<Record<Dimension, number>> = {};
  for (const dimension of DIMENSIONS) {
    const value = tokens[dimension];
    if (value === null) continue;
    const key = `${dimension}\t${value}`;
    const seen = user.tokens.get(key);
    const next =
      seen === undefined
        ? { count: 1, firstSeen: at, lastSeen: at }
        : { count: seen.count + 1, firstSeen: Math.min(seen.firstSeen, at), lastSeen: Math.max(seen.lastSeen, at) };
    user.tokens.set(key, next);
    valueCounts[dimension] = next.count;
  }
  user.aggregate = applyEvent(user.aggregate, { id, at, tokens, valueCounts });
}

function* iterateUsers(
  statement: { iterate(userId: string): IterableIterator<TokenEventRow> },
  userIds: readonly string[],
): Generator<TokenEventRow> {
  for (const userId of userIds) yield* statement.iterate(userId);
}

/**
 * Where the stored aggregates differ from a replay of the stored events: one
 * line per difference, empty when they agree. Reads everything; for tests and
 * offline checks, not for the request path.
 */
export function aggregateDifferences(db: SqliteDatabase): string[] {
  const recomputed = recomputeAggregates(db);
  const differences: string[] = [];
  const columns = USER_COLUMNS.map((column) => `"${column}"`).join(', ');
  const storedUsers = db.prepare<[], unknown[]>(`SELECT ${columns} FROM "User"`).raw().all();
  const seenUsers = new Set<string>();
  for (const values of storedUsers) {
    const stored = fromUserRow(fromUserValues(values));
    seenUsers.add(stored.userId);
    const replayed = recomputed.get(stored.userId);
    if (replayed === undefined) {
      differences.push(`user ${stored.userId}: stored with ${stored.eventCount} events, but has none`);
      continue;
    }
    // Compared as the columns the User row holds (it keeps less of the previous event than the aggregate).
    const a = JSON.stringify(toUserValues(stored));
    const b = JSON.stringify(toUserValues(replayed.aggregate));
    if (a !== b) differences.push(`user ${stored.userId}: stored ${a} but events give ${b}`);
  }
  for (const userId of recomputed.keys()) {
    if (!seenUsers.has(userId)) differences.push(`user ${userId}: has events but no User row`);
  }
  const tokens = db
    .prepare<[], [string, string, string, number, number, number]>(
      'SELECT userId, dimension, value, count, firstSeen, lastSeen FROM "UserToken"',
    )
    .raw()
    .all();
  let storedTokens = 0;
  for (const [userId, dimension, value, count, firstSeen, lastSeen] of tokens) {
    storedTokens += 1;
    const replayed = recomputed.get(userId)?.tokens.get(`${dimension}\t${value}`);
    if (
      replayed === undefined ||
      replayed.count !== count ||
      replayed.firstSeen !== firstSeen ||
      replayed.lastSeen !== lastSeen
    ) {
      differences.push(
        `token ${userId} ${dimension}=${value}: stored ${count} (${firstSeen}–${lastSeen}) but events give ${
          replayed === undefined ? 'none' : `${replayed.count} (${replayed.firstSeen}–${replayed.lastSeen})`
        }`,
      );
    }
  }
  let replayedTokens = 0;
  for (const user of recomputed.values()) replayedTokens += user.tokens.size;
  if (replayedTokens !== storedTokens) {
    differences.push(`token rows: ${storedTokens} stored but events give ${replayedTokens}`);
  }
  return differences;
}

/** A stored event's columns that its v2 observation is made from, and the signals it was scored with. */
export type StoredEventRow = [
  userId: string,
  eventId: string | null,
  kind: string,
  timestamp: number,
  meta: string,
  signals?: string | null,
];

/** The names of the signals a stored event was scored with (its profile update depends on some). */
export function storedSignalNames(signals: string | null | undefined): SignalName[] {
  if (signals == null) return [];
  return (JSON.parse(signals) as Array<{ name: SignalName }>).map((signal) => signal.name);
}

/** A stored event parsed again the way its request was; null if it no longer parses. */
export function parseStored([userId, eventId, kind, timestamp, meta]: StoredEventRow): NormalizedEvent | null {
  const parsed = parseLegacyEvent(
    {
      user_id: userId,
      kind,
      timestamp,
      ...(eventId === null ? {} : { event_id: eventId }),
      meta: JSON.parse(meta) as unknown,
    },
    // A stored meta may predate a lowered limit: what was taken once is observed the same way again.
    { maxMetaBytes: Number.POSITIVE_INFINITY, maxMetaDepth: Number.POSITIVE_INFINITY },
  );
  return parsed.ok ? parsed.value : null;
}

/**
 * What the v2 model observed of a stored event at ingest: its stored form
 * parsed again the way the request was. Null if it no longer parses.
 */
export function observeStored(row: StoredEventRow, geo: GeoLookup): Observation | null {
  const event = parseStored(row);
  return event === null ? null : observe(event, row[3], geo);
}

/**
 * Users' v2 risk profiles rebuilt from their stored events, replayed in the
 * order they were stored: what ingest would have built had only these events
 * ever arrived. Events whose stored form no longer parses are skipped.
 */
export function replayRiskProfiles(
  db: SqliteDatabase,
  userIds: readonly string[],
  geo: GeoLookup,
): Map<string, RiskProfile> {
  const events = db
    .prepare<[string], StoredEventRow>(
      'SELECT userId, eventId, kind, timestamp, meta, signals FROM "Event" WHERE userId = ? ORDER BY id',
    )
    .raw();
  const profiles = new Map<string, RiskProfile>();
  for (const userId of userIds) {
    const profile = emptyProfile();
    for (const row of events.iterate(userId)) replayProfileEvent(profile, row, geo);
    profiles.set(userId, profile);
  }
  return profiles;
}

/**
 * Advances a replayed v2 profile (from `emptyProfile()`) by one of its user's
 * stored events, which must come in the order they were stored; an event
 * whose stored form no longer parses is skipped.
 */
export function replayProfileEvent(profile: RiskProfile, row: StoredEventRow, geo: GeoLookup): void {
  const observation = observeStored(row, geo);
  if (observation !== null) advanceProfile(profile, observation, storedSignalNames(row[5]));
}
