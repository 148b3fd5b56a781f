import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/** How long a connection waits for another one's lock before giving up. */
export const BUSY_TIMEOUT_MS = 5000;

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
