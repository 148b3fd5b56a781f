import Database from 'better-sqlite3';
import type { EvidenceToken, PersonaRows } from './ports.ts';
import { BUSY_TIMEOUT_MS } from './sqlite.ts';
import { fromUserValues, USER_COLUMNS, type UserRow } from './user-row.ts';

/**
 * SQLite's persona rows, on their own read-only connection with prepared
 * statements: one user's aggregate row by primary key, which is all GET /drift
 * and GET /fingerprint need, and the drift evidence. Prisma's per-query cost
 * (it prepares each statement anew and maps rows in JS) was most of such a
 * request's time; the rest of the read side stays on Prisma.
 */
export class ReadStore implements PersonaRows {
  readonly #db: Database.Database;
  readonly #user;
  readonly #evidence;
  readonly #onQuery: (sql: string) => void;

  constructor(file: string, onQuery: (sql: string) => void = () => {}) {
    this.#db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    this.#onQuery = onQuery;
    const columns = USER_COLUMNS.map((column) => `"${column}"`).join(', ');
    this.#user = this.#db.prepare<[string], unknown[]>(`SELECT ${columns} FROM "User" WHERE id = ?`).raw();
    // Only the top values per dimension leave SQLite, however many a user
    // has collected: the answer's size does not grow with history.
    this.#evidence = this.#db.prepare<[string, number], { userId: string; dimension: string; value: string }>(
      `SELECT userId, dimension, value FROM (
         SELECT userId, dimension, value, count,
                row_number() OVER (PARTITION BY userId, dimension ORDER BY count DESC, value) AS rank
         FROM "UserToken" WHERE userId IN (SELECT value FROM json_each(?))
       ) WHERE rank <= ? ORDER BY userId, dimension, count DESC, value`,
    );
  }

  /** Timestamps come back as epoch ms. */
  user(id: string): UserRow | undefined {
    const values = this.#user.get(id);
    return values === undefined ? undefined : fromUserValues(values);
  }

  evidence(userIds: readonly string[], perDimension: number): Map<string, EvidenceToken[]> {
    this.#onQuery(this.#evidence.source);
    const byUser = new Map<string, EvidenceToken[]>();
    for (const { userId, dimension, value } of this.#evidence.all(JSON.stringify(userIds), perDimension)) {
      const list = byUser.get(userId) ?? [];
      list.push({ dimension, value });
      byUser.set(userId, list);
    }
    return byUser;
  }

  close(): void {
    this.#db.close();
  }
}
