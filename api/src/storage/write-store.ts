import type { UserAggregate } from '../domain/aggregate.ts';
import { type ActiveAlert, type AlertFindings, alertSignals } from '../domain/alert-policy.ts';
import type { AlertStatus } from '../domain/risk/alert-export.ts';
import type { UserRisk } from '../domain/risk/score.ts';
import type { Signal } from '../domain/risk/signals.ts';
import { DIMENSIONS, type Dimension, type TokenSet } from '../domain/tokens.ts';
import type { AlertEvent, EventWrite, IngestTransaction, RecentAddressEvent, WriterUser, WriteStore } from './ports.ts';
import { RiskProfileStore, type RiskProfileStoreOptions } from './risk-profile-store.ts';
import { asStore, isDatabaseWide, type SqliteDatabase } from './sqlite.ts';
import { fromUserRow, fromUserValues, toUserValues, USER_COLUMNS } from './user-row.ts';

/**
 * The write side of storage on SQLite: the only code that writes events. It
 * uses the raw better-sqlite3 connection with prepared statements (Prisma's
 * per-statement cost dominates this path), one IMMEDIATE transaction per
 * call, so an event and the aggregates it changes commit together or not at all.
 */
export class SqliteWriteStore implements WriteStore, IngestTransaction {
  readonly #db: SqliteDatabase;
  readonly #selectUser;
  readonly #insertUser;
  readonly #findDuplicate;
  readonly #insertEvent;
  readonly #upsertToken;
  readonly #updateUser;
  readonly #transaction;
  readonly #selectOpenAlert;
  readonly #insertAlert;
  readonly #updateAlert;
  readonly #setAlertStatus;
  readonly #countUserEvents;
  readonly #deleteUser;
  /** The v2 profiles: held in memory, written back in batches, replayed after a crash. */
  readonly profiles: RiskProfileStore;

  constructor(db: SqliteDatabase, profiles: RiskProfileStoreOptions = {}) {
    this.#db = db;
    this.profiles = new RiskProfileStore(db, profiles);
    const columns = USER_COLUMNS.map((column) => `"${column}"`);
    // risk and riskAt ride along at the end of the user row, read and written positionally.
    this.#selectUser = db
      .prepare<[string], unknown[]>(`SELECT ${columns.join(', ')}, risk, riskAt FROM "User" WHERE id = ?`)
      .raw();
    this.#selectOpenAlert = db
      .prepare<[string], [number, number, string]>(
        `SELECT id, score, signals FROM "Alert" WHERE userId = ? AND status != 'resolved' ORDER BY id DESC LIMIT 1`,
      )
      .raw();
    this.#insertAlert = db.prepare<unknown[]>(
      `INSERT INTO "Alert" (userId, status, score, level, signals, firstEventId, lastEventId, firstAt, lastAt, events, createdAt, updatedAt)
       VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
    );
    this.#updateAlert = db.prepare<unknown[]>(
      `UPDATE "Alert" SET score = ?, level = ?, signals = ?, lastEventId = ?, lastAt = max(lastAt, ?), events = events + 1, updatedAt = ?
       WHERE id = ?`,
    );
    this.#setAlertStatus = db
      .prepare<[string, number, number], string>(
        'UPDATE "Alert" SET status = ?, updatedAt = ? WHERE id = ? RETURNING userId',
      )
      .pluck();
    this.#countUserEvents = db.prepare<[string], number>('SELECT eventCount FROM "User" WHERE id = ?').pluck();
    this.#deleteUser = db.prepare<[string]>('DELETE FROM "User" WHERE id = ?');
    this.#insertUser = db.prepare<[string, number, number, string]>(
      'INSERT INTO "User" (id, firstSeen, lastSeen, fingerprint) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO NOTHING',
    );
    this.#findDuplicate = db
      .prepare<[string, string], number>('SELECT id FROM "Event" WHERE userId = ? AND eventId = ?')
      .pluck();
    this.#insertEvent = db.prepare<unknown[]>(
      `INSERT INTO "Event" (userId, eventId, kind, timestamp, receivedAt, browser, os, ip, ipClass, device, meta, driftScore, factors, risk, signals)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#upsertToken = db
      .prepare<[string, Dimension, string, number, number], number>(
        `INSERT INTO "UserToken" (userId, dimension, value, count, firstSeen, lastSeen) VALUES (?, ?, ?, 1, ?, ?)
         ON CONFLICT(userId, dimension, value) DO UPDATE
           SET count = count + 1, firstSeen = min(firstSeen, excluded.firstSeen), lastSeen = max(lastSeen, excluded.lastSeen)
         RETURNING count`,
      )
      .pluck();
    const [, ...updated] = columns;
    this.#updateUser = db.prepare<unknown[]>(
      `UPDATE "User" SET (${updated.join(', ')}, risk, riskAt) = (${updated.map(() => '?').join(', ')}, ?, ?) WHERE id = ?`,
    );
    // One wrapper for every transaction: better-sqlite3 builds it once.
    this.#transaction = db.transaction((work: (tx: IngestTransaction) => unknown) => work(this));
  }

  transaction<T>(work: (tx: IngestTransaction) => T): T {
    return asStore(() => this.#transaction.immediate(work) as T);
  }

  failsEveryWrite(error: unknown): boolean {
    return isDatabaseWide(error);
  }

  hasEvent(userId: string, eventId: string): boolean {
    return this.#findDuplicate.get(userId, eventId) !== undefined;
  }

  loadUser(userId: string): WriterUser | null {
    const values = this.#selectUser.get(userId);
    if (values === undefined) return null;
    const [risk, riskAt] = values.slice(USER_COLUMNS.length) as [number, number | null];
    return {
      aggregate: fromUserRow(fromUserValues(values.slice(0, USER_COLUMNS.length))),
      risk: riskAt === null ? null : { score: risk, at: riskAt },
    };
  }

  insertUser(aggregate: UserAggregate): void {
    this.#insertUser.run(aggregate.userId, aggregate.firstSeen, aggregate.lastSeen, aggregate.fingerprint);
  }

  countTokens(userId: string, tokens: TokenSet, at: number): Partial<Record<Dimension, number>> {
    const counts: Partial<Record<Dimension, number>> = {};
    for (const dimension of DIMENSIONS) {
      const value = tokens[dimension];
      if (value === null) continue;
      counts[dimension] = this.#upsertToken.get(userId, dimension, value, at, at) as number;
    }
    return counts;
  }

  insertEvent({ event, at, receivedAt, driftScore, factors, risk, signals }: EventWrite): number {
    const { tokens } = event;
    const { lastInsertRowid } = this.#insertEvent.run(
      event.userId,
      event.eventId,
      event.kind,
      at,
      receivedAt,
      tokens.browser,
      tokens.os,
      event.ip,
      tokens.ipClass,
      tokens.device,
      event.metaJson ?? JSON.stringify(event.meta),
      driftScore,
      factors,
      risk,
      JSON.stringify(signals),
    );
    return Number(lastInsertRowid);
  }

  saveUser(aggregate: UserAggregate, risk: UserRisk | null): void {
    const [id, ...rest] = toUserValues(aggregate);
    this.#updateUser.run(...rest, risk?.score ?? 0, risk?.at ?? null, id);
  }

  activeAlert(userId: string): ActiveAlert | null {
    const row = this.#selectOpenAlert.get(userId);
    if (row === undefined) return null;
    const [id, score, signals] = row;
    const parsed = JSON.parse(signals) as Signal[];
    return { id, score, signals: new Map(parsed.map((signal) => [signal.name, signal])) };
  }

  insertAlert(userId: string, alert: AlertFindings, event: AlertEvent, now: number): number {
    const signals = JSON.stringify(alertSignals(alert));
    const { lastInsertRowid } = this.#insertAlert.run(
      userId,
      alert.score,
      alert.level,
      signals,
      event.id,
      event.id,
      event.at,
      event.at,
      now,
      now,
    );
    return Number(lastInsertRowid);
  }

  updateAlert(id: number, alert: AlertFindings, event: AlertEvent, now: number): void {
    this.#updateAlert.run(alert.score, alert.level, JSON.stringify(alertSignals(alert)), event.id, event.at, now, id);
  }

  recentAddressEvents(windowMs: number, latest: number): RecentAddressEvent[] {
    return this.#db
      .prepare<[number, number], RecentAddressEvent>(
        `WITH recent AS (
           SELECT id, userId, eventId, kind, timestamp, meta FROM "Event"
           WHERE id > (SELECT coalesce(max(id), 0) - ${RECENT_EVENTS} FROM "Event") AND ip IS NOT NULL AND timestamp <= ?
         )
         SELECT userId, eventId, kind, timestamp, meta FROM recent
         WHERE timestamp >= (SELECT max(timestamp) FROM recent) - ?
         ORDER BY timestamp, id`,
      )
      .raw()
      .all(latest, windowMs);
  }

  deleteUser(userId: string, alsoInTransaction: (events: number) => void): { events: number } | null {
    const deleted = asStore(() =>
      this.#db
        .transaction(() => {
          const events = this.#countUserEvents.get(userId);
          if (events === undefined) return null;
          this.#deleteUser.run(userId);
          alsoInTransaction(events);
          return { events };
        })
        .immediate(),
    );
    if (deleted !== null) this.profiles.forget([userId]);
    return deleted;
  }

  setAlertStatus(id: number, status: AlertStatus, now: number): { userId: string } | null {
    const userId = asStore(() => this.#setAlertStatus.get(status, now, id));
    return userId === undefined ? null : { userId };
  }

  ping(): boolean {
    return this.#db.prepare('SELECT 1 AS ok').get() !== undefined;
  }
}

/** Newest events read back into the attack-context window at start. */
const RECENT_EVENTS = 50_000;
