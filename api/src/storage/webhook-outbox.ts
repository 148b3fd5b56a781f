import type { SqliteDatabase } from './sqlite.ts';

export interface OutboxMessage {
  id: number;
  messageId: string;
  url: string;
  body: string;
  attempts: number;
}

/** Delivered or dropped messages are kept this long (to look into), then deleted. */
const KEEP_FINISHED_MS = 7 * 86_400_000;

type Row = [number, string, string, string, number];

/**
 * The webhook outbox on the writer connection: messages wait here, one row
 * per destination, until they are delivered or given up, so a restart
 * resumes their retries instead of forgetting them.
 */
export class WebhookOutbox {
  readonly #insert;
  readonly #due;
  readonly #nextDue;
  readonly #pending;
  readonly #delivered;
  readonly #retry;
  readonly #dropped;
  readonly #forget;
  readonly #enqueue;

  constructor(db: SqliteDatabase) {
    this.#insert = db.prepare<[string, string, string, number, number]>(
      'INSERT INTO "WebhookMessage" (messageId, url, body, nextAttemptAt, createdAt) VALUES (?, ?, ?, ?, ?)',
    );
    const pending = 'deliveredAt IS NULL AND droppedAt IS NULL';
    this.#due = db
      .prepare<[number, number], Row>(
        `SELECT id, messageId, url, body, attempts FROM "WebhookMessage" WHERE nextAttemptAt <= ? AND ${pending} ORDER BY nextAttemptAt, id LIMIT ?`,
      )
      .raw();
    this.#nextDue = db
      .prepare<[], number | null>(`SELECT min(nextAttemptAt) FROM "WebhookMessage" WHERE ${pending}`)
      .pluck();
    this.#pending = db.prepare<[], number>(`SELECT count(*) FROM "WebhookMessage" WHERE ${pending}`).pluck();
    this.#delivered = db.prepare<[number, number, number]>(
      'UPDATE "WebhookMessage" SET deliveredAt = ?, attempts = ?, lastError = NULL WHERE id = ?',
    );
    this.#retry = db.prepare<[number, number, string, number]>(
      'UPDATE "WebhookMessage" SET attempts = ?, nextAttemptAt = ?, lastError = ? WHERE id = ?',
    );
    this.#dropped = db.prepare<[number, number, string, number]>(
      'UPDATE "WebhookMessage" SET droppedAt = ?, attempts = ?, lastError = ? WHERE id = ?',
    );
    this.#forget = db.prepare<[number, number]>('DELETE FROM "WebhookMessage" WHERE deliveredAt < ? OR droppedAt < ?');
    this.#enqueue = db.transaction((messageId: string, urls: readonly string[], body: string, now: number) => {
      for (const url of urls) this.#insert.run(messageId, url, body, now, now);
    });
  }

  /** One message for every destination, due at once, in one transaction. */
  enqueue(messageId: string, urls: readonly string[], body: string, now: number): void {
    this.#enqueue.immediate(messageId, urls, body, now);
  }

  /** Messages due by `now`, the longest waiting first. */
  due(now: number, limit: number): OutboxMessage[] {
    return this.#due
      .all(now, limit)
      .map(([id, messageId, url, body, attempts]) => ({ id, messageId, url, body, attempts }));
  }

  /** When the next pending message is due; null when none is pending. */
  nextDue(): number | null {
    return this.#nextDue.get() ?? null;
  }

  pendingCount(): number {
    return this.#pending.get() as number;
  }

  delivered(id: number, attempts: number, now: number): void {
    this.#delivered.run(now, attempts, id);
  }

  retryAt(id: number, attempts: number, at: number, error: string): void {
    this.#retry.run(attempts, at, error, id);
  }

  dropped(id: number, attempts: number, now: number, error: string): void {
    this.#dropped.run(now, attempts, error, id);
  }

  /** Deletes finished messages older than a week. */
  forgetFinished(now: number): void {
    this.#forget.run(now - KEEP_FINISHED_MS, now - KEEP_FINISHED_MS);
  }
}
