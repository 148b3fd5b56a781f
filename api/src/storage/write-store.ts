import type { UserAggregate } from '../domain/aggregate.ts';
import { type ActiveAlert, type AlertFindings, alertSignals } from '../domain/alert-policy.ts';
import type { AlertStatus } from '../domain/risk/alert-export.ts';
import type { UserRisk } from '../domain/risk/score.ts';
import type { Signal } from '../domain/risk/signals.ts';
import { attention, type LevelRank, type Standing } from '../domain/risk/standing.ts';
import type { VerdictKind } from '../domain/risk/verdict.ts';
import { DIMENSIONS, type Dimension, type TokenSet } from '../domain/tokens.ts';
import type { AlertEvent, EventWrite, IngestTransaction, RecentAddressEvent, WriterUser, WriteStore } from './ports.ts';
import { type RankChange, RankHistory, type RankValues } from './rank-history.ts';
import { RiskProfileStore, type RiskProfileStoreOptions } from './risk-profile-store.ts';
import { asStore, isDatabaseWide, type SqliteDatabase } from './sqlite.ts';
import { USER_COLUMNS, writerUserOf, writerUserValues } from './user-row.ts';
import { rankMoved, UserStanding } from './user-standing.ts';

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
  readonly #annotateAlert;
  readonly #standing: UserStanding;
  readonly #countUserEvents;
  readonly #deleteUser;
  /** The v2 profiles: held in memory, written back in batches, replayed after a crash. */
  readonly profiles: RiskProfileStore;
  /** What each commit changed in the users' ranking values, for walks through the ranking. */
  readonly ranks = new RankHistory();
  /** The current transaction's users, with their ranking values before it. */
  readonly #touched = new Map<string, RankValues | null>();

  constructor(db: SqliteDatabase, profiles: RiskProfileStoreOptions = {}) {
    this.#db = db;
    this.profiles = new RiskProfileStore(db, profiles);
    const columns = USER_COLUMNS.map((column) => `"${column}"`);
    // risk, riskAt and the standing ride along at the end of the user row, read and written positionally.
    this.#selectUser = db
      .prepare<[string], unknown[]>(
        `SELECT ${columns.join(', ')}, risk, riskAt, alertLevel, verdict, attention, riskKey FROM "User" WHERE id = ?`,
      )
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
    this.#annotateAlert = db
      .prepare<[number, string | null, number, string | null, number, number], string>(
        `UPDATE "Alert" SET note = CASE WHEN ? THEN ? ELSE note END, assignee = CASE WHEN ? THEN ? ELSE assignee END, updatedAt = ?
         WHERE id = ? RETURNING userId`,
      )
      .pluck();
    this.#standing = new UserStanding(db);
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
      `UPDATE "User" SET (${updated.join(', ')}, risk, riskAt, alertLevel, verdict, attention, riskKey) = (${updated.map(() => '?').join(', ')}, ?, ?, ?, ?, ?, ?) WHERE id = ?`,
    );
    // One wrapper for every transaction: better-sqlite3 builds it once.
    this.#transaction = db.transaction((work: (tx: IngestTransaction) => unknown) => work(this));
  }

  transaction<T>(work: (tx: IngestTransaction) => T): T {
    this.#touched.clear();
    try {
      const result = asStore(() => this.#transaction.immediate(work) as T);
      this.ranks.record(this.#touched, Date.now());
      return result;
    } finally {
      this.#touched.clear();
    }
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
    const user = writerUserOf(values);
    if (this.ranks.remembering && !this.#touched.has(userId)) {
      const [attentionRank, key] = values.slice(USER_COLUMNS.length + 4) as [number, number];
      const { driftScore, lastSeen, eventCount } = user.aggregate;
      const { verdict } = user.standing;
      this.#touched.set(userId, { attention: attentionRank, riskKey: key, driftScore, lastSeen, eventCount, verdict });
    }
    return user;
  }

  insertUser(aggregate: UserAggregate): void {
    this.#insertUser.run(aggregate.userId, aggregate.firstSeen, aggregate.lastSeen, aggregate.fingerprint);
    if (this.ranks.remembering && !this.#touched.has(aggregate.userId)) this.#touched.set(aggregate.userId, null);
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

  saveUser(aggregate: UserAggregate, risk: UserRisk | null, standing: Standing): void {
    const [id, ...rest] = writerUserValues(aggregate, risk, standing);
    this.#updateUser.run(...rest, id);
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

  setAlertStatus(
    ids: readonly number[],
    status: AlertStatus,
    now: number,
    alsoInTransaction?: (changed: ReadonlyArray<{ id: number; userId: string }>) => void,
  ): Array<{ id: number; userId: string }> {
    return this.#triage((changed) => {
      for (const id of ids) {
        const userId = this.#setAlertStatus.get(status, now, id);
        if (userId !== undefined) changed.push({ id, userId });
      }
      if (changed.length > 0) alsoInTransaction?.(changed);
    });
  }

  annotateAlert(
    id: number,
    change: { note?: string | null; assignee?: string | null },
    now: number,
    alsoInTransaction?: (userId: string) => void,
  ): { userId: string } | null {
    // A note or an assignee does not move the user: no standing to recompute.
    const userId = asStore(() =>
      this.#db
        .transaction(() => {
          const found = this.#annotateAlert.get(
            'note' in change ? 1 : 0,
            change.note ?? null,
            'assignee' in change ? 1 : 0,
            change.assignee ?? null,
            now,
            id,
          );
          if (found !== undefined) alsoInTransaction?.(found);
          return found;
        })
        .immediate(),
    );
    return userId === undefined ? null : { userId };
  }

  /** A triage transaction: the users of the alerts it changed get their standing recomputed. */
  #triage(work: (changed: Array<{ id: number; userId: string }>) => void): Array<{ id: number; userId: string }> {
    const changed: Array<{ id: number; userId: string }> = [];
    const moved: RankChange[] = [];
    asStore(() =>
      this.#db
        .transaction(() => {
          work(changed);
          for (const userId of new Set(changed.map((alert) => alert.userId))) {
            const before = this.#standing.rankValues(userId);
            if (before === undefined) continue;
            this.#standing.refresh(userId);
            const after = this.#standing.rankValues(userId);
            if (after !== undefined && rankMoved(before, after)) moved.push([userId, before]);
          }
        })
        .immediate(),
    );
    if (moved.length > 0) this.ranks.record(moved, Date.now());
    return changed;
  }

  /**
   * Stores every user's verdict as `verdictOf` decides it, with the attention
   * it gives them: once, for a database whose users were stored before
   * verdicts were. Returns how many users have one.
   */
  storeVerdicts(verdictOf: (userId: string) => VerdictKind | null): number {
    const users = this.#db
      .prepare<[], [string, number]>(
        'SELECT id, alertLevel FROM "User" WHERE id IN (SELECT userId FROM "UserRiskProfile")',
      )
      .raw()
      .all();
    const update = this.#db.prepare<[string | null, number, string]>(
      'UPDATE "User" SET verdict = ?, attention = ? WHERE id = ?',
    );
    let withVerdict = 0;
    asStore(() =>
      this.#db.transaction(() => {
        for (const [userId, alertLevel] of users) {
          const verdict = verdictOf(userId);
          if (verdict === null) continue;
          update.run(verdict, attention({ alertLevel: alertLevel as LevelRank, verdict }), userId);
          withVerdict += 1;
        }
      })(),
    );
    return withVerdict;
  }

  ping(): boolean {
    return this.#db.prepare('SELECT 1 AS ok').get() !== undefined;
  }
}

/** Newest events read back into the attack-context window at start. */
const RECENT_EVENTS = 50_000;
