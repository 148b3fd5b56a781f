import type { Lowering } from '../domain/risk/adjustments.ts';
import type { Signal } from '../domain/risk/signals.ts';
import type { AuditLog, Awaitable } from './ports.ts';
import { asStore, type SqliteDatabase } from './sqlite.ts';

export type TrustKind = 'device' | 'network';
export type AllowKind = 'ipv4_cidr' | 'ipv6_prefix' | 'asn' | 'country';

/** Who did what and when, common to every entry. */
interface Recorded {
  id: number;
  reason: string;
  createdAt: number;
  createdBy: string;
}

export interface TrustRecord extends Recorded {
  userId: string;
  kind: TrustKind;
  /** Canonical, as the domain writes it back (`targetText`). */
  value: string;
  expiresAt: number;
  removedAt: number | null;
  removedBy: string | null;
}

export interface AllowRecord extends Recorded {
  kind: AllowKind;
  value: string;
  expiresAt: number;
  removedAt: number | null;
  removedBy: string | null;
}

export interface FeedbackRecord extends Recorded {
  userId: string;
  alertId: number;
  lowers: Lowering[];
  until: number;
  undoneAt: number | null;
  undoneBy: string | null;
}

/** What a false positive needs of its alert. */
export interface AlertSignals {
  id: number;
  userId: string;
  status: string;
  signals: Signal[];
}

export type NewTrust = Pick<TrustRecord, 'userId' | 'kind' | 'value' | 'reason' | 'expiresAt'>;
export type NewAllow = Pick<AllowRecord, 'kind' | 'value' | 'reason' | 'expiresAt'>;
export type NewFeedback = Pick<FeedbackRecord, 'userId' | 'alertId' | 'reason' | 'lowers' | 'until'>;

/** Everything in force at a time: what scoring loads at start. */
export interface ActiveEntries {
  trust: TrustRecord[];
  allow: AllowRecord[];
  feedback: FeedbackRecord[];
}

/**
 * Trust entries, the organisation allow-list and false-positive feedback.
 * Each change and its audit entry commit in one transaction; entries are
 * never deleted by analysts (removed and undone ones stay listed), only with
 * their user's data. SQLite answers at once, PostgreSQL asynchronously.
 */
export interface AdjustmentEntries {
  createTrust(entry: NewTrust, actor: string, now: number): Awaitable<TrustRecord>;
  /** Null when there is no such entry; the record unchanged when it was already removed. */
  removeTrust(id: number, actor: string, now: number): Awaitable<TrustRecord | null>;
  /** Newest first; only those in force at `now` unless `all`. */
  trustOf(userId: string, all: boolean, now: number): Awaitable<TrustRecord[]>;
  createAllow(entry: NewAllow, actor: string, now: number): Awaitable<AllowRecord>;
  removeAllow(id: number, actor: string, now: number): Awaitable<AllowRecord | null>;
  allowList(all: boolean, now: number): Awaitable<AllowRecord[]>;
  alert(id: number): Awaitable<AlertSignals | null>;
  userExists(userId: string): Awaitable<boolean>;
  createFeedback(entry: NewFeedback, actor: string, now: number): Awaitable<FeedbackRecord>;
  undoFeedback(id: number, actor: string, now: number): Awaitable<FeedbackRecord | null>;
  feedbackOf(userId: string, all: boolean, now: number): Awaitable<FeedbackRecord[]>;
  /** The newest false positive not undone of each of these alerts, in one statement. */
  feedbackOfAlerts(alertIds: readonly number[]): Awaitable<Map<number, FeedbackRecord>>;
  active(now: number): Awaitable<ActiveEntries>;
  /**
   * Deletes a user's trust entries and feedback (their data is being deleted).
   * SQLite's runs inside the deletion's transaction, so it must answer at once.
   */
  deleteUser(userId: string): Awaitable<void>;
}

type TrustRow = [number, string, string, string, string, number, string, number, number | null, string | null];
type AllowRow = [number, string, string, string, number, string, number, number | null, string | null];
type FeedbackRow = [number, string, number, string, string, number, string, number, number | null, string | null];

const TRUST = 'id, userId, kind, value, reason, createdAt, createdBy, expiresAt, removedAt, removedBy';
const ALLOW = 'id, kind, value, reason, createdAt, createdBy, expiresAt, removedAt, removedBy';
const FEEDBACK = 'id, userId, alertId, reason, lowers, createdAt, createdBy, until, undoneAt, undoneBy';

const trustRecord = ([
  id,
  userId,
  kind,
  value,
  reason,
  createdAt,
  createdBy,
  expiresAt,
  removedAt,
  removedBy,
]: TrustRow) =>
  ({
    id,
    userId,
    kind: kind as TrustKind,
    value,
    reason,
    createdAt,
    createdBy,
    expiresAt,
    removedAt,
    removedBy,
  }) satisfies TrustRecord;
const allowRecord = ([id, kind, value, reason, createdAt, createdBy, expiresAt, removedAt, removedBy]: AllowRow) =>
  ({
    id,
    kind: kind as AllowKind,
    value,
    reason,
    createdAt,
    createdBy,
    expiresAt,
    removedAt,
    removedBy,
  }) satisfies AllowRecord;
const feedbackRecord = ([
  id,
  userId,
  alertId,
  reason,
  lowers,
  createdAt,
  createdBy,
  until,
  undoneAt,
  undoneBy,
]: FeedbackRow) =>
  ({
    id,
    userId,
    alertId,
    reason,
    lowers: JSON.parse(lowers) as Lowering[],
    createdAt,
    createdBy,
    until,
    undoneAt,
    undoneBy,
  }) satisfies FeedbackRecord;

/** The SQLite implementation, on the writer connection (its changes are few and small). */
export class SqliteAdjustmentStore implements AdjustmentEntries {
  readonly #db: SqliteDatabase;
  readonly #audit: AuditLog;
  readonly #statements;

  constructor(db: SqliteDatabase, audit: AuditLog) {
    this.#db = db;
    this.#audit = audit;
    const live = (expires: string, gone: string) => `(? = 1 OR (${gone} IS NULL AND ${expires} > ?))`;
    this.#statements = {
      insertTrust: db
        .prepare<[string, string, string, string, number, string, number], TrustRow>(
          `INSERT INTO "TrustEntry" (userId, kind, value, reason, createdAt, createdBy, expiresAt) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${TRUST}`,
        )
        .raw(),
      trustById: db.prepare<[number], TrustRow>(`SELECT ${TRUST} FROM "TrustEntry" WHERE id = ?`).raw(),
      removeTrust: db.prepare<[number, string, number]>(
        'UPDATE "TrustEntry" SET removedAt = ?, removedBy = ? WHERE id = ? AND removedAt IS NULL',
      ),
      trustOf: db
        .prepare<[string, number, number], TrustRow>(
          `SELECT ${TRUST} FROM "TrustEntry" WHERE userId = ? AND ${live('expiresAt', 'removedAt')} ORDER BY id DESC`,
        )
        .raw(),
      activeTrust: db
        .prepare<[number, number], TrustRow>(
          `SELECT ${TRUST} FROM "TrustEntry" WHERE ${live('expiresAt', 'removedAt')} ORDER BY id`,
        )
        .raw(),
      insertAllow: db
        .prepare<[string, string, string, number, string, number], AllowRow>(
          `INSERT INTO "AllowListEntry" (kind, value, reason, createdAt, createdBy, expiresAt) VALUES (?, ?, ?, ?, ?, ?) RETURNING ${ALLOW}`,
        )
        .raw(),
      allowById: db.prepare<[number], AllowRow>(`SELECT ${ALLOW} FROM "AllowListEntry" WHERE id = ?`).raw(),
      removeAllow: db.prepare<[number, string, number]>(
        'UPDATE "AllowListEntry" SET removedAt = ?, removedBy = ? WHERE id = ? AND removedAt IS NULL',
      ),
      allowList: db
        .prepare<[number, number], AllowRow>(
          `SELECT ${ALLOW} FROM "AllowListEntry" WHERE ${live('expiresAt', 'removedAt')} ORDER BY id DESC`,
        )
        .raw(),
      alert: db
        .prepare<[number], [number, string, string, string]>(
          'SELECT id, userId, status, signals FROM "Alert" WHERE id = ?',
        )
        .raw(),
      insertFeedback: db
        .prepare<[string, number, string, string, number, string, number], FeedbackRow>(
          `INSERT INTO "AlertFeedback" (userId, alertId, reason, lowers, createdAt, createdBy, until) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${FEEDBACK}`,
        )
        .raw(),
      feedbackById: db.prepare<[number], FeedbackRow>(`SELECT ${FEEDBACK} FROM "AlertFeedback" WHERE id = ?`).raw(),
      undoFeedback: db.prepare<[number, string, number]>(
        'UPDATE "AlertFeedback" SET undoneAt = ?, undoneBy = ? WHERE id = ? AND undoneAt IS NULL',
      ),
      feedbackOf: db
        .prepare<[string, number, number], FeedbackRow>(
          `SELECT ${FEEDBACK} FROM "AlertFeedback" WHERE userId = ? AND ${live('until', 'undoneAt')} ORDER BY id DESC`,
        )
        .raw(),
      feedbackOfAlerts: db
        .prepare<[string], FeedbackRow>(
          `SELECT ${FEEDBACK} FROM "AlertFeedback" WHERE alertId IN (SELECT value FROM json_each(?)) AND undoneAt IS NULL ORDER BY id`,
        )
        .raw(),
      activeFeedback: db
        .prepare<[number, number], FeedbackRow>(
          `SELECT ${FEEDBACK} FROM "AlertFeedback" WHERE ${live('until', 'undoneAt')} ORDER BY id`,
        )
        .raw(),
      userExists: db.prepare<[string], number>('SELECT 1 FROM "User" WHERE id = ?').pluck(),
      deleteTrust: db.prepare<[string]>('DELETE FROM "TrustEntry" WHERE userId = ?'),
      deleteFeedback: db.prepare<[string]>('DELETE FROM "AlertFeedback" WHERE userId = ?'),
    };
  }

  #write<T>(work: () => T): T {
    return asStore(() => this.#db.transaction(work).immediate());
  }

  createTrust(entry: NewTrust, actor: string, now: number): TrustRecord {
    return this.#write(() => {
      const { userId, kind, value, reason, expiresAt } = entry;
      const row = this.#statements.insertTrust.get(userId, kind, value, reason, now, actor, expiresAt) as TrustRow;
      const record = trustRecord(row);
      this.#audit.audit(
        actor,
        'trust.created',
        `user:${userId}`,
        { id: record.id, kind, value, reason, expiresAt: iso(expiresAt) },
        now,
      );
      return record;
    });
  }

  removeTrust(id: number, actor: string, now: number): TrustRecord | null {
    const { trustById, removeTrust } = this.#statements;
    return this.#retire(id, actor, now, trustById, removeTrust, trustRecord, ({ userId, kind, value }) =>
      this.#audit.audit(actor, 'trust.removed', `user:${userId}`, { id, kind, value }, now),
    );
  }

  /**
   * Ends a record (removed, undone) once: the record as it is afterwards, null
   * for an unknown id; `audit` runs only when this call ended it.
   */
  #retire<Row, Rec>(
    id: number,
    actor: string,
    now: number,
    byId: { get(id: number): Row | undefined },
    end: { run(now: number, actor: string, id: number): { changes: number } },
    toRecord: (row: Row) => Rec,
    audit: (record: Rec) => void,
  ): Rec | null {
    return this.#write(() => {
      const row = byId.get(id);
      if (row === undefined) return null;
      if (end.run(now, actor, id).changes > 0) audit(toRecord(row));
      return toRecord(byId.get(id) as Row);
    });
  }

  trustOf(userId: string, all: boolean, now: number): TrustRecord[] {
    return this.#statements.trustOf.all(userId, all ? 1 : 0, now).map(trustRecord);
  }

  createAllow(entry: NewAllow, actor: string, now: number): AllowRecord {
    return this.#write(() => {
      const { kind, value, reason, expiresAt } = entry;
      const record = allowRecord(
        this.#statements.insertAllow.get(kind, value, reason, now, actor, expiresAt) as AllowRow,
      );
      this.#audit.audit(
        actor,
        'allow.created',
        `allow:${record.id}`,
        { kind, value, reason, expiresAt: iso(expiresAt) },
        now,
      );
      return record;
    });
  }

  removeAllow(id: number, actor: string, now: number): AllowRecord | null {
    const { allowById, removeAllow } = this.#statements;
    return this.#retire(id, actor, now, allowById, removeAllow, allowRecord, ({ kind, value }) =>
      this.#audit.audit(actor, 'allow.removed', `allow:${id}`, { kind, value }, now),
    );
  }

  allowList(all: boolean, now: number): AllowRecord[] {
    return this.#statements.allowList.all(all ? 1 : 0, now).map(allowRecord);
  }

  alert(id: number): AlertSignals | null {
    const row = this.#statements.alert.get(id);
    if (row === undefined) return null;
    const [alertId, userId, status, signals] = row;
    return { id: alertId, userId, status, signals: JSON.parse(signals) as Signal[] };
  }

  userExists(userId: string): boolean {
    return this.#statements.userExists.get(userId) !== undefined;
  }

  createFeedback(entry: NewFeedback, actor: string, now: number): FeedbackRecord {
    return this.#write(() => {
      const { userId, alertId, reason, lowers, until } = entry;
      const row = this.#statements.insertFeedback.get(
        userId,
        alertId,
        reason,
        JSON.stringify(lowers),
        now,
        actor,
        until,
      );
      const record = feedbackRecord(row as FeedbackRow);
      this.#audit.audit(
        actor,
        'feedback.false_positive',
        `alert:${alertId}`,
        { id: record.id, userId, reason, lowers, until: iso(until) },
        now,
      );
      return record;
    });
  }

  undoFeedback(id: number, actor: string, now: number): FeedbackRecord | null {
    const { feedbackById, undoFeedback } = this.#statements;
    return this.#retire(id, actor, now, feedbackById, undoFeedback, feedbackRecord, ({ userId, alertId }) =>
      this.#audit.audit(actor, 'feedback.undone', `alert:${alertId}`, { id, userId }, now),
    );
  }

  feedbackOf(userId: string, all: boolean, now: number): FeedbackRecord[] {
    return this.#statements.feedbackOf.all(userId, all ? 1 : 0, now).map(feedbackRecord);
  }

  feedbackOfAlerts(alertIds: readonly number[]): Map<number, FeedbackRecord> {
    const records = this.#statements.feedbackOfAlerts.all(JSON.stringify(alertIds)).map(feedbackRecord);
    // Oldest first: the newest of an alert's marks wins.
    return new Map(records.map((record) => [record.alertId, record]));
  }

  active(now: number): ActiveEntries {
    return {
      trust: this.#statements.activeTrust.all(0, now).map(trustRecord),
      allow: this.#statements.allowList.all(0, now).map(allowRecord),
      feedback: this.#statements.activeFeedback.all(0, now).map(feedbackRecord),
    };
  }

  deleteUser(userId: string): void {
    asStore(() => {
      this.#statements.deleteTrust.run(userId);
      this.#statements.deleteFeedback.run(userId);
    });
  }
}

function iso(at: number): string {
  return new Date(at).toISOString();
}
