import type pg from 'pg';
import { FACTOR_BITS } from '../../domain/factors.ts';
import { emptyProfile, type RiskProfile } from '../../domain/risk/profile.ts';
import { decodeProfile } from '../../domain/risk/stored-profile.ts';
import { DAY_MS } from '../../domain/timestamp.ts';
import { activityDayOf, type DayRow } from '../activity-day.ts';
import type { ActivityDay, EvidenceToken, PersonaRows, ProfileReads, RecentAddressEvent } from '../ports.ts';
import { fromUserValues, USER_COLUMNS, type UserRow } from '../user-row.ts';
import { epochMsOf, timestampOf } from './timestamps.ts';
import { USER_TYPES } from './write-store.ts';

const SELECT_USER = `SELECT ${USER_COLUMNS.map((name) =>
  USER_TYPES[name] === 'ms' ? epochMsOf(`"${name}"`) : `"${name}"`,
).join(', ')} FROM "User" WHERE id = $1`;

// As SQLite's: only each dimension's top values leave the database, however many a user has.
const SELECT_EVIDENCE = `SELECT "userId", dimension, value FROM (
    SELECT "userId", dimension, value, count,
           row_number() OVER (PARTITION BY "userId", dimension ORDER BY count DESC, value) AS rank
    FROM "UserToken" WHERE "userId" = ANY($1::text[])
  ) ranked WHERE rank <= $2 ORDER BY "userId", dimension, count DESC, value`;

const factor = (code: keyof typeof FACTOR_BITS) =>
  `count(*) FILTER (WHERE (factors & ${FACTOR_BITS[code]}) <> 0)::int4`;
const SELECT_DAYS = `SELECT floor(${epochMsOf('timestamp')} / ${DAY_MS})::int4 AS day, count(*)::int4 AS events,
    max("driftScore") AS "maxDriftScore", max(risk) FILTER (WHERE signals IS NOT NULL) AS "maxRisk",
    ${factor('MULTIPLE_IPS')} AS ips, ${factor('MULTIPLE_OS')} AS os, ${factor('MULTIPLE_BROWSERS')} AS browsers,
    ${factor('MULTIPLE_DEVICE_TYPES')} AS devices, ${factor('ABRUPT_DEVICE_SWITCH')} AS switches
  FROM "Event" WHERE "userId" = $1 AND timestamp >= ${timestampOf('$2::float8')} AND timestamp < ${timestampOf('$3::float8')}
  GROUP BY 1 ORDER BY 1`;

const SELECT_PROFILE = 'SELECT profile FROM "UserRiskProfile" WHERE "userId" = $1';
const SELECT_PROFILES = 'SELECT "userId", profile FROM "UserRiskProfile" WHERE "userId" = ANY($1::text[])';

/** Newest events read back into the attack-context window at start (as SQLite's store). */
const RECENT_EVENTS = 50_000;
const SELECT_RECENT = `WITH recent AS (
    SELECT id, "userId", "eventId", kind, ${epochMsOf('timestamp')} AS at, meta FROM "Event"
    WHERE id > (SELECT coalesce(max(id), 0) - ${RECENT_EVENTS} FROM "Event") AND ip IS NOT NULL
      AND timestamp <= ${timestampOf('$1::float8')}
  )
  SELECT "userId", "eventId", kind, at, meta FROM recent
  WHERE at >= (SELECT max(at) FROM recent) - $2 ORDER BY at, id`;

/**
 * PostgreSQL's persona rows and risk profiles for the read side, from the
 * node's pool. Every commit writes its profiles in its own transaction (see
 * PostgresWriteStore), so the stored profile is the current one, whichever
 * node committed.
 */
export class PostgresReadStore implements PersonaRows, ProfileReads {
  readonly #pool: pg.Pool;
  readonly #onQuery: (sql: string) => void;

  constructor(pool: pg.Pool, onQuery: (sql: string) => void = () => {}) {
    this.#pool = pool;
    this.#onQuery = onQuery;
  }

  async user(id: string): Promise<UserRow | undefined> {
    const { rows } = await this.#pool.query<unknown[]>({
      name: 'pd_read_user',
      text: SELECT_USER,
      values: [id],
      rowMode: 'array',
    });
    return rows[0] === undefined ? undefined : fromUserValues(rows[0]);
  }

  async evidence(userIds: readonly string[], perDimension: number): Promise<Map<string, EvidenceToken[]>> {
    this.#onQuery(SELECT_EVIDENCE);
    const { rows } = await this.#pool.query<{ userId: string; dimension: string; value: string }>({
      name: 'pd_read_evidence',
      text: SELECT_EVIDENCE,
      values: [userIds, perDimension],
    });
    const byUser = new Map<string, EvidenceToken[]>();
    for (const { userId, dimension, value } of rows) {
      const list = byUser.get(userId) ?? [];
      list.push({ dimension, value });
      byUser.set(userId, list);
    }
    return byUser;
  }

  async activityByDay(userId: string, from: number, to: number): Promise<ActivityDay[]> {
    this.#onQuery(SELECT_DAYS);
    const { rows } = await this.#pool.query<DayRow>({
      name: 'pd_read_days',
      text: SELECT_DAYS,
      values: [userId, from * DAY_MS, to * DAY_MS],
    });
    return rows.map(activityDayOf);
  }

  /**
   * Events that carry an IP within `windowMs` before the newest event time
   * (ignoring times after `latest`), oldest first, among the newest stored
   * events: what the attack-context window is rebuilt from at start.
   */
  async recentAddressEvents(windowMs: number, latest: number): Promise<RecentAddressEvent[]> {
    const { rows } = await this.#pool.query<RecentAddressEvent>({
      name: 'pd_recent_address_events',
      text: SELECT_RECENT,
      values: [latest, windowMs],
      rowMode: 'array',
    });
    return rows;
  }

  /** The user's stored risk profile, current as of the last commit on any node. */
  async read(userId: string): Promise<RiskProfile> {
    const { rows } = await this.#pool.query<{ profile: string }>({
      name: 'pd_read_profile',
      text: SELECT_PROFILE,
      values: [userId],
    });
    return rows[0] === undefined ? emptyProfile() : decodeProfile(JSON.parse(rows[0].profile));
  }

  /** Several users' stored risk profiles in one statement (a user without one gets the empty profile). */
  async readMany(userIds: readonly string[]): Promise<Map<string, RiskProfile>> {
    const profiles = new Map(userIds.map((userId) => [userId, emptyProfile()]));
    const { rows } = await this.#pool.query<{ userId: string; profile: string }>({
      name: 'pd_read_profiles',
      text: SELECT_PROFILES,
      values: [userIds],
    });
    for (const row of rows) profiles.set(row.userId, decodeProfile(JSON.parse(row.profile)));
    return profiles;
  }
}
