import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventWriter } from '../../src/ingest/write.ts';
import { openGeoDatabase } from '../../src/storage/geo-database.ts';
import { KeyStore } from '../../src/storage/key-store.ts';
import type { AuditNote } from '../../src/storage/ports.ts';
import { PostgresTriageStore } from '../../src/storage/postgres/triage-store.ts';
import { PostgresWriteStore } from '../../src/storage/postgres/write-store.ts';
import { openMigratedDatabase, type SqliteDatabase } from '../../src/storage/sqlite.ts';
import { SqliteWriteStore } from '../../src/storage/write-store.ts';
import { tempDir } from '../support/api.ts';
import { populationRequests } from '../support/populations.ts';
import { PostgresFixture } from '../support/postgres.ts';

// Triage and user deletion on PostgreSQL leave what they leave on SQLite for
// the same events and the same changes, audit entries included.

const tmp = tempDir();
const postgres = new PostgresFixture();
let sqliteDb: SqliteDatabase;
let sqliteStore: SqliteWriteStore;
let sqliteKeys: KeyStore;
let pgUrl: string;
let triage: PostgresTriageStore;
let session: pg.Client;

beforeAll(async () => {
  await postgres.start();
  const geo = openGeoDatabase();
  const { requests } = populationRequests({ users: 30, days: 14, seed: 8 });
  pgUrl = await postgres.migratedDatabase('triage');
  const pool = postgres.pool(pgUrl, { max: 3 });
  const pgWriter = new EventWriter(new PostgresWriteStore(pool), { geo });
  for (const request of requests) await pgWriter.writeGroupAsync([request]);
  triage = new PostgresTriageStore(pool);
  session = new pg.Client({ connectionString: pgUrl });
  await session.connect();

  sqliteDb = openMigratedDatabase(join(tmp.dir, 'triage.db'));
  sqliteStore = new SqliteWriteStore(sqliteDb);
  sqliteKeys = new KeyStore(sqliteDb);
  const liteWriter = new EventWriter(sqliteStore, { geo });
  for (const request of requests) liteWriter.writeGroup([request]);
}, 600_000);

afterAll(async () => {
  await session?.end();
  sqliteDb?.close();
  await postgres.stop();
  tmp.cleanup();
});

const NOW = Date.UTC(2026, 11, 2, 12);
const ACTOR = 'key:1 (pd_analyst0)';

/** Alerts named by their user and first event (their ids differ between the engines), with what triage changes. */
async function alerts() {
  const lite = sqliteDb
    .prepare('SELECT id, userId, firstEventId, status, note, assignee, updatedAt FROM "Alert" ORDER BY firstEventId')
    .all() as Array<{
    id: number;
    userId: string;
    firstEventId: number;
    status: string;
    note: string | null;
    assignee: string | null;
    updatedAt: number;
  }>;
  const { rows } = await session.query(
    `SELECT id, "userId", "firstEventId", status, note, assignee, (extract(epoch FROM "updatedAt") * 1000)::float8 AS "updatedAt"
     FROM "Alert" ORDER BY "firstEventId"`,
  );
  const named = (row: {
    userId: string;
    firstEventId: number;
    status: string;
    note: string | null;
    assignee: string | null;
    updatedAt: number;
  }) => ({
    alert: `${row.userId}/${row.firstEventId}`,
    status: row.status,
    note: row.note,
    assignee: row.assignee,
    updatedAt: row.updatedAt,
  });
  return { lite, pg: rows as typeof lite, named: { lite: lite.map(named), pg: (rows as typeof lite).map(named) } };
}

async function standings() {
  const lite = sqliteDb.prepare('SELECT id, alertLevel, verdict, attention FROM "User" ORDER BY id').all();
  const { rows } = await session.query('SELECT id, "alertLevel", verdict, attention FROM "User" ORDER BY id');
  return { lite, pg: rows };
}

async function auditOf(action: string) {
  const lite = sqliteDb
    .prepare('SELECT actor, action, target, details FROM "AuditEntry" WHERE action = ? ORDER BY id')
    .all(action);
  const { rows } = await session.query(
    'SELECT actor, action, target, details FROM "AuditEntry" WHERE action = $1 ORDER BY id',
    [action],
  );
  return { lite, pg: rows };
}

describe('triage and deletion on PostgreSQL', () => {
  it('resolves and acknowledges alerts, their users’ standing recomputed, as on SQLite', async () => {
    const before = await alerts();
    expect(before.lite.length).toBeGreaterThanOrEqual(3);
    expect(before.named.pg).toEqual(before.named.lite);
    const pgIdOf = new Map(before.pg.map((row) => [`${row.userId}/${row.firstEventId}`, row.id]));
    const toPg = (ids: number[]) =>
      ids.map((id) => {
        const row = before.lite.find((alert) => alert.id === id);
        return pgIdOf.get(`${row?.userId}/${row?.firstEventId}`) as number;
      });
    const resolve = before.lite.slice(0, 2).map((alert) => alert.id);
    const acknowledge = before.lite.slice(2, 3).map((alert) => alert.id);
    const notes = (changed: ReadonlyArray<{ id: number }>, status: string): AuditNote[] =>
      changed.map(() => ({ actor: ACTOR, action: `alert.${status}`, target: 'alert', details: null }));

    const liteResolved = sqliteStore.setAlertStatus([...resolve, 999_999], 'resolved', NOW, (changed) => {
      for (const note of notes(changed, 'resolved')) sqliteKeys.audit(note.actor, note.action, note.target, null, NOW);
    });
    const pgResolved = await triage.setAlertStatus([...toPg(resolve), 999_999], 'resolved', NOW, (changed) =>
      notes(changed, 'resolved'),
    );
    expect(pgResolved.map((alert) => alert.userId)).toEqual(liteResolved.map((alert) => alert.userId));
    expect(pgResolved.map((alert) => alert.id)).toEqual(toPg(resolve));
    sqliteStore.setAlertStatus(acknowledge, 'acknowledged', NOW);
    await triage.setAlertStatus(toPg(acknowledge), 'acknowledged', NOW);

    const after = await alerts();
    expect(after.named.pg).toEqual(after.named.lite);
    expect(after.named.lite.filter((alert) => alert.status === 'resolved')).toHaveLength(2);
    const standing = await standings();
    expect(standing.pg).toEqual(standing.lite);
    const audit = await auditOf('alert.resolved');
    expect(audit.pg).toEqual(audit.lite);
    expect(audit.pg).toHaveLength(2);
  });

  it('annotates an alert as on SQLite; an unknown alert is null', async () => {
    const { lite, pg: rows } = await alerts();
    const [first] = lite;
    const pgId = rows.find((row) => row.firstEventId === first?.firstEventId)?.id as number;
    sqliteStore.annotateAlert(first?.id as number, { note: 'called the user', assignee: 'siem' }, NOW + 1);
    expect(
      await triage.annotateAlert(pgId, { note: 'called the user', assignee: 'siem' }, NOW + 1, () => [
        { actor: ACTOR, action: 'alert.annotated', target: `alert:${pgId}`, details: { note: 'called the user' } },
      ]),
    ).toEqual({ userId: first?.userId });
    // A key absent is left as it is.
    sqliteStore.annotateAlert(first?.id as number, { note: null }, NOW + 2);
    await triage.annotateAlert(pgId, { note: null }, NOW + 2);
    expect(await triage.annotateAlert(999_999, { note: 'x' }, NOW)).toBeNull();
    const after = await alerts();
    expect(after.named.pg).toEqual(after.named.lite);
    expect(after.named.pg.find((alert) => alert.alert === `${first?.userId}/${first?.firstEventId}`)).toMatchObject({
      note: null,
      assignee: 'siem',
    });
    expect((await auditOf('alert.annotated')).pg).toHaveLength(1);
  });

  it('deletes a user and everything of theirs with its audit entry; an unknown user is null', async () => {
    const { rows } = await session.query<{ id: string; eventCount: number }>(
      'SELECT id, "eventCount" FROM "User" u WHERE EXISTS (SELECT 1 FROM "Alert" a WHERE a."userId" = u.id) ORDER BY id LIMIT 1',
    );
    const victim = rows[0] as { id: string; eventCount: number };
    await session.query(
      `INSERT INTO "TrustEntry" ("userId", kind, value, reason, "createdAt", "createdBy", "expiresAt")
       VALUES ($1, 'network', '203.0.113.0/24', 'home', now(), 'cli', now() + interval '1 day')`,
      [victim.id],
    );
    const deleted = await triage.deleteUser(victim.id, (events) => [
      { actor: ACTOR, action: 'user.deleted', target: `user:${victim.id}`, details: { events } },
    ]);
    expect(deleted).toEqual({ events: victim.eventCount });
    for (const table of ['User', 'Event', 'UserToken', 'Alert', 'UserRiskProfile', 'TrustEntry']) {
      const column = table === 'User' ? 'id' : 'userId';
      const left = await session.query(`SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" = $1`, [victim.id]);
      expect(left.rows[0].n, table).toBe(0);
    }
    expect((await auditOf('user.deleted')).pg).toEqual([
      {
        actor: ACTOR,
        action: 'user.deleted',
        target: `user:${victim.id}`,
        details: JSON.stringify({ events: victim.eventCount }),
      },
    ]);
    expect(await triage.deleteUser('nobody-here', () => [])).toBeNull();
    expect(await triage.ping()).toBe(true);
  });
});
