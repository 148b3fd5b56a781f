import type pg from 'pg';
import type { OutboxMessage, WebhookQueue } from '../ports.ts';
import { epochMsOf, timestampOf } from './timestamps.ts';

/** Delivered or dropped messages are kept this long (to look into), then deleted. */
const KEEP_FINISHED_MS = 7 * 86_400_000;
/**
 * A finished message's nextAttemptAt, as on SQLite (the latest time a JS Date
 * holds): past every real time, so the queries for due and pending messages
 * read only pending rows off the index.
 */
const FINISHED = timestampOf('8640000000000000::float8');
/** A time in epoch milliseconds as the TIMESTAMP(3) column holds it, so that a lease compares equal to itself. */
const ts = (parameter: string) => `${timestampOf(`${parameter}::float8`)}::timestamp(3)`;

// A message about an alert deleted meanwhile (with its user) is not stored: it would outlive them. The
// key-share lock is the one the foreign key takes: a deletion under way is waited for, then seen.
const INSERT = `INSERT INTO "WebhookMessage" ("messageId", url, body, "nextAttemptAt", "createdAt", "alertId")
  SELECT $1, url, $3, ${ts('$4')}, ${ts('$4')}, $5 FROM unnest($2::text[]) WITH ORDINALITY AS urls (url, n)
  WHERE $5::int4 IS NULL OR EXISTS (SELECT 1 FROM "Alert" WHERE id = $5::int4 FOR KEY SHARE)
  ORDER BY n`;
// One statement takes and leases: a row another claim has locked is skipped, and one it leased
// meanwhile is no longer due when rechecked, so two claims never take the same message.
const CLAIM = `WITH due AS (
    SELECT id, "nextAttemptAt" AS due FROM "WebhookMessage" WHERE "nextAttemptAt" <= ${ts('$1')}
    ORDER BY "nextAttemptAt", id LIMIT $2 FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE "WebhookMessage" message SET "nextAttemptAt" = ${ts('$3')} FROM due WHERE message.id = due.id
    RETURNING message.id, message."messageId", message.url, message.body, message.attempts, due.due
  )
  SELECT id, "messageId", url, body, attempts FROM claimed ORDER BY due, id`;
const NEXT_DUE = `SELECT ${epochMsOf('min("nextAttemptAt")')} AS next FROM "WebhookMessage" WHERE "nextAttemptAt" < ${FINISHED}`;
const PENDING = `SELECT count(*)::int4 AS count FROM "WebhookMessage" WHERE "nextAttemptAt" < ${FINISHED}`;
const DROP_STALE = `UPDATE "WebhookMessage" SET "droppedAt" = ${ts('$1')}, "nextAttemptAt" = ${FINISHED},
    "lastError" = 'older than the retry schedule'
  WHERE "nextAttemptAt" < ${FINISHED} AND "createdAt" < ${ts('$2')}`;
const DROP_UNCONFIGURED = `UPDATE "WebhookMessage" SET "droppedAt" = ${ts('$1')}, "nextAttemptAt" = ${FINISHED},
    "lastError" = 'destination no longer configured'
  WHERE "nextAttemptAt" < ${FINISHED} AND url <> ALL($2::text[])`;
// An outcome counts only while its attempt's lease holds (see WebhookQueue).
const DELIVERED = `UPDATE "WebhookMessage" SET "deliveredAt" = ${ts('$3')}, attempts = $4, "lastError" = NULL,
    "nextAttemptAt" = ${FINISHED}
  WHERE id = $1 AND "nextAttemptAt" = ${ts('$2')}`;
const RETRY = `UPDATE "WebhookMessage" SET attempts = $3, "nextAttemptAt" = ${ts('$4')}, "lastError" = $5
  WHERE id = $1 AND "nextAttemptAt" = ${ts('$2')}`;
const DROPPED = `UPDATE "WebhookMessage" SET "droppedAt" = ${ts('$4')}, attempts = $3, "lastError" = $5,
    "nextAttemptAt" = ${FINISHED}
  WHERE id = $1 AND "nextAttemptAt" = ${ts('$2')}`;
const FORGET = `DELETE FROM "WebhookMessage" WHERE "deliveredAt" < ${ts('$1')} OR "droppedAt" < ${ts('$1')}`;

/** PostgreSQL's error code for a foreign key violation. */
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * The webhook outbox on PostgreSQL, which the senders of several API nodes
 * share: messages wait here, one row per destination, until they are
 * delivered or given up. Each statement stands alone (no transaction spans
 * two), so a message taken by a node that then dies only waits out its lease.
 */
export class PostgresWebhookOutbox implements WebhookQueue {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /**
   * One message for every destination, due at once, in one statement. A
   * message about an alert is deleted with the alert (its user deleted, or
   * retention): its body tells of the user.
   */
  async enqueue(
    messageId: string,
    urls: readonly string[],
    body: string,
    now: number,
    alertId: number | null = null,
  ): Promise<void> {
    try {
      await this.#pool.query({
        name: 'pd_outbox_insert',
        text: INSERT,
        values: [messageId, urls, body, now, alertId],
      });
    } catch (error) {
      // The alert was deleted between the existence check and the insert: not stored, as when it was gone before.
      if ((error as { code?: string }).code !== FOREIGN_KEY_VIOLATION) throw error;
    }
  }

  async claim(now: number, limit: number, leaseUntil: number): Promise<OutboxMessage[]> {
    const { rows } = await this.#pool.query<OutboxMessage>({
      name: 'pd_outbox_claim',
      text: CLAIM,
      values: [now, limit, leaseUntil],
    });
    return rows;
  }

  async nextDue(): Promise<number | null> {
    const { rows } = await this.#pool.query<{ next: number | null }>({ name: 'pd_outbox_next', text: NEXT_DUE });
    return rows[0]?.next ?? null;
  }

  async pendingCount(): Promise<number> {
    const { rows } = await this.#pool.query<{ count: number }>({ name: 'pd_outbox_pending', text: PENDING });
    return rows[0]?.count ?? 0;
  }

  /**
   * At start: gives up messages older than `maxAgeMs` (left pending while
   * webhooks were off, news no longer) and those for destinations no longer
   * configured, whichever node holds them (the nodes share one
   * configuration). Returns how many were given up.
   */
  async dropOutdated(now: number, maxAgeMs: number, configured: readonly string[]): Promise<number> {
    const stale = await this.#pool.query({ name: 'pd_outbox_stale', text: DROP_STALE, values: [now, now - maxAgeMs] });
    const unconfigured = await this.#pool.query({
      name: 'pd_outbox_unconfigured',
      text: DROP_UNCONFIGURED,
      values: [now, configured],
    });
    return (stale.rowCount ?? 0) + (unconfigured.rowCount ?? 0);
  }

  async delivered(id: number, leaseUntil: number, attempts: number, now: number): Promise<void> {
    await this.#pool.query({ name: 'pd_outbox_delivered', text: DELIVERED, values: [id, leaseUntil, now, attempts] });
  }

  async retryAt(id: number, leaseUntil: number, attempts: number, at: number, error: string): Promise<void> {
    await this.#pool.query({ name: 'pd_outbox_retry', text: RETRY, values: [id, leaseUntil, attempts, at, error] });
  }

  async dropped(id: number, leaseUntil: number, attempts: number, now: number, error: string): Promise<void> {
    await this.#pool.query({
      name: 'pd_outbox_dropped',
      text: DROPPED,
      values: [id, leaseUntil, attempts, now, error],
    });
  }

  /** Deletes finished messages older than a week. */
  async forgetFinished(now: number): Promise<void> {
    await this.#pool.query({ name: 'pd_outbox_forget', text: FORGET, values: [now - KEEP_FINISHED_MS] });
  }
}
