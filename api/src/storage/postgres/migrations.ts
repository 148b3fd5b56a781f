import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { PROJECT_ROOT } from '../../project-root.ts';
import { migrationFiles, pendingMigrations } from '../migrations.ts';

export const POSTGRES_MIGRATIONS_DIR = join(PROJECT_ROOT, 'prisma', 'migrations-postgresql');

// The table `prisma migrate deploy` keeps on PostgreSQL, so the Prisma CLI
// (where it can run) sees the database as migrated by itself.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Held while migrating: nodes starting together against one database migrate it once, one after another. */
const MIGRATION_LOCK = 0x70645f6d; // "pd_m"

/**
 * Applies every migration of the PostgreSQL history not yet recorded, in
 * name order, each with its record in one transaction (PostgreSQL's DDL is
 * transactional: a failed migration leaves nothing half done). Refuses an
 * applied migration edited afterwards. Returns the names it applied.
 */
export async function applyPostgresMigrations(pool: Pool, dir: string = POSTGRES_MIGRATIONS_DIR): Promise<string[]> {
  const client = await pool.connect();
  let failed: Error | undefined;
  // A session the server ends fails the query in progress; unheard, its 'error' event would end the process.
  const lost = (error: Error) => {
    failed = error;
  };
  client.on('error', lost);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const applied = new Map(rows.map((row) => [row.migration_name, row.checksum]));
    const done: string[] = [];
    for (const { name, sql, checksum } of pendingMigrations(migrationFiles(dir), applied)) {
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, now(), 1)`,
          [randomUUID(), checksum, name],
        );
        await client.query('COMMIT');
      } catch (error) {
        // A lost connection fails the rollback too: the migration's own error is the one to report.
        await client.query('ROLLBACK').catch(() => {});
        throw new Error(`migration ${name} failed: ${(error as Error).message}`, { cause: error });
      }
      done.push(name);
    }
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    return done;
  } catch (error) {
    failed = error as Error;
    throw error;
  } finally {
    client.off('error', lost);
    // After a failure the session is closed rather than pooled: closing it is what surely frees the lock.
    client.release(failed);
  }
}
