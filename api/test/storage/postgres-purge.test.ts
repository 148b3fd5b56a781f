import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeoLookup } from '../../src/domain/risk/observe.ts';
import { decodeProfile } from '../../src/domain/risk/stored-profile.ts';
import { EventWriter, type WriteRequest } from '../../src/ingest/write.ts';
import { EventPurger } from '../../src/storage/event-purge.ts';
import { openGeoDatabase } from '../../src/storage/geo-database.ts';
import type { PurgeOutcome } from '../../src/storage/ports.ts';
import { PostgresEventPurger } from '../../src/storage/postgres/event-purge.ts';
import { epochMsOf } from '../../src/storage/postgres/timestamps.ts';
import { PostgresWriteStore, USER_TYPES } from '../../src/storage/postgres/write-store.ts';
import { openMigratedDatabase, type SqliteDatabase } from '../../src/storage/sqlite.ts';
import { WRITER_USER_COLUMNS } from '../../src/storage/user-row.ts';
import { SqliteWriteStore } from '../../src/storage/write-store.ts';
import { tempDir } from '../support/api.ts';
import { populationRequests } from '../support/populations.ts';
import { lockWaiters, PostgresFixture } from '../support/postgres.ts';
import { waitFor } from '../support/wait.ts';

// Retention's purge on PostgreSQL leaves what it leaves on SQLite: the same
// population is written through each engine's store, purged at one cutoff in
// batches by each engine's purger, and every table it rebuilds compared.

const DAY_MS = 86_400_000;
const BATCH_USERS = 7;

const tmp = tempDir();
const postgres = new PostgresFixture();
let geo: GeoLookup;
let later: WriteRequest[];
let cutoff: number;
let pgUrl: string;
let session: pg.Client;
let pgWriter: EventWriter<PostgresWriteStore>;
let pgPurger: PostgresEventPurger;
let sqliteDb: SqliteDatabase;
let sqliteStore: SqliteWriteStore;
let liteWriter: EventWriter<SqliteWriteStore>;
let litePurger: EventPurger;

beforeAll(async () => {
  await postgres.start();
  geo = openGeoDatabase();
  const { events, requests } = populationRequests({ users: 40, days: 14, seed: 5 });
  // Nine of the fourteen days go: a few users were seen only then, the rest keep their newer events.
  cutoff = Math.min(...events.map((event) => event.timestamp ?? Number.POSITIVE_INFINITY)) + 9 * DAY_MS;
  // The newest requests are written after the purge, onto the rebuilt state.
  later = requests.splice(-2);

  pgUrl = await postgres.migratedDatabase('purge');
  const pool = postgres.pool(pgUrl, { max: 3 });
  pgWriter = new EventWriter(new PostgresWriteStore(pool), { geo });
  for (const request of requests) await pgWriter.writeGroupAsync([request]);
  pgPurger = new PostgresEventPurger(pool, geo, { lockTimeoutMs: 60_000 });
  session = new pg.Client({ connectionString: pgUrl });
  await session.connect();

  sqliteDb = openMigratedDatabase(join(tmp.dir, 'purge.db'));
  sqliteStore = new SqliteWriteStore(sqliteDb);
  liteWriter = new EventWriter(sqliteStore, { geo });
  for (const request of requests) liteWriter.writeGroup([request]);
  litePurger = new EventPurger(sqliteDb, sqliteStore.profiles, geo);
}, 600_000);

afterAll(async () => {
  await session?.end();
  sqliteDb?.close();
  await postgres.stop();
  tmp.cleanup();
});

const byKey =
  <T>(key: (row: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** Everything a purge rebuilds or deletes, as each engine holds it; alerts named by user and first event. */
async function snapshot() {
  // SQLite's profiles may be held in memory since the last commit.
  sqliteStore.profiles.writeBack();
  const userColumns = WRITER_USER_COLUMNS.map((name) => `"${name}"`);
  const pgUserColumns = WRITER_USER_COLUMNS.map((name) =>
    USER_TYPES[name] === 'ms' ? `${epochMsOf(`"${name}"`)} AS "${name}"` : `"${name}"`,
  );
  const alertColumns = ['userId', 'status', 'score', 'level', 'signals', 'firstEventId', 'lastEventId', 'events'];
  const alertTimes = ['firstAt', 'lastAt', 'createdAt', 'updatedAt'];
  const pgQuery = async (sql: string) => (await session.query(sql)).rows as Array<Record<string, unknown>>;
  const liteQuery = (sql: string) => sqliteDb.prepare(sql).all() as Array<Record<string, unknown>>;
  const sides = {
    lite: {
      users: liteQuery(`SELECT ${userColumns.join(', ')} FROM "User"`),
      events: liteQuery('SELECT id, userId FROM "Event" ORDER BY id'),
      tokens: liteQuery('SELECT userId, dimension, value, count, firstSeen, lastSeen FROM "UserToken"'),
      alerts: liteQuery(`SELECT ${[...alertColumns, ...alertTimes].map((c) => `"${c}"`).join(', ')} FROM "Alert"`),
      profiles: liteQuery('SELECT userId, profile FROM "UserRiskProfile"'),
    },
    pg: {
      users: await pgQuery(`SELECT ${pgUserColumns.join(', ')} FROM "User"`),
      events: await pgQuery('SELECT id, "userId" FROM "Event" ORDER BY id'),
      tokens: await pgQuery(
        `SELECT "userId", dimension, value, count, ${epochMsOf('"firstSeen"')} AS "firstSeen",
           ${epochMsOf('"lastSeen"')} AS "lastSeen" FROM "UserToken"`,
      ),
      alerts: await pgQuery(
        `SELECT ${[...alertColumns.map((c) => `"${c}"`), ...alertTimes.map((c) => `${epochMsOf(`"${c}"`)} AS "${c}"`)].join(', ')} FROM "Alert"`,
      ),
      profiles: await pgQuery('SELECT "userId", profile FROM "UserRiskProfile"'),
    },
  };
  const normalized = (side: typeof sides.lite) => ({
    users: side.users.sort(byKey((row) => row.id as string)),
    events: side.events,
    tokens: side.tokens.sort(byKey((row) => `${row.userId}\t${row.dimension}\t${row.value}`)),
    alerts: side.alerts
      .map((row) => ({ alert: `${row.userId}/${row.firstEventId}`, ...row }))
      .sort(byKey((row) => row.alert)),
    profiles: side.profiles
      .map((row) => ({ userId: row.userId, profile: decodeProfile(JSON.parse(row.profile as string)) }))
      .sort(byKey((row) => row.userId as string)),
  });
  return { lite: normalized(sides.lite), pg: normalized(sides.pg) };
}

function add(total: PurgeOutcome, batch: PurgeOutcome): void {
  total.users.push(...batch.users);
  total.events += batch.events;
  total.removedUsers += batch.removedUsers;
  total.alerts += batch.alerts;
}

const none = (): PurgeOutcome => ({ users: [], events: 0, removedUsers: 0, alerts: 0 });

describe('retention’s purge on PostgreSQL', () => {
  it('purges in batches under the users’ locks and leaves what SQLite’s purge leaves', async () => {
    const before = await snapshot();
    expect(before.pg).toEqual(before.lite);

    const lite = none();
    for (;;) {
      const batch = litePurger.purgeBatch(cutoff, BATCH_USERS);
      if (batch.users.length === 0) break;
      add(lite, batch);
    }

    // The first batch waits for a user another node is writing.
    const { rows } = await session.query<{ id: string }>(
      `SELECT id FROM "User" WHERE "firstSeen" < 'epoch'::timestamp + $1 * interval '1 millisecond' ORDER BY id LIMIT 1`,
      [cutoff],
    );
    const held = await postgres.holdUser(pgUrl, rows[0]?.id as string);
    let settled = false;
    const first = pgPurger.purgeBatch(cutoff, BATCH_USERS).finally(() => {
      settled = true;
    });
    await waitFor(async () => (await lockWaiters(held.session)).length > 0, 'the purge to wait for the user', 30_000);
    expect(settled).toBe(false);
    await held.release();
    const total = none();
    add(total, await first);
    expect(total.users.length).toBeGreaterThan(0);
    for (;;) {
      const batch = await pgPurger.purgeBatch(cutoff, BATCH_USERS);
      if (batch.users.length === 0) break;
      expect(batch.users.length).toBeLessThanOrEqual(BATCH_USERS);
      add(total, batch);
    }

    expect({ ...total, users: [...total.users].sort() }).toEqual({ ...lite, users: [...lite.users].sort() });
    // Not vacuous: events and alerts went, some users with them, the rest rebuilt from what is left.
    expect(total.events).toBeGreaterThan(100);
    expect(total.alerts).toBeGreaterThan(0);
    expect(total.removedUsers).toBeGreaterThan(0);
    const after = await snapshot();
    expect(after.pg).toEqual(after.lite);
    const left = new Set(after.pg.users.map((user) => user.id));
    const rebuilt = total.users.filter((userId) => left.has(userId));
    expect(rebuilt.length).toBeGreaterThan(10);
    expect(total.users.length - rebuilt.length).toBe(total.removedUsers);
    const counts = (users: Array<Record<string, unknown>>) => new Map(users.map((u) => [u.id, u.eventCount as number]));
    const was = counts(before.pg.users);
    const now = counts(after.pg.users);
    expect(rebuilt.filter((userId) => (now.get(userId) as number) < (was.get(userId) as number)).length).toBe(
      rebuilt.length,
    );
    expect(after.pg.users.every((user) => (user.firstSeen as number) >= cutoff)).toBe(true);
    expect(after.pg.alerts.length).toBeGreaterThan(0);
    expect(after.pg.alerts.length).toBe(before.pg.alerts.length - total.alerts);
    expect(after.pg.profiles.map((row) => row.userId)).toEqual(after.pg.users.map((user) => user.id));
    for (const table of ['Event', 'UserToken', 'Alert', 'UserRiskProfile']) {
      const orphans = await session.query(
        `SELECT count(*)::int AS n FROM "${table}" t WHERE NOT EXISTS (SELECT 1 FROM "User" u WHERE u.id = t."userId")`,
      );
      expect(orphans.rows[0].n, table).toBe(0);
    }
    // Nothing older is left.
    expect(await pgPurger.purgeBatch(cutoff, BATCH_USERS)).toEqual(none());
  });

  it('leaves a state that ingest goes on from as on SQLite', async () => {
    for (const request of later) {
      liteWriter.writeGroup([request]);
      await pgWriter.writeGroupAsync([request]);
    }
    const after = await snapshot();
    expect(after.pg).toEqual(after.lite);
    expect(after.pg.events.length).toBeGreaterThan(0);
  });
});
