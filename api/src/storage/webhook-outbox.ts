import type { OutboxMessage, WebhookQueue } from './ports.ts';
import type { SqliteDatabase } from './sqlite.ts';

/** Delivered or dropped messages are kept this long (to look into), then deleted. */
const KEEP_FINISHED_MS = 7 * 86_400_000;
/**
 * A finished message's nextAttemptAt: past every real time, so the queries
 * for due and pending messages read only pending rows off the index.
 */
const FINISHED = 8_640_000_000_000_000;

type Row = [number, string, string, string, number];

interface NewMessage {
  messageId: string;
  url: string;
  body: string;
  now: number;
  alertId: number | null;
}

/**
 * The webhook outbox on the writer connection: messages wait here, one row
 * per destination, until they are delivered or given up, so a restart
 * resumes their retries instead of forgetting them.
 */
export class WebhookOutbox implements WebhookQueue {
  readonly #insert;
  readonly #due;
  readonly #lease;
  readonly #claim;
  readonly #nextDue;
  readonly #pending;
  readonly #delivered;
  readonly #retry;
  readonly #dropped;
  readonly #forget;
  readonly #enqueue;
  readonly #stale;
  readonly #unconfigured;
  readonly #pendingUrls;

  constructor(db: SqliteDatabase) {
    // A message about an alert deleted meanwhile (with its user) is not stored: it would outlive them.
    this.#insert = db.prepare<[NewMessage]>(
      `INSERT INTO "WebhookMessage" (messageId, url, body, nextAttemptAt, createdAt, alertId)
       SELECT @messageId, @url, @body, @now, @now, @alertId
       WHERE @alertId IS NULL OR EXISTS (SELECT 1 FROM "Alert" WHERE id = @alertId)`,
    );
    this.#due = db
      .prepare<[number, number], Row>(
        'SELECT id, messageId, url, body, attempts FROM "WebhookMessage" WHERE nextAttemptAt <= ? ORDER BY nextAttemptAt, id LIMIT ?',
      )
      .raw();
    this.#nextDue = db
      .prepare<[number], number | null>('SELECT min(nextAttemptAt) FROM "WebhookMessage" WHERE nextAttemptAt < ?')
      .pluck();
    this.#pending = db
      .prepare<[number], number>('SELECT count(*) FROM "WebhookMessage" WHERE nextAttemptAt < ?')
      .pluck();
    this.#lease = db.prepare<[number, number]>('UPDATE "WebhookMessage" SET nextAttemptAt = ? WHERE id = ?');
    this.#claim = db.transaction((now: number, limit: number, leaseUntil: number): OutboxMessage[] => {
      const claimed = this.#due.all(now, limit);
      for (const [id] of claimed) this.#lease.run(leaseUntil, id);
      return claimed.map(([id, messageId, url, body, attempts]) => ({ id, messageId, url, body, attempts }));
    });
    this.#stale = db.prepare<[number, number]>(
      `UPDATE "WebhookMessage" SET droppedAt = ?, nextAttemptAt = ${FINISHED}, lastError = 'older than the retry schedule'
       WHERE nextAttemptAt < ${FINISHED} AND createdAt < ?`,
    );
    this.#unconfigured = db.prepare<[number, string]>(
      `UPDATE "WebhookMessage" SET droppedAt = ?, nextAttemptAt = ${FINISHED}, lastError = 'destination no longer configured'
       WHERE nextAttemptAt < ${FINISHED} AND url = ?`,
    );
    this.#pendingUrls = db
      .prepare<[], string>(`SELECT DISTINCT url FROM "WebhookMessage" WHERE nextAttemptAt < ${FINISHED}`)
      .pluck();
    // An outcome counts only while its attempt's lease holds (see WebhookQueue).
    this.#delivered = db.prepare<[number, number, number, number]>(
      `UPDATE "WebhookMessage" SET deliveredAt = ?, attempts = ?, lastError = NULL, nextAttemptAt = ${FINISHED}
       WHERE id = ? AND nextAttemptAt = ?`,
    );
    this.#retry = db.prepare<[number, number, string, number, number]>(
      'UPDATE "WebhookMessage" SET attempts = ?, nextAttemptAt = ?, lastError = ? WHERE id = ? AND nextAttemptAt = ?',
    );
    this.#dropped = db.prepare<[number, number, string, number, number]>(
      `UPDATE "WebhookMessage" SET droppedAt = ?, attempts = ?, lastError = ?, nextAttemptAt = ${FINISHED}
       WHERE id = ? AND nextAttemptAt = ?`,
    );
    this.#forget = db.prepare<[number, number]>('DELETE FROM "WebhookMessage" WHERE deliveredAt < ? OR droppedAt < ?');
    this.#enqueue = db.transaction(
      (messageId: string, urls: readonly string[], body: string, now: number, alertId: number | null) => {
        for (const url of urls) this.#insert.run({ messageId, url, body, now, alertId });
      },
    );
  }

  /**
   * One message for every destination, due at once, in one transaction. A
   * message about an alert is deleted with the alert (its user deleted, or
   * retention): its body tells of the user.
   */
  enqueue(messageId: string, urls: readonly string[], body: string, now: number, alertId: number | null = null): void {
    this.#enqueue.immediate(messageId, urls, body, now, alertId);
  }

  /**
   * Takes up to `limit` messages due by `now`, the longest waiting first,
   * leased until `leaseUntil` in the same transaction: not due again until
   * then, so a post that never settles (or a process that dies mid-post) only
   * delays its message.
   */
  claim(now: number, limit: number, leaseUntil: number): OutboxMessage[] {
    return this.#claim.immediate(now, limit, leaseUntil);
  }

  /** When the next pending message is due; null when none is pending. */
  nextDue(): number | null {
    return this.#nextDue.get(FINISHED) ?? null;
  }

  pendingCount(): number {
    return this.#pending.get(FINISHED) as number;
  }

  /**
   * At start: gives up messages older than `maxAgeMs` (left pending while
   * webhooks were off, news no longer) and those for destinations no longer
   * configured. Returns how many were given up.
   */
  dropOutdated(now: number, maxAgeMs: number, configured: readonly string[]): number {
    let dropped = this.#stale.run(now, now - maxAgeMs).changes;
    for (const url of this.#pendingUrls.all() as string[]) {
      if (!configured.includes(url)) dropped += this.#unconfigured.run(now, url).changes;
    }
    return dropped;
  }

  delivered(id: number, leaseUntil: number, attempts: number, now: number): void {
    this.#delivered.run(now, attempts, id, leaseUntil);
  }

  retryAt(id: number, leaseUntil: number, attempts: number, at: number, error: string): void {
    this.#retry.run(attempts, at, error, id, leaseUntil);
  }

  dropped(id: number, leaseUntil: number, attempts: number, now: number, error: string): void {
    this.#dropped.run(now, attempts, error, id, leaseUntil);
  }

  /** Deletes finished messages older than a week. */
  forgetFinished(now: number): void {
    this.#forget.run(now - KEEP_FINISHED_MS, now - KEEP_FINISHED_MS);
  }
}
