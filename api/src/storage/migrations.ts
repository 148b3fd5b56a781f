import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../project-root.ts';
import type { Migrations } from './ports.ts';
import type { SqliteDatabase } from './sqlite.ts';

export const MIGRATIONS_DIR = join(PROJECT_ROOT, 'prisma', 'migrations');

// The same bookkeeping table `prisma migrate deploy` keeps, so the Prisma CLI
// (where it can run) sees the database as migrated by itself.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
}

/** One migration folder's SQL, with the checksum recorded when it is applied. */
export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** The migrations under `dir` (folders holding a migration.sql), in name order. */
export function migrationFiles(dir: string): MigrationFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * The migrations not yet applied, given the checksums of those that were (by
 * name). Refuses when an applied migration's SQL was edited afterwards: the
 * schema would no longer be what the code expects.
 */
export function pendingMigrations(
  files: readonly MigrationFile[],
  applied: ReadonlyMap<string, string>,
): MigrationFile[] {
  const pending: MigrationFile[] = [];
  for (const file of files) {
    const previous = applied.get(file.name);
    if (previous === undefined) pending.push(file);
    else if (previous !== file.checksum) {
      throw new Error(
        `migration ${file.name} was changed after it was applied to this database; restore it or add a new migration`,
      );
    }
  }
  return pending;
}

/**
 * Applies every migration under prisma/migrations not yet recorded, in name
 * order, each in its own transaction (see pendingMigrations). Returns the
 * names it applied.
 */
export function applyMigrations(db: SqliteDatabase, dir: string = MIGRATIONS_DIR): string[] {
  db.exec(CREATE_MIGRATIONS_TABLE);
  const applied = new Map(
    db
      .prepare<[], AppliedRow>(
        'SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      )
      .all()
      .map((row) => [row.migration_name, row.checksum]),
  );
  const record = db.prepare(
    `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
     VALUES (?, ?, current_timestamp, ?, current_timestamp, 1)`,
  );
  const done: string[] = [];
  for (const { name, sql, checksum } of pendingMigrations(migrationFiles(dir), applied)) {
    db.transaction(() => {
      db.exec(sql);
      record.run(randomUUID(), checksum, name);
    })();
    done.push(name);
  }
  return done;
}

/** The migrations under `dir`, as the API applies them to its database at start. */
export class SqliteMigrations implements Migrations {
  readonly #db: SqliteDatabase;
  readonly #dir: string;

  constructor(db: SqliteDatabase, dir: string = MIGRATIONS_DIR) {
    this.#db = db;
    this.#dir = dir;
  }

  applyPending(): string[] {
    return applyMigrations(this.#db, this.#dir);
  }
}
