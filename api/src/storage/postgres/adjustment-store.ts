import type pg from 'pg';
import type { Lowering } from '../../domain/risk/adjustments.ts';
import type { Signal } from '../../domain/risk/signals.ts';
import type {
  ActiveEntries,
  AdjustmentEntries,
  AlertSignals,
  AllowRecord,
  FeedbackRecord,
  NewAllow,
  NewFeedback,
  NewTrust,
  TrustRecord,
} from '../adjustment-store.ts';
import { writeAudit } from './audit.ts';
import { epochMsOf, timestampOf } from './timestamps.ts';
import { inTransaction } from './transaction.ts';

const ms = (column: string) => `${epochMsOf(`"${column}"`)} AS "${column}"`;
const TRUST = `id, "userId", kind, value, reason, ${ms('createdAt')}, "createdBy", ${ms('expiresAt')},
  ${ms('removedAt')}, "removedBy"`;
const ALLOW = `id, kind, value, reason, ${ms('createdAt')}, "createdBy", ${ms('expiresAt')}, ${ms('removedAt')}, "removedBy"`;
const FEEDBACK = `id, "userId", "alertId", reason, lowers, ${ms('createdAt')}, "createdBy", ${ms('until')},
  ${ms('undoneAt')}, "undoneBy"`;

/** Every entry when `$n` is true, else those in force at `$n+1` (epoch ms), as on SQLite. */
const live = (expires: string, gone: string, n: number) =>
  `($${n}::boolean OR ("${gone}" IS NULL AND "${expires}" > ${timestampOf(`$${n + 1}::float8`)}))`;

const SQL = {
  insertTrust: `INSERT INTO "TrustEntry" ("userId", kind, value, reason, "createdAt", "createdBy", "expiresAt")
    VALUES ($1, $2, $3, $4, ${timestampOf('$5::float8')}, $6, ${timestampOf('$7::float8')}) RETURNING ${TRUST}`,
  removeTrust: `UPDATE "TrustEntry" SET "removedAt" = ${timestampOf('$2::float8')}, "removedBy" = $3
    WHERE id = $1 AND "removedAt" IS NULL RETURNING ${TRUST}`,
  trustById: `SELECT ${TRUST} FROM "TrustEntry" WHERE id = $1`,
  trustOf: `SELECT ${TRUST} FROM "TrustEntry" WHERE "userId" = $1 AND ${live('expiresAt', 'removedAt', 2)} ORDER BY id DESC`,
  activeTrust: `SELECT ${TRUST} FROM "TrustEntry" WHERE ${live('expiresAt', 'removedAt', 1)} ORDER BY id`,
  insertAllow: `INSERT INTO "AllowListEntry" (kind, value, reason, "createdAt", "createdBy", "expiresAt")
    VALUES ($1, $2, $3, ${timestampOf('$4::float8')}, $5, ${timestampOf('$6::float8')}) RETURNING ${ALLOW}`,
  removeAllow: `UPDATE "AllowListEntry" SET "removedAt" = ${timestampOf('$2::float8')}, "removedBy" = $3
    WHERE id = $1 AND "removedAt" IS NULL RETURNING ${ALLOW}`,
  allowById: `SELECT ${ALLOW} FROM "AllowListEntry" WHERE id = $1`,
  allowList: `SELECT ${ALLOW} FROM "AllowListEntry" WHERE ${live('expiresAt', 'removedAt', 1)} ORDER BY id DESC`,
  alert: 'SELECT id, "userId", status, signals FROM "Alert" WHERE id = $1',
  userExists: 'SELECT 1 FROM "User" WHERE id = $1',
  insertFeedback: `INSERT INTO "AlertFeedback" ("userId", "alertId", reason, lowers, "createdAt", "createdBy", until)
    VALUES ($1, $2, $3, $4, ${timestampOf('$5::float8')}, $6, ${timestampOf('$7::float8')}) RETURNING ${FEEDBACK}`,
  undoFeedback: `UPDATE "AlertFeedback" SET "undoneAt" = ${timestampOf('$2::float8')}, "undoneBy" = $3
    WHERE id = $1 AND "undoneAt" IS NULL RETURNING ${FEEDBACK}`,
  feedbackById: `SELECT ${FEEDBACK} FROM "AlertFeedback" WHERE id = $1`,
  feedbackOf: `SELECT ${FEEDBACK} FROM "AlertFeedback" WHERE "userId" = $1 AND ${live('until', 'undoneAt', 2)} ORDER BY id DESC`,
  feedbackOfAlerts: `SELECT ${FEEDBACK} FROM "AlertFeedback" WHERE "alertId" = ANY($1::int4[]) AND "undoneAt" IS NULL ORDER BY id`,
  activeFeedback: `SELECT ${FEEDBACK} FROM "AlertFeedback" WHERE ${live('until', 'undoneAt', 1)} ORDER BY id`,
  deleteTrust: 'DELETE FROM "TrustEntry" WHERE "userId" = $1',
  deleteFeedback: 'DELETE FROM "AlertFeedback" WHERE "userId" = $1',
} as const;

type Named = keyof typeof SQL;
type Queryable = pg.Pool | pg.PoolClient;

type FeedbackRow = Omit<FeedbackRecord, 'lowers'> & { lowers: string };

// Rows come back as records: timestamps as epoch ms (see the column lists), kinds as stored.
const asIs = <T>(row: T): T => row;
const feedbackRecord = ({ lowers, ...row }: FeedbackRow): FeedbackRecord => ({
  ...row,
  lowers: JSON.parse(lowers) as Lowering[],
});

/** Runs one of SQL's statements, prepared once per session under its name. */
async function run<Row extends pg.QueryResultRow>(on: Queryable, name: Named, values: unknown[]): Promise<Row[]> {
  const { rows } = await on.query<Row>({ name: `pd_adjustments_${name}`, text: SQL[name], values });
  return rows;
}

function audit(
  client: pg.PoolClient,
  now: number,
  actor: string,
  action: string,
  target: string,
  details: Record<string, unknown>,
): Promise<void> {
  return writeAudit(client, [{ actor, action, target, details }], now);
}

/**
 * Trust entries, the allow-list and false-positive feedback on PostgreSQL,
 * answering as SqliteAdjustmentStore does: each change and its audit entry in
 * one transaction; ending an entry twice (two nodes at once included) audits
 * it once, the row lock making the second wait and find it ended.
 */
export class PostgresAdjustmentStore implements AdjustmentEntries {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  createTrust(entry: NewTrust, actor: string, now: number): Promise<TrustRecord> {
    const { userId, kind, value, reason, expiresAt } = entry;
    return inTransaction(this.#pool, async (client) => {
      const [row] = await run<TrustRecord>(client, 'insertTrust', [userId, kind, value, reason, now, actor, expiresAt]);
      const record = row as TrustRecord;
      await audit(client, now, actor, 'trust.created', `user:${userId}`, {
        id: record.id,
        kind,
        value,
        reason,
        expiresAt: iso(expiresAt),
      });
      return record;
    });
  }

  removeTrust(id: number, actor: string, now: number): Promise<TrustRecord | null> {
    return this.#retire(
      id,
      actor,
      now,
      'removeTrust',
      'trustById',
      asIs<TrustRecord>,
      (client, { userId, kind, value }) =>
        audit(client, now, actor, 'trust.removed', `user:${userId}`, { id, kind, value }),
    );
  }

  /**
   * Ends a record (removed, undone) once: the record as it is afterwards, null
   * for an unknown id; `onEnded` (its audit entry) runs only when this call ended it.
   */
  #retire<Row extends pg.QueryResultRow, Rec>(
    id: number,
    actor: string,
    now: number,
    end: Named,
    byId: Named,
    toRecord: (row: Row) => Rec,
    onEnded: (client: pg.PoolClient, record: Rec) => Promise<unknown>,
  ): Promise<Rec | null> {
    return inTransaction(this.#pool, async (client) => {
      const [ended] = await run<Row>(client, end, [id, now, actor]);
      if (ended !== undefined) {
        const record = toRecord(ended);
        await onEnded(client, record);
        return record;
      }
      const [row] = await run<Row>(client, byId, [id]);
      return row === undefined ? null : toRecord(row);
    });
  }

  trustOf(userId: string, all: boolean, now: number): Promise<TrustRecord[]> {
    return run<TrustRecord>(this.#pool, 'trustOf', [userId, all, now]);
  }

  createAllow(entry: NewAllow, actor: string, now: number): Promise<AllowRecord> {
    const { kind, value, reason, expiresAt } = entry;
    return inTransaction(this.#pool, async (client) => {
      const [row] = await run<AllowRecord>(client, 'insertAllow', [kind, value, reason, now, actor, expiresAt]);
      const record = row as AllowRecord;
      await audit(client, now, actor, 'allow.created', `allow:${record.id}`, {
        kind,
        value,
        reason,
        expiresAt: iso(expiresAt),
      });
      return record;
    });
  }

  removeAllow(id: number, actor: string, now: number): Promise<AllowRecord | null> {
    return this.#retire(id, actor, now, 'removeAllow', 'allowById', asIs<AllowRecord>, (client, { kind, value }) =>
      audit(client, now, actor, 'allow.removed', `allow:${id}`, { kind, value }),
    );
  }

  allowList(all: boolean, now: number): Promise<AllowRecord[]> {
    return run<AllowRecord>(this.#pool, 'allowList', [all, now]);
  }

  async alert(id: number): Promise<AlertSignals | null> {
    const [row] = await run<Omit<AlertSignals, 'signals'> & { signals: string }>(this.#pool, 'alert', [id]);
    if (row === undefined) return null;
    return { id: row.id, userId: row.userId, status: row.status, signals: JSON.parse(row.signals) as Signal[] };
  }

  async userExists(userId: string): Promise<boolean> {
    return (await run(this.#pool, 'userExists', [userId])).length > 0;
  }

  createFeedback(entry: NewFeedback, actor: string, now: number): Promise<FeedbackRecord> {
    const { userId, alertId, reason, lowers, until } = entry;
    return inTransaction(this.#pool, async (client) => {
      const [row] = await run<FeedbackRow>(client, 'insertFeedback', [
        userId,
        alertId,
        reason,
        JSON.stringify(lowers),
        now,
        actor,
        until,
      ]);
      const record = feedbackRecord(row as FeedbackRow);
      await audit(client, now, actor, 'feedback.false_positive', `alert:${alertId}`, {
        id: record.id,
        userId,
        reason,
        lowers,
        until: iso(until),
      });
      return record;
    });
  }

  undoFeedback(id: number, actor: string, now: number): Promise<FeedbackRecord | null> {
    return this.#retire(id, actor, now, 'undoFeedback', 'feedbackById', feedbackRecord, (client, { userId, alertId }) =>
      audit(client, now, actor, 'feedback.undone', `alert:${alertId}`, { id, userId }),
    );
  }

  async feedbackOf(userId: string, all: boolean, now: number): Promise<FeedbackRecord[]> {
    return (await run<FeedbackRow>(this.#pool, 'feedbackOf', [userId, all, now])).map(feedbackRecord);
  }

  async feedbackOfAlerts(alertIds: readonly number[]): Promise<Map<number, FeedbackRecord>> {
    const records = (await run<FeedbackRow>(this.#pool, 'feedbackOfAlerts', [alertIds])).map(feedbackRecord);
    // Oldest first: the newest of an alert's marks wins.
    return new Map(records.map((record) => [record.alertId, record]));
  }

  async active(now: number): Promise<ActiveEntries> {
    const [trust, allow, feedback] = await Promise.all([
      run<TrustRecord>(this.#pool, 'activeTrust', [false, now]),
      run<AllowRecord>(this.#pool, 'allowList', [false, now]),
      run<FeedbackRow>(this.#pool, 'activeFeedback', [false, now]),
    ]);
    return { trust, allow, feedback: feedback.map(feedbackRecord) };
  }

  /** PostgresTriageStore.deleteUser deletes these with the user, in its transaction; this is for deleting them alone. */
  async deleteUser(userId: string): Promise<void> {
    await inTransaction(this.#pool, async (client) => {
      await run(client, 'deleteTrust', [userId]);
      await run(client, 'deleteFeedback', [userId]);
    });
  }
}

function iso(at: number): string {
  return new Date(at).toISOString();
}
