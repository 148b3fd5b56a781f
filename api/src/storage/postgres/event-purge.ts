import type pg from 'pg';
import { type GeoLookup, NO_GEO } from '../../domain/risk/observe.ts';
import { emptyProfile, type RiskProfile } from '../../domain/risk/profile.ts';
import type { RiskLevel } from '../../domain/risk/score.ts';
import { attention, highestLevel, type LevelRank } from '../../domain/risk/standing.ts';
import { encodeProfile } from '../../domain/risk/stored-profile.ts';
import { verdictOf } from '../../domain/risk/verdict.ts';
import { type Recomputed, replayEvent, replayProfileEvent, type TokenEventRow } from '../consistency.ts';
import type { EventPurge, PurgeOutcome } from '../ports.ts';
import { toUserValues, USER_COLUMNS } from '../user-row.ts';
import { rankMovesBefore } from './rank-walks.ts';
import { epochMsOf, timestampOf } from './timestamps.ts';
import { DEFAULT_LOCK_TIMEOUT_MS, inTransaction } from './transaction.ts';
import { lockUsers } from './user-locks.ts';
import { USER_TYPES } from './write-store.ts';

export interface PostgresEventPurgerOptions {
  /** How long a batch waits for its users' locks (ingest on some node) before giving up with StoreBusyError. */
  lockTimeoutMs?: number;
}

/** Events read per round trip while replaying: a batch's users may have millions, never all in memory at once. */
const FETCH_ROWS = 5000;

const cutoffAt = timestampOf('$1::float8');
// A user's firstSeen is their oldest event's time: only these users have anything to purge.
const CANDIDATES = `SELECT id FROM "User" WHERE "firstSeen" < ${cutoffAt} ORDER BY id LIMIT $2`;
const STILL_OLD = `SELECT id FROM "User" WHERE "firstSeen" < ${cutoffAt} AND id = ANY($2::text[]) ORDER BY id`;
const DELETE_EVENTS = `DELETE FROM "Event" WHERE timestamp < ${cutoffAt} AND "userId" = ANY($2::text[])`;
const DELETE_ALERTS = `DELETE FROM "Alert" WHERE "lastAt" < ${cutoffAt} AND "userId" = ANY($2::text[])`;
// The columns of a TokenEventRow, then the rest of a StoredEventRow's; ids as ingest applied them.
const REMAINING_EVENTS = `DECLARE pd_purge_events NO SCROLL CURSOR FOR
  SELECT id, "userId", ${epochMsOf('timestamp')}, browser, os, device, "ipClass", "eventId", kind, meta, signals
  FROM "Event" WHERE "userId" = ANY($1::text[]) ORDER BY id`;
const FETCH_EVENTS = `FETCH FORWARD ${FETCH_ROWS} FROM pd_purge_events`;
// Events, tokens, the profile and any alert left go with the user (foreign keys).
const DELETE_USERS = 'DELETE FROM "User" WHERE id = ANY($1::text[])';
const UNRESOLVED_LEVELS = `SELECT "userId", array_agg(DISTINCT level) FROM "Alert"
  WHERE "userId" = ANY($1::text[]) AND status <> 'resolved' GROUP BY "userId"`;
// The aggregate's columns (USER_COLUMNS, id first), then the standing's; the users' moves in the rankings with them.
const UPDATE_USERS = (() => {
  const columns: string[] = [...USER_COLUMNS, 'alertLevel', 'verdict', 'attention'];
  const types = [...USER_COLUMNS.map((name) => USER_TYPES[name]), 'int4', 'text', 'int4'];
  const names = columns.map((name) => `"${name}"`);
  const arrays = types.map((type, i) => `$${i + 1}::${type === 'ms' ? 'float8' : type}[]`);
  const values = types.map((type, i) => (type === 'ms' ? timestampOf(`v.c${i}`) : `v.c${i}`));
  const moves = rankMovesBefore('v', 'v.c0', (column) => values[columns.indexOf(column)]);
  return `WITH v AS (SELECT * FROM unnest(${arrays.join(', ')}) AS v(${types.map((_, i) => `c${i}`).join(', ')})),
    ${moves}
    UPDATE "User" AS u SET (${names.slice(1).join(', ')}) = (${values.slice(1).join(', ')}) FROM v WHERE u.id = v.c0`;
})();
const DELETE_TOKENS = 'DELETE FROM "UserToken" WHERE "userId" = ANY($1::text[])';
const INSERT_TOKENS = `INSERT INTO "UserToken" ("userId", dimension, value, count, "firstSeen", "lastSeen")
  SELECT u, d, v, c, ${timestampOf('f')}, ${timestampOf('l')}
  FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[], $5::float8[], $6::float8[]) AS t(u, d, v, c, f, l)`;
const UPSERT_PROFILES = `INSERT INTO "UserRiskProfile" ("userId", profile) SELECT * FROM unnest($1::text[], $2::text[])
  ON CONFLICT ("userId") DO UPDATE SET profile = excluded.profile`;

type EventRow = [...TokenEventRow, eventId: string | null, kind: string, meta: string, signals: string | null];

/**
 * Retention on PostgreSQL, as EventPurger does it on SQLite: deletes events
 * and alerts older than a cutoff a few hundred users at a time, each batch
 * one transaction holding its users' advisory locks (ascending, as ingest
 * takes them on every node), and rebuilds each user's aggregate, token
 * counts, v2 risk profile and standing from the events left, removing users
 * left with none. Every commit writes its profiles, so no profile is held in
 * a node's memory to write back or forget, and its users' moves in the
 * rankings (rank-walks.ts).
 */
export class PostgresEventPurger implements EventPurge {
  readonly #pool: pg.Pool;
  readonly #geo: GeoLookup;
  readonly #lockTimeoutMs: number;

  constructor(pool: pg.Pool, geo: GeoLookup = NO_GEO, options: PostgresEventPurgerOptions = {}) {
    this.#pool = pool;
    this.#geo = geo;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  }

  async purgeBatch(cutoff: number, maxUsers = 500): Promise<PurgeOutcome> {
    for (;;) {
      const outcome = await inTransaction(
        this.#pool,
        (client) => this.#purgeBatch(client, cutoff, maxUsers),
        this.#lockTimeoutMs,
      );
      // Null: another node purged (or deleted) every user picked before the locks were ours; others may be left.
      if (outcome !== null) return outcome;
    }
  }

  async #purgeBatch(client: pg.PoolClient, cutoff: number, maxUsers: number): Promise<PurgeOutcome | null> {
    const candidates = await column(client, 'pd_purge_candidates', CANDIDATES, [cutoff, maxUsers]);
    if (candidates.length === 0) return { users: [], events: 0, removedUsers: 0, alerts: 0 };
    await lockUsers(client, candidates);
    // Picked before the locks: each is asked again now that nobody else can change them.
    const users = await column(client, 'pd_purge_still_old', STILL_OLD, [cutoff, candidates]);
    if (users.length === 0) return null;
    const outcome: PurgeOutcome = { users, events: 0, removedUsers: 0, alerts: 0 };
    outcome.events = await changes(client, 'pd_purge_events', DELETE_EVENTS, [cutoff, users]);
    outcome.alerts = await changes(client, 'pd_purge_alerts', DELETE_ALERTS, [cutoff, users]);

    // One replay of the remaining events rebuilds both the aggregates and token counts and the v2
    // profiles (habits, hours, last place): nothing of a purged event may linger in either.
    const rebuilt = new Map<string, Recomputed>();
    const profiles = new Map<string, RiskProfile>();
    // Planned for all of its rows, not the first few: a fast start would walk the whole Event table in id order.
    await client.query('SET LOCAL cursor_tuple_fraction = 1');
    await client.query({ text: REMAINING_EVENTS, values: [users] });
    for (;;) {
      const rows = (await client.query<EventRow>({ text: FETCH_EVENTS, rowMode: 'array' })).rows;
      for (const row of rows) {
        const [id, userId, timestamp, browser, os, device, ipClass, eventId, kind, meta, signals] = row;
        replayEvent(rebuilt, [id, userId, timestamp, browser, os, device, ipClass]);
        let profile = profiles.get(userId);
        if (profile === undefined) {
          profile = emptyProfile();
          profiles.set(userId, profile);
        }
        replayProfileEvent(profile, [userId, eventId, kind, timestamp, meta, signals], this.#geo);
      }
      if (rows.length < FETCH_ROWS) break;
    }

    const gone = users.filter((userId) => !rebuilt.has(userId));
    if (gone.length > 0) outcome.removedUsers = await changes(client, 'pd_purge_users', DELETE_USERS, [gone]);
    const kept = [...rebuilt.keys()];
    if (kept.length === 0) return outcome;

    // The standing as UserStanding computes it: the unresolved alerts left, and the rebuilt profile's verdict.
    const levels = new Map<string, LevelRank>();
    const { rows: alertLevels } = await client.query<[string, RiskLevel[]]>({
      name: 'pd_purge_levels',
      text: UNRESOLVED_LEVELS,
      values: [kept],
      rowMode: 'array',
    });
    for (const [userId, userLevels] of alertLevels) {
      levels.set(userId, highestLevel(userLevels));
    }
    const userRows = kept.map((userId) => {
      const alertLevel = levels.get(userId) ?? 0;
      const verdict = verdictOf(profiles.get(userId) as RiskProfile)?.kind ?? null;
      const aggregate = (rebuilt.get(userId) as Recomputed).aggregate;
      return [...toUserValues(aggregate), alertLevel, verdict, attention({ alertLevel, verdict })];
    });
    await client.query({ name: 'pd_purge_update_users', text: UPDATE_USERS, values: columnsOf(userRows) });

    const tokenRows: unknown[][] = [];
    for (const [userId, user] of rebuilt) {
      for (const [key, token] of user.tokens) {
        // Dimensions never hold a tab; a value might.
        const tab = key.indexOf('\t');
        tokenRows.push([userId, key.slice(0, tab), key.slice(tab + 1), token.count, token.firstSeen, token.lastSeen]);
      }
    }
    await client.query({ name: 'pd_purge_delete_tokens', text: DELETE_TOKENS, values: [kept] });
    if (tokenRows.length > 0) {
      await client.query({ name: 'pd_purge_insert_tokens', text: INSERT_TOKENS, values: columnsOf(tokenRows) });
    }
    const profileRows = [...profiles].map(([userId, profile]) => [userId, JSON.stringify(encodeProfile(profile))]);
    await client.query({ name: 'pd_purge_profiles', text: UPSERT_PROFILES, values: columnsOf(profileRows) });
    return outcome;
  }
}

async function column(client: pg.PoolClient, name: string, text: string, values: unknown[]): Promise<string[]> {
  const { rows } = await client.query<[string]>({ name, text, values, rowMode: 'array' });
  return rows.map(([value]) => value);
}

async function changes(client: pg.PoolClient, name: string, text: string, values: unknown[]): Promise<number> {
  return (await client.query({ name, text, values })).rowCount ?? 0;
}

/** Rows as one array per column: the parameters of an unnest. */
function columnsOf(rows: ReadonlyArray<readonly unknown[]>): unknown[][] {
  const width = rows[0]?.length ?? 0;
  const arrays: unknown[][] = Array.from({ length: width }, () => []);
  for (const row of rows) for (let i = 0; i < width; i++) arrays[i]?.push(row[i]);
  return arrays;
}
