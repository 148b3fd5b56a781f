import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdjustmentTarget,
  type EntryKind,
  FEEDBACK_LIFETIME_MS,
  loweringsOf,
  parseTarget,
} from '../../src/domain/risk/adjustments.ts';
import type { Signal } from '../../src/domain/risk/signals.ts';
import type { Principal } from '../../src/services/access.ts';
import { AdjustmentService } from '../../src/services/adjustments.ts';
import { type AdjustmentEntries, SqliteAdjustmentStore } from '../../src/storage/adjustment-store.ts';
import { KeyStore } from '../../src/storage/key-store.ts';
import type { Awaitable } from '../../src/storage/ports.ts';
import { PostgresAdjustmentStore } from '../../src/storage/postgres/adjustment-store.ts';
import { PostgresTriageStore } from '../../src/storage/postgres/triage-store.ts';
import { openMigratedDatabase, type SqliteDatabase } from '../../src/storage/sqlite.ts';
import { tempDir } from '../support/api.ts';
import { PostgresFixture } from '../support/postgres.ts';

// Trust, the allow-list and false positives on PostgreSQL answer as on SQLite
// for the same changes, audit entries included; nodes sharing the database
// learn each other's changes by reloading.

const tmp = tempDir();
const postgres = new PostgresFixture();
const sqliteDbs: SqliteDatabase[] = [];

beforeAll(async () => {
  await postgres.start();
}, 600_000);

afterAll(async () => {
  for (const db of sqliteDbs) db.close();
  await postgres.stop();
  tmp.cleanup();
});

const DAY = 86_400_000;
const T = Date.UTC(2026, 11, 2, 12);
const ANALYST: Principal = { role: 'analyst', keyId: 3, prefix: 'pd_analyst0' };
const ACTOR = 'key:3 (pd_analyst0)';

const SIGNALS: Signal[] = [
  { name: 'new_device', score: 0.4, message: 'a new device', evidence: { value: 'phone/ios' } },
  { name: 'new_country', score: 0.3, message: 'a new country', evidence: { value: 'NG' } },
  { name: 'failed_logins', score: 0.2, message: 'passwords guessed', evidence: { count: 4 } },
];
const USERS = ['alice', 'bob', 'carol'];
/** Alert 1 (alice, open), 2 (alice, resolved), 3 (bob, open): the same ids on both engines. */
const ALERTS: Array<[string, string]> = [
  ['alice', 'open'],
  ['alice', 'resolved'],
  ['bob', 'open'],
];

function seedSqlite(db: SqliteDatabase): void {
  const user = db.prepare('INSERT INTO "User" (id, firstSeen, lastSeen, fingerprint) VALUES (?, ?, ?, ?)');
  for (const id of USERS) user.run(id, T - DAY, T - DAY, '');
  const alert = db.prepare(`INSERT INTO "Alert" (userId, status, score, level, signals, firstEventId, lastEventId,
    firstAt, lastAt, createdAt, updatedAt) VALUES (?, ?, 60, 'high', ?, 1, 1, ?, ?, ?, ?)`);
  for (const [userId, status] of ALERTS) alert.run(userId, status, JSON.stringify(SIGNALS), T, T, T, T);
}

async function seedPostgres(pool: pg.Pool): Promise<void> {
  const at = "'2026-12-01 12:00:00'";
  for (const id of USERS)
    await pool.query(`INSERT INTO "User" (id, "firstSeen", "lastSeen", fingerprint) VALUES ($1, ${at}, ${at}, '')`, [
      id,
    ]);
  for (const [userId, status] of ALERTS)
    await pool.query(
      `INSERT INTO "Alert" ("userId", status, score, level, signals, "firstEventId", "lastEventId", "firstAt", "lastAt",
        "createdAt", "updatedAt") VALUES ($1, $2, 60, 'high', $3, 1, 1, ${at}, ${at}, ${at}, ${at})`,
      [userId, status, JSON.stringify(SIGNALS)],
    );
}

/** The same users and alerts on a new SQLite database and a new PostgreSQL one, with a store on each. */
async function engines(name: string) {
  const db = openMigratedDatabase(join(tmp.dir, `${name}.db`));
  sqliteDbs.push(db);
  seedSqlite(db);
  const url = await postgres.migratedDatabase(name);
  const pool = postgres.pool(url);
  await seedPostgres(pool);
  return {
    db,
    url,
    pool,
    lite: new SqliteAdjustmentStore(db, new KeyStore(db)),
    pg: new PostgresAdjustmentStore(pool),
  };
}

/** Runs `op` on both stores and expects the same answer; PostgreSQL's. */
function sameOn(lite: AdjustmentEntries, onPg: AdjustmentEntries) {
  return async <T>(op: (store: AdjustmentEntries) => Awaitable<T>): Promise<T> => {
    const expected = await op(lite);
    const actual = await op(onPg);
    expect(actual).toEqual(expected);
    return actual;
  };
}

async function auditEntries(db: SqliteDatabase, pool: pg.Pool) {
  const lite = db.prepare('SELECT at, actor, action, target, details FROM "AuditEntry" ORDER BY id').all();
  const { rows } = await pool.query(
    'SELECT (extract(epoch FROM at) * 1000)::float8 AS at, actor, action, target, details FROM "AuditEntry" ORDER BY id',
  );
  return { lite, pg: rows };
}

function target(kind: EntryKind, raw: string): AdjustmentTarget {
  const parsed = parseTarget(kind, raw);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

describe('adjustments on PostgreSQL', () => {
  it('stores, lists, ends and deletes entries as SQLite does, each change with its audit entry', async () => {
    const { db, pool, lite, pg: onPg } = await engines('same');
    const same = sameOn(lite, onPg);

    const phone = await same((s) =>
      s.createTrust(
        { userId: 'alice', kind: 'device', value: 'device:phone/ios', reason: 'her phone', expiresAt: T + 10 * DAY },
        ACTOR,
        T,
      ),
    );
    expect(phone).toEqual({
      id: 1,
      userId: 'alice',
      kind: 'device',
      value: 'device:phone/ios',
      reason: 'her phone',
      createdAt: T,
      createdBy: ACTOR,
      expiresAt: T + 10 * DAY,
      removedAt: null,
      removedBy: null,
    });
    const office = await same((s) =>
      s.createTrust(
        { userId: 'alice', kind: 'network', value: '10.0.0.0/8', reason: 'office', expiresAt: T + DAY },
        ACTOR,
        T + 1,
      ),
    );
    await same((s) =>
      s.createTrust(
        { userId: 'bob', kind: 'network', value: 'AS3320', reason: 'home ISP', expiresAt: T + 10 * DAY },
        ACTOR,
        T + 2,
      ),
    );
    const vpn = await same((s) =>
      s.createAllow(
        { kind: 'ipv4_cidr', value: '192.0.2.0/24', reason: 'corp VPN', expiresAt: T + 10 * DAY },
        ACTOR,
        T + 3,
      ),
    );
    await same((s) => s.createAllow({ kind: 'country', value: 'DE', reason: 'HQ', expiresAt: T + DAY }, ACTOR, T + 4));

    expect(await same((s) => s.alert(1))).toEqual({ id: 1, userId: 'alice', status: 'open', signals: SIGNALS });
    expect(await same((s) => s.alert(404))).toBeNull();
    expect(await same((s) => s.userExists('carol'))).toBe(true);
    expect(await same((s) => s.userExists('nobody'))).toBe(false);

    const lowers = loweringsOf(SIGNALS);
    expect(lowers.map((l) => l.signal)).toEqual(['new_device', 'new_country']);
    const feedback = (alertId: number, userId: string, at: number) =>
      same((s) =>
        s.createFeedback({ userId, alertId, reason: 'travel', lowers, until: at + FEEDBACK_LIFETIME_MS }, ACTOR, at),
      );
    const first = await feedback(1, 'alice', T + 5);
    expect(first.lowers).toEqual(lowers);
    await feedback(3, 'bob', T + 6);
    const again = await feedback(1, 'alice', T + 7);
    // The newest mark of an alert is its false positive.
    const marks = await same((s) => s.feedbackOfAlerts([1, 2, 3]));
    expect([...marks.keys()].sort()).toEqual([1, 3]);
    expect(marks.get(1)?.id).toBe(again.id);

    // Ending an entry once: a second end returns it unchanged and audits nothing; an unknown id is null.
    const removed = await same((s) => s.removeTrust(phone.id, ACTOR, T + 8));
    expect([removed?.removedAt, removed?.removedBy]).toEqual([T + 8, ACTOR]);
    expect(await same((s) => s.removeTrust(phone.id, 'someone else', T + 9))).toEqual(removed);
    expect(await same((s) => s.removeTrust(404, ACTOR, T + 9))).toBeNull();
    expect((await same((s) => s.removeAllow(vpn.id, ACTOR, T + 10)))?.removedAt).toBe(T + 10);
    await same((s) => s.removeAllow(vpn.id, ACTOR, T + 11));
    expect(await same((s) => s.removeAllow(404, ACTOR, T + 11))).toBeNull();
    expect((await same((s) => s.undoFeedback(again.id, ACTOR, T + 12)))?.undoneAt).toBe(T + 12);
    await same((s) => s.undoFeedback(again.id, ACTOR, T + 13));
    expect(await same((s) => s.undoFeedback(404, ACTOR, T + 13))).toBeNull();
    expect((await same((s) => s.feedbackOfAlerts([1]))).get(1)?.id).toBe(first.id);

    // In force now, then once the office network and DE have expired; `all` lists every one, newest first.
    expect((await same((s) => s.trustOf('alice', false, T + 20))).map((r) => r.id)).toEqual([office.id]);
    expect((await same((s) => s.trustOf('alice', false, T + DAY))).map((r) => r.id)).toEqual([]);
    expect((await same((s) => s.trustOf('alice', true, T + DAY))).map((r) => r.id)).toEqual([office.id, phone.id]);
    expect((await same((s) => s.allowList(false, T + 20))).map((r) => r.value)).toEqual(['DE']);
    expect(await same((s) => s.allowList(false, T + DAY))).toEqual([]);
    expect((await same((s) => s.allowList(true, T + DAY))).map((r) => r.value)).toEqual(['DE', '192.0.2.0/24']);
    expect((await same((s) => s.feedbackOf('alice', false, T + 20))).map((r) => r.id)).toEqual([first.id]);
    expect(await same((s) => s.feedbackOf('alice', false, T + 5 + FEEDBACK_LIFETIME_MS))).toEqual([]);
    expect((await same((s) => s.feedbackOf('alice', true, T + 20))).map((r) => r.id)).toEqual([again.id, first.id]);
    const active = await same((s) => s.active(T + 20));
    expect([active.trust.length, active.allow.length, active.feedback.length]).toEqual([2, 1, 2]);
    const later = await same((s) => s.active(T + DAY));
    expect([later.trust.map((r) => r.userId), later.allow, later.feedback.length]).toEqual([['bob'], [], 2]);

    const audit = await auditEntries(db, pool);
    expect(audit.pg).toEqual(audit.lite);
    expect(audit.pg.map((entry) => `${entry.action} ${entry.target}`)).toEqual([
      'trust.created user:alice',
      'trust.created user:alice',
      'trust.created user:bob',
      'allow.created allow:1',
      'allow.created allow:2',
      'feedback.false_positive alert:1',
      'feedback.false_positive alert:3',
      'feedback.false_positive alert:1',
      'trust.removed user:alice',
      'allow.removed allow:1',
      'feedback.undone alert:1',
    ]);
    expect(JSON.parse(audit.pg[0]?.details)).toEqual({
      id: phone.id,
      kind: 'device',
      value: 'device:phone/ios',
      reason: 'her phone',
      expiresAt: new Date(T + 10 * DAY).toISOString(),
    });

    // Deleting a user's data takes their trust and feedback, nobody else's.
    await same((s) => s.deleteUser('bob'));
    expect(await same((s) => s.trustOf('bob', true, T))).toEqual([]);
    expect(await same((s) => s.feedbackOf('bob', true, T))).toEqual([]);
    expect((await same((s) => s.trustOf('alice', true, T))).length).toBe(2);
  });

  it('audits an entry ended by two nodes at once once', async () => {
    const { url, pool } = await engines('race');
    const a = new PostgresAdjustmentStore(pool);
    const b = new PostgresAdjustmentStore(postgres.pool(url));
    const entry = await a.createTrust(
      { userId: 'carol', kind: 'device', value: 'device:laptop/mac', reason: 'laptop', expiresAt: T + DAY },
      ACTOR,
      T,
    );
    const [onA, onB] = await Promise.all([a.removeTrust(entry.id, 'a', T + 1), b.removeTrust(entry.id, 'b', T + 2)]);
    expect(onA).toEqual(onB);
    const { rows } = await pool.query(`SELECT actor FROM "AuditEntry" WHERE action = 'trust.removed'`);
    expect(rows).toEqual([{ actor: onA?.removedBy }]);
  });
});

describe('AdjustmentService on PostgreSQL', () => {
  it('holds in memory what it holds on SQLite after the same changes', async () => {
    const { lite, pg: onPg } = await engines('service');
    let clock = T;
    const now = () => clock;
    const onLite = AdjustmentService.openSync(lite, now);
    const service = await AdjustmentService.open(onPg, now);
    const both = async <R>(op: (s: AdjustmentService) => Awaitable<R>): Promise<R> => {
      const expected = await op(onLite);
      const actual = await op(service);
      expect(actual).toEqual(expected);
      return actual;
    };

    const device: AdjustmentTarget = { kind: 'client', dimension: 'device', value: 'phone/ios' };
    const trusted = await both((s) => s.trust(ANALYST, 'alice', device, 'her phone', T + 10 * DAY));
    await both((s) => s.trust(ANALYST, 'alice', target('network', '10.0.0.0/8'), 'office', T + DAY));
    await both((s) => s.allow(ANALYST, 'country', target('country', 'DE'), 'HQ', T + 10 * DAY));
    const marked = await both((s) => s.markFalsePositive(ANALYST, 2, 'travel'));
    expect(marked?.alertStatus).toBe('resolved');
    expect(await both((s) => s.markFalsePositive(ANALYST, 404, 'travel'))).toBeNull();
    clock += DAY / 2;
    const views = await both((s) => s.adjustmentsOf('alice'));
    expect(views.map((view) => [view.source, view.id])).toEqual([
      ['trust', 2],
      ['trust', 1],
      ['false_positive', 1],
    ]);
    await both((s) => s.removeTrust(ANALYST, trusted.id));
    expect(await both((s) => s.removeTrust(ANALYST, 404))).toBeNull();
    await both((s) => s.allowList(true));
    await both((s) => s.falsePositivesOfAlerts([2]));
    expect(service.adjustments.forUser('alice')).toEqual(onLite.adjustments.forUser('alice'));
    expect(service.adjustments.forUser('alice').rules.map((rule) => rule.label)).toEqual([
      'trust:2 office 10.0.0.0/8',
      'allow:1 HQ DE',
    ]);

    // A node starting now loads what these two hold.
    const fresh = await AdjustmentService.open(onPg, now);
    expect(fresh.adjustments.forUser('alice')).toEqual(service.adjustments.forUser('alice'));

    await both((s) => s.undoFalsePositive(ANALYST, marked?.feedback.id ?? 0));
    await both((s) => s.deleteUser('alice'));
    expect(service.adjustments.forUser('alice')).toEqual(onLite.adjustments.forUser('alice'));
    expect(service.adjustments.forUser('alice').rules.map((rule) => rule.label)).toEqual(['allow:1 HQ DE']);
    expect(await onPg.trustOf('alice', true, clock)).toEqual([]);
  });

  it('applies nothing that was not stored', async () => {
    const { pool } = await engines('unstored');
    class Failing extends PostgresAdjustmentStore {
      override createTrust(): Promise<never> {
        return Promise.reject(new Error('the database is gone'));
      }
    }
    const service = await AdjustmentService.open(new Failing(pool), () => T);
    const device: AdjustmentTarget = { kind: 'client', dimension: 'device', value: 'phone/ios' };
    await expect(service.trust(ANALYST, 'alice', device, 'her phone', T + DAY)).rejects.toThrow('the database is gone');
    expect(service.adjustments.empty).toBe(true);
  });

  it('brings a change made on one node into force on another by reload, idempotently', async () => {
    const { url, pool } = await engines('nodes');
    let clock = T;
    const now = () => clock;
    const a = await AdjustmentService.open(new PostgresAdjustmentStore(pool), now);
    const b = await AdjustmentService.open(new PostgresAdjustmentStore(postgres.pool(url)), now);
    const labels = (service: AdjustmentService, userId: string) =>
      service.adjustments.forUser(userId).rules.map((rule) => rule.label);

    const laptop = await a.trust(
      ANALYST,
      'carol',
      { kind: 'client', dimension: 'device', value: 'laptop/mac' },
      'laptop',
      T + 10 * DAY,
    );
    expect(labels(a, 'carol')).toEqual(['trust:1 laptop device:laptop/mac']);
    expect(labels(b, 'carol')).toEqual([]);
    await b.reload();
    expect(labels(b, 'carol')).toEqual(['trust:1 laptop device:laptop/mac']);
    const held = b.adjustments.forUser('carol');
    await b.reload();
    await Promise.all([b.reload(), b.reload()]);
    expect(b.adjustments.forUser('carol')).toEqual(held);
    expect(b.adjustments.forUser('carol').rules[0]).toBe(held.rules[0]);

    // Entries made on both nodes, in both orders, leave each node holding what a fresh load holds.
    await b.trust(ANALYST, 'carol', target('network', '10.0.0.0/8'), 'office', T + DAY);
    await b.allow(ANALYST, 'asn', target('asn', 'AS3320'), 'ISP', T + DAY);
    const onBob = await a.markFalsePositive(ANALYST, 3, 'travel');
    const onAlice = await a.markFalsePositive(ANALYST, 1, 'travel');
    await Promise.all([a.reload(), b.reload()]);
    const fresh = await AdjustmentService.open(new PostgresAdjustmentStore(pool), now);
    for (const userId of USERS)
      for (const node of [a, b]) expect(node.adjustments.forUser(userId)).toEqual(fresh.adjustments.forUser(userId));
    expect(b.adjustments.forUser('bob').feedback.map((f) => f.id)).toEqual([onBob?.feedback.id]);
    expect(b.adjustments.forUser('alice').feedback.map((f) => f.id)).toEqual([onAlice?.feedback.id]);

    // Removal, undoing and a user's deletion on one node reach the other.
    await b.removeTrust(ANALYST, laptop.id);
    await b.undoFalsePositive(ANALYST, onAlice?.feedback.id ?? 0);
    await new PostgresTriageStore(pool).deleteUser('bob', () => []);
    await a.reload();
    expect(labels(a, 'carol')).toEqual(['trust:2 office 10.0.0.0/8', 'allow:1 ISP AS3320']);
    expect(a.adjustments.forUser('alice').feedback).toEqual([]);
    expect(a.adjustments.forUser('bob').feedback).toEqual([]);

    // Expired entries leave memory at the next reload.
    clock = T + DAY;
    await Promise.all([a.reload(), b.reload()]);
    expect(a.adjustments.empty).toBe(true);
    expect(b.adjustments.empty).toBe(true);
  });

  it('never lets a reload undo a change made through the node while it reads', async () => {
    const { pool } = await engines('overlap');
    const service = await AdjustmentService.open(new PostgresAdjustmentStore(pool), () => T);
    const ids: number[] = [];
    for (let round = 0; round < 10; round += 1) {
      const [created] = await Promise.all([
        service.trust(
          ANALYST,
          'carol',
          { kind: 'client', dimension: 'browser', value: `browser${round}` },
          'test',
          T + DAY,
        ),
        service.reload(),
        service.reload(),
      ]);
      ids.push(created.id);
      expect(service.adjustments.forUser('carol').rules.map((rule) => rule.id)).toEqual(ids);
    }
  });
});
