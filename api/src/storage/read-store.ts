import Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS } from './sqlite.ts';
import { fromUserValues, USER_COLUMNS, type UserRow } from './user-row.ts';

/**
 * The hot reads on their own read-only connection with prepared statements:
 * one user's aggregate row by primary key, which is all GET /drift and
 * GET /fingerprint need. Prisma's per-query cost (it prepares each statement
 * anew and maps rows in JS) was most of such a request's time; the rest of the
 * read side stays on Prisma.
 */
export class ReadStore {
  readonly #db: Database.Database;
  readonly #user;

  constructor(file: string) {
    this.#db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    const columns = USER_COLUMNS.map((column) => `"${column}"`).join(', ');
    this.#user = this.#db.prepare<[string], unknown[]>(`SELECT ${columns} FROM "User" WHERE id = ?`).raw();
  }

  /** The user's aggregate row (timestamps as epoch ms), or undefined for an unknown user. */
  user(id: string): UserRow | undefined {
    const values = this.#user.get(id);
    return values === undefined ? undefined : fromUserValues(values);
  }

  close(): void {
    this.#db.close();
  }
}
