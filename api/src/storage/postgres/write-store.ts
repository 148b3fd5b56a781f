import type { Pool, PoolClient } from 'pg';
import type { RiskProfile } from '../../domain/risk/profile.ts';
import { encodeProfile } from '../../domain/risk/stored-profile.ts';
import { DIMENSIONS } from '../../domain/tokens.ts';
import { StoreBusyError } from '../errors.ts';
import type { AsyncIngestStore, IngestBatch, IngestTransaction } from '../ports.ts';
import { WRITER_USER_COLUMNS } from '../user-row.ts';
import {
  eventKey,
  PrefetchedTransaction,
  type StoredAlert,
  type TokenCount,
  tokenKey,
  type UserValues,
} from './prefetched-transaction.ts';
import { rankMovesBefore, rankMovesOfNew } from './rank-walks.ts';
import { epochMsOf, timestampOf } from './timestamps.ts';
import { DEFAULT_LOCK_TIMEOUT_MS, inTransaction } from './transaction.ts';
import { lockUsers } from './user-locks.ts';

export interface PostgresWriteStoreOptions {
  /** How long a transaction waits for another one's lock on its users before giving up (StoreBusyError). */
  lockTimeoutMs?: number;
}

/**
 * The ingest side of storage on PostgreSQL, for API nodes sharing one
 * database: lock, prefetch, compute, flush. Each transaction takes an
 * advisory lock on each of its users, so writes for one user run one after
 * another across nodes; reads in a few statements everything the scoring
 * will ask about those users; runs the scoring (the write path's, shared with
 * SQLite) synchronously against that state; then writes what it recorded
 * with one statement per table, the moved risk profiles included (there is
 * no write-back held in a node's memory: the next node to write the user
 * reads the profile right after the commit).
 */
export class PostgresWriteStore implements AsyncIngestStore {
  readonly #pool: Pool;
  readonly #lockTimeoutMs: number;
  /** The transaction whose work is running: work is synchronous, so at most one at a time. */
  #running: PrefetchedTransaction | null = null;

  readonly profiles = {
    read: (userId: string): RiskProfile => {
      if (this.#running === null) throw new Error('profiles are read inside a transaction’s work only');
      return this.#running.profile(userId);
    },
  };

  constructor(pool: Pool, options: PostgresWriteStoreOptions = {}) {
    this.#pool = pool;
    // READ COMMITTED (inTransaction): each statement after the locks sees what the transactions that held them committed.
    this.#lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    // An idle session the server ended (restart, failover) is dropped by the pool; unheard, its
    // 'error' event would end the process.
    pool.on('error', () => {});
  }

  async transactionAsync<T>(
    batch: IngestBatch,
    work: (tx: IngestTransaction, profiles: Map<string, RiskProfile>) => T,
  ): Promise<T> {
    return inTransaction(
      this.#pool,
      async (client) => {
        const users = [...new Set(batch.map((event) => event.userId))];
        await lockUsers(client, users);
        const tx = new PrefetchedTransaction(await prefetch(client, users, batch));
        const profiles = new Map<string, RiskProfile>();
        this.#running = tx;
        let result: T;
        try {
          result = work(tx, profiles);
        } finally {
          this.#running = null;
        }
        await flush(client, tx, profiles);
        return result;
      },
      this.#lockTimeoutMs,
    );
  }

  failsEveryWrite(error: unknown): boolean {
    if (error instanceof StoreBusyError) return true;
    const code = codeOf(error);
    // SQLSTATE classes about the connection or the server rather than the data; Node's socket errors.
    return code !== undefined && /^(08|53|57|58|XX)|^E[A-Z]+$/.test(code);
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

type ColumnType = 'text' | 'int4' | 'float8' | 'ms';
type Columns = ReadonlyArray<readonly [name: string, type: ColumnType]>;

/**
 * Multi-row statements bind one array per column and unnest them: one
 * statement with as many parameters as columns, however many rows. `from` is
 * the unnest with its columns named c0, c1, …; `values` the SQL of each
 * column's value (epoch ms turned into a TIMESTAMP).
 */
function unnested(columns: Columns): { names: string[]; from: string; values: string[] } {
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type === 'ms' ? 'float8' : type}[]`);
  return {
    names: columns.map(([name]) => `"${name}"`),
    from: `unnest(${arrays.join(', ')}) AS v(${columns.map((_, i) => `c${i}`).join(', ')})`,
    values: columns.map(([, type], i) => (type === 'ms' ? timestampOf(`v.c${i}`) : `v.c${i}`)),
  };
}

function insertRows(table: string, columns: Columns, onConflict = ''): string {
  const { names, from, values } = unnested(columns);
  return `INSERT INTO "${table}" (${names.join(', ')}) SELECT ${values.join(', ')} FROM ${from} ${onConflict}`;
}

/** Rows as one array per column, the parameters of an `unnested` statement. */
function columnArrays(rows: ReadonlyArray<readonly unknown[]>, width: number): unknown[][] {
  const arrays: unknown[][] = Array.from({ length: width }, () => []);
  for (const row of rows) for (let i = 0; i < width; i++) arrays[i]?.push(row[i]);
  return arrays;
}

export const USER_TYPES: Record<(typeof WRITER_USER_COLUMNS)[number], ColumnType> = {
  id: 'text',
  eventCount: 'int4',
  firstSeen: 'ms',
  lastSeen: 'ms',
  ipClassCount: 'int4',
  osCount: 'int4',
  browserCount: 'int4',
  deviceCount: 'int4',
  habitualBrowser: 'text',
  habitualBrowserCount: 'int4',
  habitualOs: 'text',
  habitualOsCount: 'int4',
  habitualDevice: 'text',
  habitualDeviceCount: 'int4',
  habitualIpClass: 'text',
  habitualIpClassCount: 'int4',
  fingerprint: 'text',
  stability: 'float8',
  latestEventId: 'int4',
  latestAt: 'ms',
  latestBrowser: 'text',
  latestOs: 'text',
  latestDevice: 'text',
  latestIpClass: 'text',
  previousEventId: 'int4',
  previousAt: 'ms',
  previousDevice: 'text',
  driftScore: 'int4',
  risk: 'float8',
  riskAt: 'ms',
  alertLevel: 'int4',
  verdict: 'text',
  attention: 'int4',
  riskKey: 'float8',
};
const USER_COLUMNS: Columns = WRITER_USER_COLUMNS.map((name) => [name, USER_TYPES[name]]);
const EVENT_COLUMNS: Columns = [
  ['id', 'int4'],
  ['userId', 'text'],
  ['eventId', 'text'],
  ['kind', 'text'],
  ['timestamp', 'ms'],
  ['receivedAt', 'ms'],
  ['browser', 'text'],
  ['os', 'text'],
  ['ip', 'text'],
  ['ipClass', 'text'],
  ['device', 'text'],
  ['meta', 'text'],
  ['driftScore', 'int4'],
  ['factors', 'int4'],
  ['risk', 'int4'],
  ['signals', 'text'],
];
const TOKEN_COLUMNS: Columns = [
  ['userId', 'text'],
  ['dimension', 'text'],
  ['value', 'text'],
  ['count', 'int4'],
  ['firstSeen', 'ms'],
  ['lastSeen', 'ms'],
];
const NEW_ALERT_COLUMNS: Columns = [
  ['id', 'int4'],
  ['userId', 'text'],
  ['status', 'text'],
  ['score', 'int4'],
  ['level', 'text'],
  ['signals', 'text'],
  ['firstEventId', 'int4'],
  ['lastEventId', 'int4'],
  ['firstAt', 'ms'],
  ['lastAt', 'ms'],
  ['events', 'int4'],
  ['createdAt', 'ms'],
  ['updatedAt', 'ms'],
];
const ALERT_UPDATE_COLUMNS: Columns = [
  ['id', 'int4'],
  ['score', 'int4'],
  ['level', 'text'],
  ['signals', 'text'],
  ['lastEventId', 'int4'],
  ['lastAt', 'ms'],
  ['events', 'int4'],
  ['updatedAt', 'ms'],
];
const PROFILE_COLUMNS: Columns = [
  ['userId', 'text'],
  ['profile', 'text'],
];

const SELECT_USERS = `SELECT ${WRITER_USER_COLUMNS.map((name) =>
  USER_TYPES[name] === 'ms' ? epochMsOf(`"${name}"`) : `"${name}"`,
).join(', ')} FROM "User" WHERE id = ANY($1::text[])`;
const SELECT_STORED_EVENTS = `SELECT "userId", "eventId" FROM "Event"
  WHERE ("userId", "eventId") IN (SELECT * FROM unnest($1::text[], $2::text[]))`;
const SELECT_TOKENS = `SELECT t."userId", t.dimension, t.value, t.count, ${epochMsOf('t."firstSeen"')}, ${epochMsOf('t."lastSeen"')}
  FROM "UserToken" t JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(u, d, v)
    ON t."userId" = k.u AND t.dimension = k.d AND t.value = k.v`;
// As SqliteWriteStore's: each user's newest alert that is not resolved.
const SELECT_ACTIVE_ALERTS = `SELECT DISTINCT ON ("userId") "userId", id, score, signals FROM "Alert"
  WHERE "userId" = ANY($1::text[]) AND status <> 'resolved' ORDER BY "userId", id DESC`;
const SELECT_PROFILES = 'SELECT "userId", profile FROM "UserRiskProfile" WHERE "userId" = ANY($1::text[])';
const NEXT_IDS = `SELECT ARRAY(SELECT nextval('"Event_id_seq"') FROM generate_series(1, $1::int))::int4[],
  ARRAY(SELECT nextval('"Alert_id_seq"') FROM generate_series(1, $2::int))::int4[]`;

// Users' moves in the rankings are recorded by the same statements that write them (no round trip more).
const INSERT_USERS = (() => {
  const { names, from, values } = unnested(USER_COLUMNS);
  return `WITH v AS (SELECT * FROM ${from}), ${rankMovesOfNew('v', 'v.c0')}
    INSERT INTO "User" (${names.join(', ')}) SELECT ${values.join(', ')} FROM v`;
})();
const UPDATE_USERS = (() => {
  const { names, from, values } = unnested(USER_COLUMNS);
  const moves = rankMovesBefore('v', 'v.c0', (column) => values[WRITER_USER_COLUMNS.indexOf(column)]);
  return `WITH v AS (SELECT * FROM ${from}), ${moves}
    UPDATE "User" AS u SET (${names.slice(1).join(', ')}) = (${values.slice(1).join(', ')}) FROM v WHERE u.id = v.c0`;
})();
const INSERT_EVENTS = insertRows('Event', EVENT_COLUMNS);
// The counts are the transaction's own, read under the user's lock: they replace the stored ones.
const UPSERT_TOKENS = insertRows(
  'UserToken',
  TOKEN_COLUMNS,
  `ON CONFLICT ("userId", dimension, value) DO UPDATE
     SET count = excluded.count, "firstSeen" = excluded."firstSeen", "lastSeen" = excluded."lastSeen"`,
);
const INSERT_ALERTS = insertRows('Alert', NEW_ALERT_COLUMNS);
// As SqliteWriteStore's update, once for all of the transaction's updates of each alert.
const UPDATE_ALERTS = (() => {
  const { from, values: v } = unnested(ALERT_UPDATE_COLUMNS);
  return `UPDATE "Alert" AS a SET score = ${v[1]}, level = ${v[2]}, signals = ${v[3]}, "lastEventId" = ${v[4]},
    "lastAt" = GREATEST(a."lastAt", ${v[5]}), events = a.events + ${v[6]}, "updatedAt" = ${v[7]}
    FROM ${from} WHERE a.id = v.c0`;
})();
const UPSERT_PROFILES = insertRows(
  'UserRiskProfile',
  PROFILE_COLUMNS,
  'ON CONFLICT ("userId") DO UPDATE SET profile = excluded.profile',
);

/** Runs one of the fixed statements, prepared once per connection; rows as arrays. */
async function run(client: PoolClient, name: string, text: string, values: unknown[]): Promise<unknown[][]> {
  const result = await client.query<unknown[]>({ name, text, values, rowMode: 'array' });
  return result.rows;
}

/**
 * Everything the transaction's work can ask about the batch, read after the
 * locks, and the ids for what it can insert: one per event not stored yet
 * (nor earlier in the batch), one per user without an active alert (an
 * alert opens at most once per user and transaction: it is then active).
 * The work needs its ids synchronously, before anyone knows whether an alert
 * opens, so unused alert ids leave gaps; drawn under the locks, ids still
 * grow with commits for each user.
 */
async function prefetch(client: PoolClient, userIds: string[], batch: IngestBatch) {
  const keys = new Map<string, [string, string]>();
  const tokenKeys = new Map<string, TokenCount | null>();
  const tokenColumns: [string[], string[], string[]] = [[], [], []];
  for (const { userId, eventId, tokens } of batch) {
    if (eventId !== null) keys.set(eventKey(userId, eventId), [userId, eventId]);
    for (const dimension of DIMENSIONS) {
      const value = tokens[dimension];
      if (value === null) continue;
      const key = tokenKey(userId, dimension, value);
      if (tokenKeys.has(key)) continue;
      tokenKeys.set(key, null);
      tokenColumns[0].push(userId);
      tokenColumns[1].push(dimension);
      tokenColumns[2].push(value);
    }
  }
  // One after another: a connection runs one statement at a time.
  const userRows = await run(client, 'pd_select_users', SELECT_USERS, [userIds]);
  const storedEvents =
    keys.size === 0
      ? []
      : await run(client, 'pd_select_stored_events', SELECT_STORED_EVENTS, columnArrays([...keys.values()], 2));
  const tokenRows = tokenKeys.size === 0 ? [] : await run(client, 'pd_select_tokens', SELECT_TOKENS, tokenColumns);
  const alertRows = await run(client, 'pd_select_active_alerts', SELECT_ACTIVE_ALERTS, [userIds]);
  const profileRows = await run(client, 'pd_select_profiles', SELECT_PROFILES, [userIds]);
  const users = new Map<string, UserValues | null>(userIds.map((userId) => [userId, null]));
  for (const row of userRows) users.set(row[0] as string, row);
  const events = new Map<string, boolean>([...keys.keys()].map((key) => [key, false]));
  for (const [userId, eventId] of storedEvents as Array<[string, string]>) events.set(eventKey(userId, eventId), true);
  for (const [userId, dimension, value, count, firstSeen, lastSeen] of tokenRows as Array<
    [string, TokenCount['dimension'], string, number, number, number]
  >) {
    tokenKeys.set(tokenKey(userId, dimension, value), { userId, dimension, value, count, firstSeen, lastSeen });
  }
  const alerts = new Map<string, StoredAlert>();
  for (const [userId, id, score, signals] of alertRows as Array<[string, number, number, string]>) {
    alerts.set(userId, { id, userId, score, signals });
  }
  const profiles = new Map(profileRows as Array<[string, string]>);

  let newEvents = 0;
  for (const { eventId } of batch) if (eventId === null) newEvents += 1;
  for (const stored of events.values()) if (!stored) newEvents += 1;
  const newAlerts = userIds.length - alerts.size;
  const [eventIds, alertIds] =
    newEvents + newAlerts === 0
      ? [[], []]
      : ((await run(client, 'pd_next_ids', NEXT_IDS, [newEvents, newAlerts]))[0] as [number[], number[]]);
  const ascending = (a: number, b: number) => a - b;
  return {
    users,
    events,
    tokens: tokenKeys,
    alerts,
    profiles,
    eventIds: eventIds.sort(ascending),
    alertIds: alertIds.sort(ascending),
  };
}

/** Writes what the transaction recorded, one statement per table and kind of change, users first (the rest refer to them). */
async function flush(client: PoolClient, tx: PrefetchedTransaction, profiles: ReadonlyMap<string, RiskProfile>) {
  const rowsOf = (ids: Iterable<string>) => [...ids].map((userId) => tx.row(userId) as UserValues);
  const write = async (name: string, text: string, columns: Columns, rows: ReadonlyArray<readonly unknown[]>) => {
    if (rows.length > 0) await run(client, name, text, columnArrays(rows, columns.length));
  };
  await write('pd_insert_users', INSERT_USERS, USER_COLUMNS, rowsOf(tx.inserted));
  await write(
    'pd_update_users',
    UPDATE_USERS,
    USER_COLUMNS,
    rowsOf([...tx.saved].filter((userId) => !tx.inserted.has(userId))),
  );
  await write(
    'pd_insert_events',
    INSERT_EVENTS,
    EVENT_COLUMNS,
    tx.events.map(({ id, write: { event, at, receivedAt, driftScore, factors, risk, signals } }) => [
      id,
      event.userId,
      event.eventId,
      event.kind,
      at,
      receivedAt,
      event.tokens.browser,
      event.tokens.os,
      event.ip,
      event.tokens.ipClass,
      event.tokens.device,
      event.metaJson ?? JSON.stringify(event.meta),
      driftScore,
      factors,
      risk,
      JSON.stringify(signals),
    ]),
  );
  await write(
    'pd_upsert_tokens',
    UPSERT_TOKENS,
    TOKEN_COLUMNS,
    [...tx.tokens.values()].map((t) => [t.userId, t.dimension, t.value, t.count, t.firstSeen, t.lastSeen]),
  );
  await write(
    'pd_insert_alerts',
    INSERT_ALERTS,
    NEW_ALERT_COLUMNS,
    [...tx.newAlerts.values()].map((a) => [
      a.id,
      a.userId,
      'open',
      a.score,
      a.level,
      a.signals,
      a.firstEventId,
      a.lastEventId,
      a.firstAt,
      a.lastAt,
      a.events,
      a.createdAt,
      a.updatedAt,
    ]),
  );
  await write(
    'pd_update_alerts',
    UPDATE_ALERTS,
    ALERT_UPDATE_COLUMNS,
    [...tx.alertUpdates.values()].map((a) => [
      a.id,
      a.score,
      a.level,
      a.signals,
      a.lastEventId,
      a.lastAt,
      a.added,
      a.updatedAt,
    ]),
  );
  const moved = [...profiles].map(([userId, profile]) => {
    // Only the batch's users are locked: a profile of anyone else could overwrite another node's.
    if (!tx.inBatch(userId)) throw new Error(`user ${userId} is not in the transaction's batch`);
    return [userId, JSON.stringify(encodeProfile(profile))];
  });
  await write('pd_upsert_profiles', UPSERT_PROFILES, PROFILE_COLUMNS, moved);
}
