import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAMILIES, type Family } from '../../../bench/eval/families.ts';
import { generatePopulation } from '../../../bench/eval/population.ts';
import { type NormalizedEvent, parseLegacyBatch } from '../../src/domain/event-input.ts';
import { NetworkActivityWindow } from '../../src/domain/risk/network-activity.ts';
import type { GeoLookup } from '../../src/domain/risk/observe.ts';
import type { RiskProfile } from '../../src/domain/risk/profile.ts';
import { decodeProfile } from '../../src/domain/risk/stored-profile.ts';
import { EventWriter, type WriteOutcome, type WriteRequest } from '../../src/ingest/write.ts';
import { StoreBusyError } from '../../src/storage/errors.ts';
import { openGeoDatabase } from '../../src/storage/geo-database.ts';
import type { AsyncIngestStore } from '../../src/storage/ports.ts';
import { PostgresWriteStore } from '../../src/storage/postgres/write-store.ts';
import { openMigratedDatabase, type SqliteDatabase } from '../../src/storage/sqlite.ts';
import { SqliteWriteStore } from '../../src/storage/write-store.ts';
import { tempDir } from '../support/api.ts';
import { loginEvent } from '../support/events.ts';
import { lockWaiters, PostgresFixture } from '../support/postgres.ts';
import { seededRandom } from '../support/random.ts';
import { waitFor } from '../support/wait.ts';

const tmp = tempDir();
const postgres = new PostgresFixture();
let geo: GeoLookup;
const sqliteDatabases: SqliteDatabase[] = [];
/** A small labeled population: takeovers, stuffing, travel, shared networks; every event has an event_id. */
let population: NormalizedEvent[];

beforeAll(async () => {
  await postgres.start();
  geo = openGeoDatabase();
  const generated = generatePopulation({ family: FAMILIES.a as Family, users: 60, days: 20, seed: 3 });
  const parsed = parseLegacyBatch(generated.events.map((event) => event.body));
  if (!parsed.ok) throw new Error(`population does not validate: ${JSON.stringify(parsed.issues.slice(0, 3))}`);
  population = parsed.value;
}, 600_000);

afterAll(async () => {
  await postgres.stop();
  for (const db of sqliteDatabases) db.close();
  tmp.cleanup();
});

const freshDatabase = () => postgres.migratedDatabase('write');
const poolOn = (url: string, options: pg.PoolConfig = {}) => postgres.pool(url, options);

function sqliteWriter(activity = new NetworkActivityWindow()) {
  const db = openMigratedDatabase(join(tmp.dir, `sqlite-${sqliteDatabases.length}.db`));
  sqliteDatabases.push(db);
  const store = new SqliteWriteStore(db);
  return { db, store, writer: new EventWriter(store, { geo, activity }) };
}

/**
 * The population in groups of 1–3 requests of 1–`maxEvents` events each, as
 * group commit hands them over; each request received a little after its
 * newest event.
 */
function groupsOf(events: readonly NormalizedEvent[], seed: number, maxEvents: number): WriteRequest[][] {
  const random = seededRandom(seed);
  const groups: WriteRequest[][] = [];
  let at = 0;
  while (at < events.length) {
    const group: WriteRequest[] = [];
    for (let n = 1 + Math.floor(random() * 3); n > 0 && at < events.length; n--) {
      const request = events.slice(at, at + 1 + Math.floor(random() * maxEvents));
      at += request.length;
      group.push({ events: request, receivedAt: Math.max(...request.map((event) => event.timestamp ?? 0)) + 500 });
    }
    groups.push(group);
  }
  return groups;
}

/** A request sent again: new objects, the same events (its event_ids make each one a duplicate). */
function resent(request: WriteRequest): WriteRequest {
  return { events: request.events.map((event) => ({ ...event })), receivedAt: request.receivedAt + 1000 };
}

type Row = Record<string, unknown>;

interface Dump {
  events: Row[];
  users: Row[];
  tokens: Row[];
  alerts: Row[];
  profiles: Map<string, RiskProfile>;
}

const byKey =
  (...columns: string[]) =>
  (a: Row, b: Row) => {
    for (const column of columns) {
      const [x, y] = [String(a[column]), String(b[column])];
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };

/** Everything ingest stores, as the next reader sees it; rows in an order both engines agree on. */
function sqliteDump(db: SqliteDatabase, store: SqliteWriteStore): Dump {
  store.profiles.writeBack();
  const all = (table: string) => db.prepare(`SELECT * FROM "${table}"`).all() as Row[];
  return {
    events: all('Event').sort(byKey('id')),
    users: all('User').sort(byKey('id')),
    tokens: all('UserToken').sort(byKey('userId', 'dimension', 'value')),
    alerts: all('Alert').sort(byKey('id')),
    profiles: new Map(
      (all('UserRiskProfile') as Array<{ userId: string; profile: string }>).map((row) => [
        row.userId,
        decodeProfile(JSON.parse(row.profile)),
      ]),
    ),
  };
}

const TIMESTAMP_OID = 1114;
/** Reads TIMESTAMP columns as UTC epoch ms from their text, independently of the store's own conversion. */
const utcTimestamps: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMP_OID
      ? (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`)
      : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

async function postgresDump(url: string): Promise<Dump> {
  const client = new pg.Client({ connectionString: url, types: utcTimestamps });
  await client.connect();
  try {
    const all = async (table: string) => (await client.query(`SELECT * FROM "${table}"`)).rows as Row[];
    const profiles = (await all('UserRiskProfile')) as Array<{ userId: string; profile: string }>;
    return {
      events: (await all('Event')).sort(byKey('id')),
      users: (await all('User')).sort(byKey('id')),
      tokens: (await all('UserToken')).sort(byKey('userId', 'dimension', 'value')),
      alerts: (await all('Alert')).sort(byKey('id')),
      profiles: new Map(profiles.map((row) => [row.userId, decodeProfile(JSON.parse(row.profile))])),
    };
  } finally {
    await client.end();
  }
}

interface Ids {
  event(id: number): unknown;
  alert(id: number): unknown;
}

/**
 * Ids named by what they identify, where two runs may number the same rows
 * differently: an event by its user and event_id, an alert by its user and
 * first event. `events: false` keeps event ids as they are.
 */
function namedIds(dump: Dump, events = true): Ids {
  const eventNames = new Map(dump.events.map((row) => [row.id as number, `${row.userId}/${row.eventId}`]));
  const event = (id: number) => (events ? (eventNames.get(id) ?? `unknown event ${id}`) : id);
  const alertNames = new Map(
    dump.alerts.map((row) => [row.id as number, `${row.userId} from ${event(row.firstEventId as number)}`]),
  );
  return { event, alert: (id) => alertNames.get(id) ?? `unknown alert ${id}` };
}

function renamedDump(dump: Dump, ids: Ids) {
  const eventId = (id: unknown) => (id === null ? null : ids.event(id as number));
  return {
    ...dump,
    events: dump.events.map((row) => ({ ...row, id: ids.event(row.id as number) })).sort(byKey('id')),
    users: dump.users.map((row) => ({
      ...row,
      latestEventId: eventId(row.latestEventId),
      previousEventId: eventId(row.previousEventId),
    })),
    alerts: dump.alerts
      .map((row) => ({
        ...row,
        id: ids.alert(row.id as number),
        firstEventId: ids.event(row.firstEventId as number),
        lastEventId: ids.event(row.lastEventId as number),
      }))
      .sort(byKey('id')),
  };
}

function renamedOutcome(outcome: WriteOutcome, ids: Ids) {
  const pointer = <P extends { id: number } | null>(p: P) => (p === null ? null : { ...p, id: ids.event(p.id) });
  return {
    ...outcome,
    stored: outcome.stored.map((event) => ({ ...event, id: ids.event(event.id) })),
    users: outcome.users.map((user) => ({
      ...user,
      aggregate: {
        ...user.aggregate,
        latest: pointer(user.aggregate.latest),
        previous: pointer(user.aggregate.previous),
      },
    })),
    alerts: outcome.alerts.map((alert) => ({ ...alert, id: ids.alert(alert.id) })),
  };
}

/** A store that runs `before` at the start of each transaction's work and `after` at its end, inside it. */
function instrumented(
  store: AsyncIngestStore,
  hooks: { before?: (batch: readonly NormalizedEvent[]) => void; after?: () => void },
): AsyncIngestStore {
  return {
    transactionAsync: (batch, work) =>
      store.transactionAsync(batch, (tx, profiles) => {
        hooks.before?.(batch as readonly NormalizedEvent[]);
        const result = work(tx, profiles);
        hooks.after?.();
        return result;
      }),
    failsEveryWrite: (error) => store.failsEveryWrite(error),
    profiles: store.profiles,
  };
}

const event = loginEvent;

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 6, 6);

describe('the PostgreSQL write path', () => {
  it('stores and scores the same events in the same groups exactly as SQLite does', async () => {
    const url = await freshDatabase();
    const postgres = new EventWriter(new PostgresWriteStore(poolOn(url)), { geo });
    const sqlite = sqliteWriter();
    const groups = groupsOf(population, 11, 120);
    // Some requests come again later, and one repeats an event inside itself.
    const random = seededRandom(12);
    for (let i = groups.length - 1; i > 0; i--) {
      const earlier = groups[Math.floor(random() * i)]?.[0] as WriteRequest;
      if (random() < 0.15) groups[i]?.push(resent(earlier));
    }
    const first = groups[0]?.[0] as WriteRequest;
    groups[0]?.push({
      events: [first.events[0] as NormalizedEvent, first.events[0] as NormalizedEvent],
      receivedAt: 1,
    });

    const fromPostgres: WriteOutcome[][] = [];
    const fromSqlite: WriteOutcome[][] = [];
    for (const group of groups) {
      fromPostgres.push(await postgres.writeGroupAsync(group));
      fromSqlite.push(sqlite.writer.writeGroup(group));
    }

    const [pgDump, liteDump] = [await postgresDump(url), sqliteDump(sqlite.db, sqlite.store)];
    // Not a vacuous comparison: the population raised alerts (some extended) and verdicts, and had duplicates.
    const outcomes = fromSqlite.flat();
    expect(liteDump.events.length).toBe(population.length);
    expect(liteDump.alerts.length).toBeGreaterThanOrEqual(3);
    expect(liteDump.alerts.some((alert) => (alert.events as number) > 1)).toBe(true);
    expect(liteDump.users.filter((user) => user.verdict !== null).length).toBeGreaterThan(0);
    expect(outcomes.reduce((sum, outcome) => sum + outcome.duplicates, 0)).toBeGreaterThan(10);
    expect(liteDump.profiles.size).toBe(liteDump.users.length);

    // Event ids match one for one (no id is drawn for a duplicate). Alert ids differ (one is drawn for
    // every user who could open an alert), so alerts are named by their user and first event.
    const [pgIds, liteIds] = [namedIds(pgDump, false), namedIds(liteDump, false)];
    expect(renamedDump(pgDump, pgIds)).toEqual(renamedDump(liteDump, liteIds));
    expect(fromPostgres.map((group) => group.map((outcome) => renamedOutcome(outcome, pgIds)))).toEqual(
      fromSqlite.map((group) => group.map((outcome) => renamedOutcome(outcome, liteIds))),
    );
  });

  it('stores an event_id once, whether it comes twice in one request, in one group or in later batches', async () => {
    const url = await freshDatabase();
    const postgres = new EventWriter(new PostgresWriteStore(poolOn(url)), { geo });
    const sqlite = sqliteWriter();
    const groups: WriteRequest[][] = [
      [
        {
          events: [event('u1', 'x', T0), event('u1', 'x', T0 + 1), event('u1', null, T0 + 2), event('u2', 'y', T0)],
          receivedAt: T0 + 10,
        },
        { events: [event('u1', 'x', T0 + 3, 'firefox'), event('u2', 'z', T0 + 4)], receivedAt: T0 + 20 },
      ],
      [
        {
          events: [event('u1', 'x', T0 + DAY), event('u2', 'y', T0 + DAY), event('u2', 'w', T0 + DAY)],
          receivedAt: T0 + DAY,
        },
      ],
      [{ events: [event('u1', null, T0 + 2 * DAY)], receivedAt: T0 + 2 * DAY }],
    ];
    const fromPostgres: WriteOutcome[][] = [];
    for (const group of groups) fromPostgres.push(await postgres.writeGroupAsync(group));
    const fromSqlite = groups.map((group) => sqlite.writer.writeGroup(group));

    expect(fromPostgres.flat().map((outcome) => outcome.duplicates)).toEqual([1, 1, 2, 0]);
    const dump = await postgresDump(url);
    expect(dump.events.map((row) => [row.id, row.userId, row.eventId, row.browser])).toEqual([
      [1, 'u1', 'x', 'chrome'],
      [2, 'u1', null, 'chrome'],
      [3, 'u2', 'y', 'chrome'],
      [4, 'u2', 'z', 'chrome'],
      [5, 'u2', 'w', 'chrome'],
      [6, 'u1', null, 'chrome'],
    ]);
    expect(dump.users.map((row) => [row.id, row.eventCount])).toEqual([
      ['u1', 3],
      ['u2', 3],
    ]);
    expect(dump.tokens.find((row) => row.userId === 'u1' && row.dimension === 'browser')).toMatchObject({
      value: 'chrome',
      count: 3,
      firstSeen: T0,
      lastSeen: T0 + 2 * DAY,
    });
    expect(dump.tokens.some((row) => row.value === 'firefox')).toBe(false);
    expect(fromPostgres).toEqual(fromSqlite);
    const liteDump = sqliteDump(sqlite.db, sqlite.store);
    expect(renamedDump(dump, namedIds(dump, false))).toEqual(renamedDump(liteDump, namedIds(liteDump, false)));
  });

  it('serialises each user across two nodes: concurrent batches end as one writer writing them in turn', async () => {
    const url = await freshDatabase();
    // Both nodes share the attack-context window, as one process would, so that the only
    // difference from one writer can be what storage lets through.
    const activity = new NetworkActivityWindow();
    const groups = groupsOf(population, 21, 40);
    const firstEvents = new Map<NormalizedEvent, number>();
    const ran: number[] = [];
    const record = { before: (batch: readonly NormalizedEvent[]) => ran.push(firstEvents.get(batch[0]!) ?? -1) };
    const nodes = [0, 1].map(
      () => new EventWriter(instrumented(new PostgresWriteStore(poolOn(url)), record), { geo, activity }),
    );
    // Every group goes to one node; some are also sent to the other one at the same time (a producer's retry).
    const queues: WriteRequest[][][] = [[], []];
    const random = seededRandom(22);
    const sent: WriteRequest[][] = [];
    groups.forEach((group, index) => {
      const node = index % 2;
      queues[node]?.push(group);
      sent.push(group);
      if (random() < 0.1) {
        const again = group.map(resent);
        queues[1 - node]?.push(again);
        sent.push(again);
      }
    });
    sent.forEach((group, index) => {
      firstEvents.set(group[0]?.events[0] as NormalizedEvent, index);
    });
    // Each node commits its groups one after another, as its group commit does; the two run side by side.
    const outcomes = new Map<number, WriteOutcome[]>();
    await Promise.all(
      [0, 1].map(async (node) => {
        for (const group of queues[node] ?? []) {
          const index = sent.indexOf(group);
          outcomes.set(index, await (nodes[node] as EventWriter<AsyncIngestStore>).writeGroupAsync(group));
        }
      }),
    );

    // The nodes really did interleave on the same users.
    expect(ran.length).toBe(sent.length);
    expect(new Set(ran).size).toBe(sent.length);
    const nodeOf = (index: number) => (queues[0]?.includes(sent[index] as WriteRequest[]) ? 0 : 1);
    const usersOf = (index: number) => new Set(sent[index]?.flatMap((request) => request.events.map((e) => e.userId)));
    const handovers = ran.filter((index, i) => {
      const previous = ran[i - 1];
      if (previous === undefined || nodeOf(index) === nodeOf(previous)) return false;
      const users = usersOf(previous);
      return [...usersOf(index)].some((userId) => users.has(userId));
    }).length;
    expect(handovers).toBeGreaterThan(sent.length / 4);

    // One writer writing the groups in the order their transactions ran.
    const reference = sqliteWriter(new NetworkActivityWindow());
    const expected = ran.map((index) => reference.writer.writeGroup(sent[index] as WriteRequest[]));
    const [pgDump, liteDump] = [await postgresDump(url), sqliteDump(reference.db, reference.store)];
    expect(pgDump.events.length).toBe(population.length);
    expect(new Set(pgDump.events.map((row) => `${row.userId}/${row.eventId}`)).size).toBe(population.length);
    // Of each event sent twice, one copy was stored and the other counted as a duplicate, whichever came first.
    const duplicates = [...outcomes.values()].flat().reduce((sum, outcome) => sum + outcome.duplicates, 0);
    const resentGroups = sent.filter((group) => !groups.includes(group));
    expect(resentGroups.length).toBeGreaterThan(3);
    expect(duplicates).toBe(resentGroups.flat().reduce((sum, request) => sum + request.events.length, 0));
    const [pgIds, liteIds] = [namedIds(pgDump), namedIds(liteDump)];
    expect(renamedDump(pgDump, pgIds)).toEqual(renamedDump(liteDump, liteIds));
    expect(ran.map((index) => (outcomes.get(index) ?? []).map((outcome) => renamedOutcome(outcome, pgIds)))).toEqual(
      expected.map((group) => group.map((outcome) => renamedOutcome(outcome, liteIds))),
    );
  });

  it('lets two nodes write events of one new user at the same moment: both stored and counted', async () => {
    const url = await freshDatabase();
    const [a, b] = [0, 1].map(() => new EventWriter(new PostgresWriteStore(poolOn(url)), { geo }));
    const users = Array.from({ length: 20 }, (_, n) => `race${n}`);
    await Promise.all(
      users.flatMap((userId) => [
        a!.writeGroupAsync([{ events: [event(userId, 'a', T0)], receivedAt: T0 }]),
        b!.writeGroupAsync([{ events: [event(userId, 'b', T0 + 1, 'firefox')], receivedAt: T0 + 1 }]),
      ]),
    );
    const dump = await postgresDump(url);
    expect(dump.events.length).toBe(40);
    expect(dump.users.map((row) => [row.id, row.eventCount, row.browserCount])).toEqual(
      [...users].sort().map((userId) => [userId, 2, 2]),
    );
    // Tokens both events share were counted by both transactions, one after the other.
    expect(dump.tokens.filter((row) => row.dimension === 'os').map((row) => row.count)).toEqual(users.map(() => 2));
    expect(dump.profiles.size).toBe(20);
  });

  it('makes a node wait while another holds one of its users, and only those users', async () => {
    const url = await freshDatabase();
    const holder = await postgres.holdUser(url, 'held');
    try {
      const impatient = new EventWriter(new PostgresWriteStore(poolOn(url), { lockTimeoutMs: 50 }), { geo });
      const busy = await impatient
        .writeGroupAsync([{ events: [event('held', 'a', T0)], receivedAt: T0 }])
        .catch((error: unknown) => error);
      expect(busy).toBeInstanceOf(StoreBusyError);
      expect(impatient.failsEveryWrite(busy)).toBe(true);

      const patient = new EventWriter(new PostgresWriteStore(poolOn(url), { lockTimeoutMs: 600_000 }), { geo });
      let settled = false;
      const writing = patient
        .writeGroupAsync([{ events: [event('free', 'f', T0), event('held', 'a', T0)], receivedAt: T0 }])
        .finally(() => {
          settled = true;
        });
      const waiting = async () => (await lockWaiters(holder.session)).length === 1;
      await waitFor(waiting, 'the writer to wait for the held user', 60_000);
      // A user nobody holds is not held up by the wait.
      const other = new EventWriter(new PostgresWriteStore(poolOn(url)), { geo });
      expect(
        (await other.writeGroupAsync([{ events: [event('other', 'o', T0)], receivedAt: T0 }]))[0]?.stored,
      ).toHaveLength(1);
      expect(settled).toBe(false);
      expect((await postgresDump(url)).events.map((row) => row.userId)).toEqual(['other']);
      await holder.release();
      const [outcome] = await writing;
      expect(outcome?.stored.map((stored) => stored.userId)).toEqual(['free', 'held']);
    } finally {
      await holder.release();
    }
  });

  it('fails only the write whose session the server ends mid-transaction, and writes on with a new one', async () => {
    const url = await freshDatabase();
    const holder = await postgres.holdUser(url, 'held');
    try {
      const writer = new EventWriter(new PostgresWriteStore(poolOn(url, { max: 1 }), { lockTimeoutMs: 600_000 }), {
        geo,
      });
      const writing = writer
        .writeGroupAsync([{ events: [event('held', 'a', T0)], receivedAt: T0 }])
        .catch((error: unknown) => error);
      // The session waiting for the held user, as a failover or a restart would end it.
      await waitFor(
        async () => (await lockWaiters(holder.session)).length === 1,
        'the writer to wait for the held user',
        60_000,
      );
      await holder.session.query('SELECT pg_terminate_backend($1)', await lockWaiters(holder.session));
      expect(await writing).toBeInstanceOf(Error);
      await holder.release();
      // The pool's one session was the ended one: the next write needs, and gets, a new session.
      const [outcome] = await writer.writeGroupAsync([{ events: [event('held', 'b', T0 + 1)], receivedAt: T0 + 1 }]);
      expect(outcome?.stored.map((stored) => stored.eventId)).toEqual(['b']);
      expect((await postgresDump(url)).events.map((row) => row.eventId)).toEqual(['b']);
    } finally {
      await holder.release();
    }
  });

  it('leaves nothing of a batch that fails in its work or in its writes, and frees its users at once', async () => {
    const url = await freshDatabase();
    const pool = poolOn(url);
    let failing = false;
    const writer = new EventWriter(
      instrumented(new PostgresWriteStore(pool), {
        after: () => {
          if (failing) throw new Error('forced failure after the work');
        },
      }),
      { geo },
    );
    // Another node, which gives up at once on a user still held.
    const other = new EventWriter(new PostgresWriteStore(poolOn(url), { lockTimeoutMs: 50 }), { geo });
    // Seen from a connection of its own: one of the pool's would see itself busy.
    const monitor = poolOn(url, { max: 1 });
    const openTransactions = async () =>
      (
        await monitor.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
        )
      ).rows[0].n;
    const groups = groupsOf(population.slice(0, 800), 31, 80);
    const [failed, refused] = groups.slice(-2) as [WriteRequest[], WriteRequest[]];
    for (const group of groups.slice(0, -2)) await writer.writeGroupAsync(group);
    const stored = async () => (await postgresDump(url)).events.length;
    const count = (group: WriteRequest[]) => group.reduce((sum, request) => sum + request.events.length, 0);
    const before = await postgresDump(url);
    expect(before.events.length).toBeGreaterThan(100);
    const known = (group: WriteRequest[]) =>
      group.flatMap((request) => request.events).some((e) => before.users.some((user) => user.id === e.userId));
    expect(known(failed) && known(refused)).toBe(true);

    failing = true;
    await expect(writer.writeGroupAsync(failed)).rejects.toThrow('forced failure after the work');
    failing = false;
    expect(await postgresDump(url)).toEqual(before);
    expect(await openTransactions()).toBe(0);
    expect(pool.idleCount).toBe(pool.totalCount);
    await other.writeGroupAsync(failed);
    expect(await stored()).toBe(before.events.length + count(failed));

    // PostgreSQL refuses the last event (its text cannot hold NUL) after the users' rows were written.
    const after = await postgresDump(url);
    const nul = { ...event('newcomer', 'n', T0), kind: 'login\u0000' };
    const error = await writer
      .writeGroupAsync([...refused, { events: [event('newcomer', 'ok', T0), nul], receivedAt: T0 }])
      .catch((caught: unknown) => caught);
    expect((error as { code?: string }).code).toBe('22021');
    expect(writer.failsEveryWrite(error)).toBe(false);
    expect(await postgresDump(url)).toEqual(after);
    expect(await openTransactions()).toBe(0);
    await other.writeGroupAsync(refused);
    expect(await stored()).toBe(after.events.length + count(refused));
  });
});
