import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/** How long a connection waits for another one's lock before giving up. */
export const BUSY_TIMEOUT_MS = 5000;

/** Another connection held the database's lock past the busy timeout (extended codes included): retry later. */
export function isDatabaseBusy(error: unknown): boolean {
  return sqliteCode(error)?.startsWith('SQLITE_BUSY') ?? false;
}

/** SQLite errors about the database itself rather than one request's data. */
export function isDatabaseWide(error: unknown): boolean {
  return /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CORRUPT|NOTADB|READONLY|CANTOPEN|NOMEM|PROTOCOL)/.test(
    sqliteCode(error) ?? '',
  );
}

function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** `file:./data/x.db`, `file:/abs/x.db` or a bare path → an absolute file path. */
export function databasePath(url: string): string {
  const path = url.startsWith('file:') ? url.slice('file:'.length) : url;
  if (path === '' || path.startsWith(':memory:')) {
    throw new Error('DATABASE_URL must name a file: the event store has to survive restarts');
  }
  return resolve(path.split('?')[0] ?? path);
}

/**
 * Opens the single writer connection. WAL lets readers (Prisma's connection)
 * proceed while a write commits; synchronous=NORMAL keeps every committed
 * transaction through a process crash and only risks the last ones on power loss.
 */
export function openDatabase(path: string): SqliteDatabase {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Statement journals stay in memory: no temp files on the write path.
  db.pragma('temp_store = MEMORY');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}
