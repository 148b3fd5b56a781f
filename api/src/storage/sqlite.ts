import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreBusyError } from './errors.ts';
import { SqliteMigrations } from './migrations.ts';

export type SqliteDatabase = Database.Database;

/** How long a connection waits for another one's lock before giving up. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Runs `work`, raising what storage promises above it instead of SQLite's own
 * errors: another connection holding the lock past the busy timeout (extended
 * codes included) becomes StoreBusyError; anything else passes unchanged.
 * Every store method a request can reach runs through this.
 */
export function asStore<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw sqliteCode(error)?.startsWith('SQLITE_BUSY') ? new StoreBusyError({ cause: error }) : error;
  }
}

/** Errors about the database itself rather than one request's data. */
export function isDatabaseWide(error: unknown): boolean {
  if (error instanceof StoreBusyError) return true;
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
 * The database holds personal data: its directory (when created here) is the
 * owner's only, the file is 0600 before anything is written to it (SQLite
 * gives the -wal and -shm files the database file's permissions), and
 * deleted rows are overwritten with zeros rather than left in free space.
 */
export function openDatabase(path: string): SqliteDatabase {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  // A WAL or shared-memory file an earlier version left behind keeps its own permissions.
  for (const file of [`${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('secure_delete = ON');
  // Statement journals stay in memory: no temp files on the write path.
  db.pragma('temp_store = MEMORY');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}

/**
 * Opens the database file (created if missing) with every pending migration
 * applied: how the API, the CLIs and tests get a database, so that only
 * storage knows how migrations run. `onMigrated` hears the names of the
 * migrations it applied, when there were any.
 */
export function openMigratedDatabase(path: string, onMigrated?: (applied: string[]) => void): SqliteDatabase {
  const db = openDatabase(path);
  try {
    const applied = new SqliteMigrations(db).applyPending();
    if (applied.length > 0) onMigrated?.(applied);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
