import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventWriter } from '../../src/ingest/write.ts';
import { AlertReads } from '../../src/reads/alerts.ts';
import { EventReads } from '../../src/reads/events.ts';
import { PersonaReads } from '../../src/reads/persona.ts';
import { RiskReads } from '../../src/reads/risk.ts';
import { VerdictReads } from '../../src/reads/verdicts.ts';
import { openGeoDatabase } from '../../src/storage/geo-database.ts';
import { PostgresReadStore } from '../../src/storage/postgres/read-store.ts';
import { PostgresWriteStore } from '../../src/storage/postgres/write-store.ts';
import { createPostgresPrismaClient, createPrismaClient, type PrismaClient } from '../../src/storage/prisma.ts';
import { ReadStore } from '../../src/storage/read-store.ts';
import { openMigratedDatabase, type SqliteDatabase } from '../../src/storage/sqlite.ts';
import { SqliteWriteStore } from '../../src/storage/write-store.ts';
import { tempDir } from '../support/api.ts';
import { populationRequests } from '../support/populations.ts';
import { PostgresFixture } from '../support/postgres.ts';

// The read side on PostgreSQL answers exactly what it answers on SQLite for
// the same events: the same population is written through each engine's
// store, then read through each engine's ports and Prisma client.

const tmp = tempDir();
const postgres = new PostgresFixture();
const prismaClients: PrismaClient[] = [];
let sqliteDb: SqliteDatabase;
let sqliteRows: ReadStore;
let users: string[];

interface Side {
  persona: PersonaReads;
  verdicts: VerdictReads;
  risk: RiskReads;
  events: EventReads;
  alerts: AlertReads;
  prisma: PrismaClient;
}
let onPostgres: Side;
let onSqlite: Side;
let postgresQueries = 0;

beforeAll(async () => {
  await postgres.start();
  const geo = openGeoDatabase();
  const { events, requests } = populationRequests({ users: 40, days: 14, seed: 5 });
  users = [...new Set(events.map((event) => event.userId))].sort();

  const url = await postgres.migratedDatabase('reads');
  const pool = postgres.pool(url, { max: 4 });
  const pgWriter = new EventWriter(new PostgresWriteStore(pool), { geo });
  for (const request of requests) await pgWriter.writeGroupAsync([request]);
  const pgRows = new PostgresReadStore(pool, () => (postgresQueries += 1));
  const pgPrisma = await createPostgresPrismaClient(pool);
  prismaClients.push(pgPrisma);
  onPostgres = side(pgPrisma, pgRows, pgRows);

  const file = join(tmp.dir, 'reads.db');
  sqliteDb = openMigratedDatabase(file);
  const store = new SqliteWriteStore(sqliteDb);
  const liteWriter = new EventWriter(store, { geo });
  for (const request of requests) liteWriter.writeGroup([request]);
  store.profiles.writeBack();
  sqliteRows = new ReadStore(file);
  const litePrisma = createPrismaClient(file);
  prismaClients.push(litePrisma);
  onSqlite = side(litePrisma, sqliteRows, store.profiles);
}, 600_000);

afterAll(async () => {
  await Promise.all(prismaClients.map((client) => client.$disconnect()));
  sqliteRows?.close();
  sqliteDb?.close();
  await postgres.stop();
  tmp.cleanup();
});

function side(
  prisma: PrismaClient,
  rows: ConstructorParameters<typeof PersonaReads>[0],
  profiles: ConstructorParameters<typeof VerdictReads>[0],
): Side {
  return {
    persona: new PersonaReads(rows),
    verdicts: new VerdictReads(profiles, rows),
    risk: new RiskReads(rows),
    events: new EventReads(prisma),
    alerts: new AlertReads(prisma),
    prisma,
  };
}

/** What both engines answer, side by side, for every user of the population and one unknown user. */
async function both<T>(read: (side: Side, userId: string) => Promise<T>) {
  const ids = [...users, 'nobody-here'];
  const [pg, lite] = [[] as T[], [] as T[]];
  for (const id of ids) {
    pg.push(await read(onPostgres, id));
    lite.push(await read(onSqlite, id));
  }
  return { pg, lite };
}

describe('the read side on PostgreSQL', () => {
  it('answers drift and fingerprints (GET /drift, GET /fingerprint) as on SQLite', async () => {
    const drift = await both((side, id) => side.persona.drift(id));
    expect(drift.pg).toEqual(drift.lite);
    expect(drift.lite.filter((answer) => answer !== null && answer.drift.score > 0).length).toBeGreaterThan(5);
    expect(drift.lite.at(-1)).toBeNull();
    const fingerprints = await both((side, id) => side.persona.fingerprint(id));
    expect(fingerprints.pg).toEqual(fingerprints.lite);
  });

  it('answers drift evidence for a page of users in one statement', async () => {
    const before = postgresQueries;
    const evidence = await onPostgres.persona.evidence(users);
    expect(postgresQueries).toBe(before + 1);
    expect(evidence).toEqual(await onSqlite.persona.evidence(users));
    expect(evidence.size).toBe(users.length);
  });

  it('answers verdicts and risk per day as on SQLite', async () => {
    const verdicts = await both((side, id) => side.verdicts.forUser(id));
    expect(verdicts.pg).toEqual(verdicts.lite);
    expect(verdicts.lite.filter((answer) => answer?.verdict != null).length).toBeGreaterThan(0);
    const days = await both(async (side, id) => {
      const user = await side.prisma.user.findUnique({ where: { id } });
      return user === null ? null : side.risk.byDay(id, user.lastSeen, 30);
    });
    expect(days.pg).toEqual(days.lite);
    expect(days.lite.flatMap((answer) => answer ?? []).some((day) => (day.maxRisk ?? 0) >= 30)).toBe(true);
  });

  it('answers timelines and alerts through its own Prisma client as on SQLite', async () => {
    const timelines = await both((side, id) => side.events.timeline(id, { limit: 500, after: null }));
    expect(timelines.pg).toEqual(timelines.lite);
    expect(timelines.lite.reduce((sum, answer) => sum + (answer?.events.length ?? 0), 0)).toBeGreaterThan(500);
    // Alert ids differ between the engines (PostgreSQL draws one for every user who could open an alert).
    const alertsOf = (side: Side) =>
      side.alerts
        .page({}, { take: 1000 })
        .then((rows) => rows.map(({ id: _id, ...row }) => row).sort((a, b) => a.firstEventId - b.firstEventId));
    const alerts = await alertsOf(onSqlite);
    expect(alerts.length).toBeGreaterThan(0);
    expect(await alertsOf(onPostgres)).toEqual(alerts);
  });
});
