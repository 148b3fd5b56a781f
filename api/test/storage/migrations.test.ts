import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  diffSchemas,
  latestSnapshot,
  MIGRATION_DIRS,
  type Provider,
  schemaFor,
  schemaPath,
} from '../../scripts/schema-engine.ts';
import { applyMigrations, MIGRATIONS_DIR } from '../../src/storage/migrations.ts';
import { openDatabase } from '../../src/storage/sqlite.ts';
import { tempDir } from '../support/api.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('migrations', () => {
  it.each(Object.keys(MIGRATION_DIRS) as Provider[])(
    'cover prisma/schema.prisma on %s: no schema change is left without a migration',
    async (provider) => {
      const pending = await diffSchemas(latestSnapshot(MIGRATION_DIRS[provider]), schemaFor(provider));
      expect(pending, 'run `npm run db:migrate -- --name <change>`').toBe('');
    },
  );

  it('apply once to a new file, in WAL mode, and are a no-op the second time', () => {
    const db = openDatabase(join(tmp.dir, 'fresh.db'));
    const applied = applyMigrations(db);
    expect(applied.length).toBeGreaterThan(0);
    expect(applyMigrations(db)).toEqual([]);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => (row as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['Event', 'User', 'UserToken', '_prisma_migrations']));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuse a database whose applied migration was edited afterwards', () => {
    const dir = join(tmp.dir, 'migrations');
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const db = new Database(join(tmp.dir, 'edited.db'));
    const [first] = applyMigrations(db, dir);
    expect(first).toBeDefined();
    const file = join(dir, first as string, 'migration.sql');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- edited\n`);
    expect(() => applyMigrations(db, dir)).toThrow(/was changed after it was applied/);
    db.close();
  });
});

describe('npm run db:migrate', () => {
  it('turns a schema change into the SQL of the next migration', async () => {
    const current = readFileSync(schemaPath, 'utf8');
    const changed = current.replace(
      '  driftScore Int @default(0)\n',
      '  driftScore Int @default(0)\n  note       String?\n',
    );
    expect(changed).not.toBe(current);
    const sql = await diffSchemas(latestSnapshot(), changed);
    expect(sql).toMatch(/ALTER TABLE "User" ADD COLUMN "note" TEXT/);
    // The same change in PostgreSQL's dialect, for its own history.
    const postgres = await diffSchemas(latestSnapshot(MIGRATION_DIRS.postgresql), schemaFor('postgresql', changed));
    expect(postgres).toMatch(/ALTER TABLE "User" ADD COLUMN\s+"note" TEXT/);
  });
});
