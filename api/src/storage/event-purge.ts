import { type GeoLookup, NO_GEO } from '../domain/risk/observe.ts';
import { verdictOf } from '../domain/risk/verdict.ts';
import { recomputeAggregates, replayRiskProfiles } from './consistency.ts';
import type { EventPurge, ProfileRebuilds, PurgeOutcome } from './ports.ts';
import type { RankChange, RankHistory } from './rank-history.ts';
import type { SqliteDatabase } from './sqlite.ts';
import { toUserValues, USER_COLUMNS } from './user-row.ts';
import { rankMoved, UserStanding } from './user-standing.ts';

/**
 * Retention on the writer connection: deletes events older than a cutoff a
 * few hundred users at a time (each batch one transaction, so ingest keeps
 * going between them) and rebuilds the affected users' aggregates and token
 * counts and their v2 risk profile from the events they have left, so reads
 * and scoring stay exactly what a replay of the stored events gives. Alerts
 * whose last event is older than the cutoff go too: their evidence is gone,
 * and with them and the rebuilt profile, the user's standing (alert level,
 * verdict) is recomputed and their move in the rankings recorded.
 */
export class EventPurger implements EventPurge {
  readonly #db: SqliteDatabase;
  readonly #usersBefore;
  readonly #deleteEvents;
  readonly #deleteUser;
  readonly #deleteTokens;
  readonly #insertToken;
  readonly #updateUser;
  readonly #deleteAlerts;
  readonly #purge;
  readonly #geo: GeoLookup;
  readonly #profiles: ProfileRebuilds;
  readonly #standing: UserStanding;
  readonly #ranks: RankHistory | undefined;

  constructor(db: SqliteDatabase, profiles: ProfileRebuilds, geo: GeoLookup = NO_GEO, ranks?: RankHistory) {
    this.#db = db;
    this.#geo = geo;
    this.#profiles = profiles;
    this.#standing = new UserStanding(db);
    this.#ranks = ranks;
    // A user's firstSeen is their oldest event's time: only these users have anything to purge.
    this.#usersBefore = db
      .prepare<[number, number], string>('SELECT id FROM "User" WHERE firstSeen < ? LIMIT ?')
      .pluck();
    this.#deleteEvents = db.prepare<[string, number]>('DELETE FROM "Event" WHERE userId = ? AND timestamp < ?');
    this.#deleteUser = db.prepare<[string]>('DELETE FROM "User" WHERE id = ?');
    this.#deleteTokens = db.prepare<[string]>('DELETE FROM "UserToken" WHERE userId = ?');
    this.#insertToken = db.prepare<[string, string, string, number, number, number]>(
      'INSERT INTO "UserToken" (userId, dimension, value, count, firstSeen, lastSeen) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const [, ...updated] = USER_COLUMNS.map((column) => `"${column}"`);
    this.#updateUser = db.prepare<unknown[]>(
      `UPDATE "User" SET (${updated.join(', ')}) = (${updated.map(() => '?').join(', ')}) WHERE id = ?`,
    );
    this.#deleteAlerts = db.prepare<[string, number]>('DELETE FROM "Alert" WHERE userId = ? AND lastAt < ?');
    this.#purge = db.transaction((cutoff: number, maxUsers: number) => this.#purgeBatch(cutoff, maxUsers));
  }

  purgeBatch(cutoff: number, maxUsers = 500): PurgeOutcome {
    const { outcome, written, moved } = this.#purge.immediate(cutoff, maxUsers);
    if (moved.length > 0) this.#ranks?.record(moved, Date.now());
    this.#profiles.markWritten(written);
    // Their rows now hold the rebuilt profiles (or are gone with the user).
    this.#profiles.forget(outcome.users);
    return outcome;
  }

  #purgeBatch(cutoff: number, maxUsers: number): { outcome: PurgeOutcome; written: string[]; moved: RankChange[] } {
    const users = this.#usersBefore.all(cutoff, maxUsers) as string[];
    const outcome: PurgeOutcome = { users, events: 0, removedUsers: 0, alerts: 0 };
    const moved: RankChange[] = [];
    if (users.length === 0) return { outcome, written: [], moved };
    const before = new Map(users.map((userId) => [userId, this.#standing.rankValues(userId)]));
    // Every profile held in memory goes to storage first, so that with the
    // rebuilt ones the stored profiles hold every event and the checkpoint
    // can move to the newest: a restart must not replay events into a
    // profile rebuilt from them.
    const written = this.#profiles.writeBackWithin();
    for (const userId of users) {
      outcome.events += this.#deleteEvents.run(userId, cutoff).changes;
      outcome.alerts += this.#deleteAlerts.run(userId, cutoff).changes;
    }
    // One replay of the batch's remaining events rebuilds the aggregates and token counts, another the
    // v2 profiles (habits, hours, last place): nothing of a purged event may linger in either.
    const rebuilt = recomputeAggregates(this.#db, users);
    const profiles = replayRiskProfiles(this.#db, [...rebuilt.keys()], this.#geo);
    for (const userId of users) {
      const user = rebuilt.get(userId);
      if (user === undefined) {
        // Nothing left: the user goes, with their profile, tokens and alerts (cascade).
        this.#deleteUser.run(userId);
        outcome.removedUsers += 1;
        continue;
      }
      const [id, ...rest] = toUserValues(user.aggregate);
      this.#updateUser.run(...rest, id);
      const profile = profiles.get(userId);
      this.#standing.refresh(userId, profile === undefined ? null : (verdictOf(profile)?.kind ?? null));
      const was = before.get(userId);
      const now = this.#standing.rankValues(userId);
      if (was !== undefined && now !== undefined && rankMoved(was, now)) moved.push([userId, was]);
      this.#deleteTokens.run(userId);
      for (const [key, token] of user.tokens) {
        // Dimensions never hold a tab; a value might.
        const tab = key.indexOf('\t');
        this.#insertToken.run(
          userId,
          key.slice(0, tab),
          key.slice(tab + 1),
          token.count,
          token.firstSeen,
          token.lastSeen,
        );
      }
    }
    this.#profiles.storeRebuiltWithin(profiles);
    return { outcome, written, moved };
  }
}
